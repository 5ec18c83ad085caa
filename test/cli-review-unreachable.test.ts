/**
 * `npm run icssi -- review` for an author who blocked the bot on Telegram: the CLI says the
 * decision is held (never "The author has been told"), in the organiser's language; the notice is
 * stored as held with Telegram's code, and the author hears the decision when she writes again.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { TEST_SECRET } from './helpers/harness.js';
import { RUN_TS } from './helpers/run-ts.js';
import { textOf } from './helpers/texts.js';
import { Person, startTelegram } from './helpers/telegram.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'icssi-review-held-'));
const db = join(dir, 'review.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('review for an author who cannot be reached', () => {
  it('says the decision is held, stores it as held, and delivers it when she writes again', async () => {
    const store = await openStore(`file:${db}`);
    const bot = await startTelegram({ store });
    try {
      const p = new Person(6200000001);
      for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes'), p.press('menu:submit'), p.press('topic:2'), p.text('Layla'),
        p.press('skip:organisation'), p.press('skip:country'), p.press('skip:email'), p.text(textOf('en', 200)), p.press('body:done'), p.press('review:confirm')]) {
        await bot.post(u);
      }
      const code = /ICS-[0-9A-Z]{6}/.exec(bot.api.messages(p.id).map((m) => m.text).join('\n'))![0];
      bot.api.blockChat(p.id);
      const icssi = (...args: string[]) =>
        run(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], {
          env: { ...process.env, DATABASE_URL: `file:${db}`, ICSSI_SECRET: TEST_SECRET, LANG: 'en_GB.UTF-8', LC_ALL: '', LOG_LEVEL: 'silent',
            TELEGRAM_BOT_TOKEN: bot.api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: bot.api.apiRoot },
        });
      const { stdout } = await icssi('review', code, 'accept', '--as', 'organiser-1');
      expect(stdout).toContain(`Decision recorded for ${code}.`);
      expect(stdout).toContain('Held: the author cannot be reached now; they will be told when they write again.');
      expect(stdout).not.toContain('has been told');
      // Telegram was asked once and answered 403: nothing was delivered.
      expect(bot.api.callsOf('sendMessage').at(-1)!.status).toBe(403);
      const participant = (await store.getContribution(code))!.participant;
      expect((await store.noticesFor(participant.id, ['held'])).map((n) => n.reason)).toEqual(['telegram:403']);
      expect(await store.noticesFor(participant.id, ['sent'])).toEqual([]);

      // Known unreachable now: the next decision is not even attempted, and the CLI says so in Arabic.
      const calls = bot.api.callsOf('sendMessage').length;
      const ar = await icssi('review', code, 'revise', '--note', 'Please add an example', '--lang', 'ar');
      expect(ar.stdout).toContain('معلّق: لا يمكن الوصول إلى صاحب المساهمة الآن');
      expect(bot.api.callsOf('sendMessage')).toHaveLength(calls);

      // She unblocks the bot and writes: both decisions reach her, in order, and nothing stays held.
      bot.api.unblockChat(p.id);
      const before = bot.api.messages(p.id).length;
      await bot.post(p.command('status'));
      const after = bot.api.messages(p.id).slice(before).map((m) => m.text).join('\n');
      expect(after).toContain(`accepted your contribution ${code}`);
      expect(after).toContain('Please add an example');
      expect(after.indexOf(`accepted your contribution ${code}`)).toBeLessThan(after.indexOf('Please add an example'));
      expect(await store.noticesFor(participant.id, ['held', 'failed'])).toEqual([]);
      expect(await store.noticesFor(participant.id, ['sent'])).toHaveLength(2);
    } finally {
      await bot.close();
      await store.close();
    }
  }, 90_000);
});
