/**
 * The organiser command table (src/organisers/commands.ts): each surface offers exactly the
 * commands its entries name (pinned by type, so a handler map missing one does not compile), every
 * text an entry names exists in every language, the CLI's help is generated from the table, and
 * the reports the CLI's stats and export now go through count and report each exported row.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { coreApi } from '../src/core/bot-core.js';
import { cliCommand, cliHelp } from '../src/cli/commands.js';
import { commandsOn, organiserCommand, ORGANISER_COMMANDS, type CommandsOn } from '../src/organisers/commands.js';
import { organiserReports } from '../src/organisers/reports.js';
import { makeBot, TEST_SECRET } from './helpers/harness.js';
import { MemoryStore } from './helpers/memory-store.js';
import { personOf, submitAs } from './helpers/erasure.js';

const LNGS = ['en', 'ar', 'ckb'] as const;

describe('the organiser command table', () => {
  it('gives each surface the commands its entries name', () => {
    expectTypeOf<CommandsOn<'telegram'>>().toEqualTypeOf<'stats' | 'desk'>();
    expectTypeOf<CommandsOn<'slack'>>().toEqualTypeOf<'stats' | 'export' | 'announce' | 'desk'>();
    expectTypeOf<CommandsOn<'cli'>>().toEqualTypeOf<'stats' | 'export' | 'review' | 'announce' | 'announcements' | 'purge' | 'desk'>();
    expect(commandsOn('telegram').map((c) => c.name)).toEqual(['stats', 'desk']);
    expect(commandsOn('slack').map((c) => c.name)).toEqual(['stats', 'export', 'announce', 'desk']);
    // A command not offered on a surface is not found there (Telegram has no /export).
    expect(organiserCommand('telegram', 'export')).toBeUndefined();
    expect(organiserCommand('slack', 'review')).toBeUndefined();
    expect(organiserCommand('slack', 'stats')?.runs).toContain('reports.stats');
  });

  it('names one entry per command, and texts that exist in every language', async () => {
    const names = ORGANISER_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const i18n = await createI18n();
    for (const c of ORGANISER_COMMANDS) {
      for (const key of Object.values(c.texts)) {
        for (const lng of LNGS) expect(i18n.exists(key, { lng, fallbackLng: false }), `${key} in ${lng}`).toBe(true);
      }
    }
  });

  it('runs every CLI entry, and no operator command, from the chat surfaces', () => {
    for (const c of commandsOn('cli')) expect(cliCommand(c.name), c.name).toBeTypeOf('function');
    for (const op of ['migrate', 'backup', 'copy-to', 'telegram:setup', 'messenger:setup']) {
      expect(cliCommand(op), op).toBeTypeOf('function');
      expect(ORGANISER_COMMANDS.some((c) => c.name === op)).toBe(false);
    }
    expect(cliCommand('nonsense')).toBeUndefined();
  });

  it('generates the CLI help: every organiser and operator command, before the options, in each language', async () => {
    const i18n = await createI18n();
    for (const lng of LNGS) {
      const t = i18n.getFixedT(lng);
      const help = cliHelp(t);
      const options = help.indexOf(t('cli:help.outro'));
      expect(help.startsWith(t('cli:help.intro'))).toBe(true);
      expect(options).toBeGreaterThan(0);
      for (const c of commandsOn('cli')) {
        const at = help.indexOf(t(c.texts.help));
        expect(at, `${c.name} in ${lng}`).toBeGreaterThan(0);
        expect(at).toBeLessThan(options);
      }
      for (const name of ['migrate', 'backup FILE', 'copy-to URL', 'telegram:setup', 'messenger:setup']) expect(help).toContain(`  ${name} `);
    }
  });
});

describe('the reports behind the CLI stats and export', () => {
  it('count the contributions an export writes, and report each row as it is written', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    for (const user of ['u1', 'u2']) await submitAs(bot, user, personOf(user, 'بغداد', 'هەولێر'));
    const reports = organiserReports({ store, core: coreApi(bot.dispatcher), secret: TEST_SECRET });
    expect(await reports.contributionCount()).toBe(2);
    let rows = 0;
    const out = new PassThrough();
    out.resume();
    expect(await reports.exportContributions('json', out, () => rows++)).toBe(2);
    expect(rows).toBe(2);
  });
});
