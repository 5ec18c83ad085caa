/**
 * npm run icssi -- stats [--json]
 * npm run icssi -- export [--format csv|json] [--output FILE]
 *
 * Through the organisers' reports (src/organisers/reports.ts), as Slack's and Telegram's
 * commands are: the same figures, table and export on every surface.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { i18n as I18n, TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import type { CallDefinition } from '../domain/call-definition.js';
import { retentionPassed } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import { organiserReports, type OrganiserReports } from '../organisers/reports.js';
import { openStore } from '../storage/open-store.js';
import { progressBar } from './progress.js';

interface ReportsOptions {
  config: AppConfig;
  i18n: I18n;
  call: CallDefinition;
  t: TFunction;
}

/** The reports over the configured database, with the clock stopped at `now` (one time for the table and the warning). */
async function withReports<T>(opts: ReportsOptions, now: Date, run: (reports: OrganiserReports) => Promise<T>): Promise<T> {
  const store = await openStore(opts.config.databaseUrl);
  try {
    const core = { call: opts.call, now: () => now, texts: { fixedT: (lng: Locale) => opts.i18n.getFixedT(lng) } };
    return await run(organiserReports({ store, core, secret: opts.config.secret }));
  } finally {
    await store.close();
  }
}

export async function statsCommand(opts: ReportsOptions & { lng: Locale; json: boolean }): Promise<number> {
  const now = new Date();
  const out = await withReports(opts, now, async (reports) =>
    opts.json ? JSON.stringify(await reports.figures(), null, 2) : (await reports.stats(opts.lng)).table);
  process.stdout.write(out + '\n');
  // On stderr, so that --json output stays parseable.
  if (retentionPassed(opts.call, now)) process.stderr.write(opts.t('cli:purge.statsWarning', { date: opts.call.retainUntil }) + '\n');
  return 0;
}

export async function exportCommand(opts: ReportsOptions & { format: string | undefined; output: string | undefined }): Promise<number> {
  const { t } = opts;
  const format = opts.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    process.stderr.write(t('cli:export.badFormat', { format }) + '\n');
    return 2;
  }
  await withReports(opts, new Date(), async (reports) => {
    const out = opts.output ? createWriteStream(opts.output) : process.stdout;
    // The bar needs the total: counted only when a bar is drawn (a terminal).
    const total = process.stderr.isTTY ? await reports.contributionCount() : 0;
    const bar = progressBar(t('ops:progress.export'), total);
    const n = await reports.exportContributions(format, out, () => bar.increment());
    bar.stop();
    if (opts.output) {
      out.end();
      await finished(out);
    }
    process.stderr.write(t('cli:export.done', { count: n }) + '\n');
  });
  return 0;
}
