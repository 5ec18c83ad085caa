/**
 * Issue 20 on the console (the adapter a person types into, on a real SQLite file), in English,
 * Arabic and Sorani: a greeting typed first, the terms agreed by typing yes, a question in
 * everyday words, a topic typed by its title, and at the text step "1" (printed beside Done) asked
 * about instead of added — Done is pressed by typing its words, as the README says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'icssi-console-understood-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function session(dbFile: string, lines: string[], hint: string): Promise<string> {
  const store = await openStore(`file:${dbFile}`);
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const dispatcher = new Dispatcher({ store, i18n, call, secret: TEST_SECRET, clock: () => new Date('2026-11-26T09:00:00Z'), random: seeded(3) });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const adapter = new ConsoleAdapter({ input: Readable.from(lines.map((l) => l + '\n')), output, handle: (e) => dispatcher.handle(e), localeHint: hint });
  dispatcher.registerSender('console', (ref, m) => adapter.send(ref, m));
  await adapter.start();
  await dispatcher.drain();
  await store.close();
  return printed;
}

const CASES: { lang: Lang; hint: string; hello: string; greeted: string; yes: string; question: string; answered: RegExp; title: string; done: string; asked: RegExp; receipt: RegExp }[] = [
  { lang: 'en', hint: 'en_GB.UTF-8', hello: 'hello', greeted: 'Hello, and welcome!', yes: 'yes', question: 'whats the word limit', answered: /from 150 to 350/, title: 'Solidarity', done: 'Done', asked: /Did you mean “Done”\?/, receipt: /Your receipt code is ICS-/ },
  { lang: 'ar', hint: 'ar_IQ.UTF-8', hello: 'مرحبا', greeted: 'أهلاً وسهلاً بك!', yes: 'نعم', question: 'شكد كلمة لازم اكتب', answered: /150/, title: 'التضامن الدولي', done: 'تم', asked: /هل تقصد «تم»؟/, receipt: /ICS-/ },
  { lang: 'ckb', hint: 'ckb_IQ.UTF-8', hello: 'سڵاو', greeted: 'سڵاو، بەخێربێیت!', yes: 'بەڵێ', question: 'چەند وشە بنووسم بۆ بەشداری', answered: /١٥٠/, title: 'هاوپشتیی نێودەوڵەتی', done: 'تەواو', asked: /مەبەستت «تەواو» بوو؟/, receipt: /ICS-/ },
];

describe('the console understands typed words', () => {
  for (const c of CASES) {
    it(`in ${c.lang}`, async () => {
      const out = await session(join(dir, `${c.lang}.db`), [
        c.hello, // LANG gave the language: the terms came at once; greeted back, then one short line about them
        c.yes, // the terms, typed
        c.question,
        '2', // Send a contribution
        c.title, // the topic, typed by its title
        'Hama',
        '1', '1', '1', // skip organisation, country, e-mail
        textOf(c.lang, 160),
        '1', // beside Done: asked about, not added
        c.done,
        '1', // Send
      ], c.hint);
      expect(out).toContain(c.greeted);
      // After the greeting, the terms are asked again as one short line, not the whole text twice.
      const texts = JSON.parse(readFileSync(new URL(`../locales/${c.lang}/bot.json`, import.meta.url), 'utf8')) as { consent: { prompt: string } };
      const termsStart = texts.consent.prompt.split('\n')[0]!;
      expect(out.split(termsStart)).toHaveLength(2);
      expect(out).toContain((JSON.parse(readFileSync(new URL(`../locales/${c.lang}/understanding.json`, import.meta.url), 'utf8')) as { consentAgain: string }).consentAgain);
      expect(out).not.toMatch(/I did not understand|لم أفهم|تێنەگەیشتم/);
      expect(out).toMatch(c.answered);
      expect(out).toMatch(c.asked);
      expect(out).toMatch(c.receipt);
      // The text is the 160 words, without a "1" added to it.
      expect(out).toContain(c.lang === 'ckb' ? '١٦٠' : '160');
      expect(out).not.toMatch(/161|١٦١/);
    });
  }
});
