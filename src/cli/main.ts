/**
 * The organisers' command line: npm run icssi -- <command> [options]
 */
import { parseArgs } from 'node:util';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { loadDotEnv, readConfig } from '../config/env.js';
import { createI18n } from '../config/i18n.js';
import { loadCallDefinition } from '../config/load-call.js';
import { isAppError } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { installProcessGuards } from '../server/process-guards.js';
import { localeFromHint } from '../core/locale-hint.js';
import { loadStats } from '../organisers/stats.js';
import { openStore } from '../storage/open-store.js';
import { exportContributions } from '../organisers/export.js';
import { callStatsTable } from '../organisers/stats-table.js';
import { review } from './review.js';
import { purge } from './purge.js';
import { retentionPassed } from '../domain/call-definition.js';
import { backupCommand, copyToCommand } from './ops.js';
import { progressBar } from './progress.js';
import { announce, listAnnouncements } from './announce.js';
import { deskCommand } from './desk.js';

async function main(argv: string[]): Promise<number> {
  // A bug nobody caught: one JSON line with the stack, exit code 1 (as the bot does).
  installProcessGuards(createLogger('error'));
  loadDotEnv();
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      lang: { type: 'string' },
      note: { type: 'string' },
      as: { type: 'string' },
      // desk
      name: { type: 'string' },
      role: { type: 'string' },
      // announce
      'text-en': { type: 'string' },
      'text-ar': { type: 'string' },
      'text-ckb': { type: 'string' },
      to: { type: 'string' },
      topic: { type: 'string' },
      platform: { type: 'string' },
      language: { type: 'string' },
      expires: { type: 'string' },
      // announce and purge
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      resume: { type: 'string' },
    },
  });
  const i18n = await createI18n();
  const lng = localeFromHint(values.lang ?? process.env.LC_ALL ?? process.env.LANG) ?? 'en';
  const t = i18n.getFixedT(lng);
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    process.stdout.write(t('cli:help') + '\n\n' + t('cli:purge.help') + '\n' + t('desk:cli.help') + '\n');
    return command || values.help ? 0 : 1;
  }
  const config = readConfig();
  const call = loadCallDefinition(config.callFile, i18n);

  switch (command) {
    case 'migrate': {
      const store = await openStore(config.databaseUrl);
      await store.close();
      process.stdout.write(t('cli:migrate.done') + '\n');
      return 0;
    }
    case 'stats': {
      const store = await openStore(config.databaseUrl);
      try {
        const now = new Date();
        const stats = await loadStats(store, call, now);
        process.stdout.write(values.json ? JSON.stringify(stats, null, 2) + '\n' : callStatsTable(stats, i18n, call, lng) + '\n');
        // On stderr, so that --json output stays parseable.
        if (retentionPassed(call, now)) process.stderr.write(t('cli:purge.statsWarning', { date: call.retainUntil }) + '\n');
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'export': {
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') {
        process.stderr.write(t('cli:export.badFormat', { format }) + '\n');
        return 2;
      }
      const store = await openStore(config.databaseUrl);
      const out = values.output ? createWriteStream(values.output) : process.stdout;
      try {
        // The bar needs the total: counted only when a bar is drawn (a terminal).
        const total = process.stderr.isTTY ? (await store.contributionFacts(call.id)).length : 0;
        const bar = progressBar(t('ops:progress.export'), total);
        const n = await exportContributions({ store, callId: call.id, secret: config.secret, format, out, onRow: () => bar.increment() });
        bar.stop();
        if (values.output) {
          out.end();
          await finished(out);
        }
        process.stderr.write(t('cli:export.done', { count: n }) + '\n');
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'purge':
      return purge({ config, dryRun: values['dry-run'] === true, force: values.force === true, t });
    case 'backup':
      return backupCommand({ config, file: positionals[1], t });
    case 'copy-to':
      return copyToCommand({ config, url: positionals[1], t });
    case 'announce':
      return announce({ config, t, lng, values });
    case 'announcements':
      return listAnnouncements({ config, t, lng });
    case 'desk':
      return deskCommand({ config, args: positionals.slice(1), name: values.name, role: values.role, as: values.as, t, lng });
    case 'review':
      return review({ config, args: positionals.slice(1), note: values.note, as: values.as, t });
    // Platform set-ups load their SDK only when asked for.
    case 'telegram:setup': {
      const { telegramSetup } = await import('../../adapters/telegram/setup.js');
      const { readTelegramConfig } = await import('../../adapters/telegram/config.js');
      const lines = await telegramSetup({ config: readTelegramConfig(), i18n, lng, target: call.words.target });
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    case 'messenger:setup': {
      const { messengerSetup } = await import('../../adapters/messenger/setup.js');
      const { readMessengerConfig } = await import('../../adapters/messenger/config.js');
      const lines = await messengerSetup({ config: readMessengerConfig(), i18n, lng });
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    default:
      process.stderr.write(t('cli:unknown', { command }) + '\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write((isAppError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)) + '\n');
    process.exit(1);
  },
);
