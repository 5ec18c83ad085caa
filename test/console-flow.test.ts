/**
 * The whole flow end to end through the console adapter, on a real SQLite file, in English, Arabic
 * and Sorani: what a person typing in a terminal sees. Also: a restart in the middle resumes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { openStore } from '../src/storage/open-store.js';
import { seeded, TEST_SECRET } from './helpers/harness.js';
import { textOf, type Lang } from './helpers/texts.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one console session over `lines` on the database file; returns everything printed. */
async function session(dbFile: string, lines: string[], opts: { user?: string; hint?: string; seed?: number } = {}): Promise<string> {
  const store = await openStore(`file:${dbFile}`);
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const dispatcher = new Dispatcher({ store, i18n, call, secret: TEST_SECRET, clock: () => new Date('2026-11-26T09:00:00Z'), random: seeded(opts.seed ?? 1) });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const adapter = new ConsoleAdapter({ input: Readable.from(lines.map((l) => l + '\n')), output, handle: (e) => dispatcher.handle(e), user: opts.user, localeHint: opts.hint });
  dispatcher.registerSender('console', (ref, m) => adapter.send(ref, m));
  await adapter.start();
  await dispatcher.drain();
  await store.close();
  return printed;
}

const FSI = '\u2068';
const PDI = '\u2069';

const cases: { lang: Lang; hint: string; done: string; expect: { greeting: RegExp; words: RegExp; receipt: RegExp } }[] = [
  { lang: 'en', hint: 'en_GB.UTF-8', done: 'Done', expect: { greeting: /automated assistant/, words: /100 words so far/, receipt: /Your receipt code is ICS-/ } },
  { lang: 'ar', hint: 'ar_IQ.UTF-8', done: 'تم', expect: { greeting: /[\u0600-\u06FF]/, words: /100|١٠٠/, receipt: /ICS-/ } },
  { lang: 'ckb', hint: 'ckb_IQ.UTF-8', done: 'تەواو', expect: { greeting: /[\u0600-\u06FF]/, words: /100|١٠٠/, receipt: /ICS-/ } },
];

describe('the console, end to end', () => {
  for (const c of cases) {
    it(`runs the whole flow in ${c.lang}`, async () => {
      const db = join(dir, `${c.lang}.db`);
      const out = await session(db, [
        '1', // the hinted language is the first choice
        '1', // I agree
        '2', // Send a contribution
        '٣', // topic 3, typed in Eastern Arabic digits
        'Hama', // name
        '1', // skip organisation
        'Iraq',
        '1', // skip e-mail
        textOf(c.lang, 100),
        textOf(c.lang, 150),
        c.done, // the button's words in the person's language
        '1', // Send
        '/status',
      ], { hint: c.hint });
      expect(out).toMatch(c.expect.greeting);
      expect(out).toMatch(c.expect.words);
      expect(out).toMatch(c.expect.receipt);
      expect(out).toContain(textOf(c.lang, 100));
      const code = out.match(/ICS-[34679ACDEFGHJKMNPQRTWXY]{6}/)![0];
      if (c.lang !== 'en') {
        // Codes inside Arabic-script sentences are isolated so they display left to right.
        expect(out).toContain(`${FSI}${code}${PDI}`);
        // The replies are in the chosen language, not English.
        expect(out).not.toContain('Your receipt code');
      }
      expect(out.split(code).length).toBeGreaterThan(2); // in the receipt and in /status
    });
  }

  it('a restart in the middle of the flow resumes where the person was', async () => {
    const db = join(dir, 'restart.db');
    await session(db, ['1', '1', '2', '1', 'Kawa', '1', '1', '1', textOf('en', 120)]);
    // A new process on the same file: the draft and the step survive.
    const out = await session(db, [textOf('en', 80), 'Done', '1']);
    expect(out).toContain('Welcome back');
    expect(out).toContain('200 words so far');
    expect(out).toMatch(/Your receipt code is ICS-/);
    expect(out).toContain(textOf('en', 120));
  });
});
