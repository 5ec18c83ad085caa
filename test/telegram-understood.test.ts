/**
 * Issue 20 on Telegram, through the real webhook over HTTP and the fake Bot API, in English,
 * Arabic and Sorani: a greeting after /start is greeted back (not "I did not understand"), the
 * terms are accepted by typing yes in the person's language, a question in everyday Arabic or
 * Sorani is answered, a topic is chosen by typing its title, and at the text step a question is
 * answered and not added, and a bare "1" is asked about.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, type Lang } from './helpers/texts.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

let bot: TelegramTestBot;
beforeAll(async () => {
  bot = await startTelegram();
});
afterAll(async () => bot.close());

const texts = (lng: Lang) => JSON.parse(readFileSync(new URL(`../locales/${lng}/understanding.json`, import.meta.url), 'utf8')) as { social: Record<string, string>; consentAgain: string };

const CASES: { lang: Lang; id: number; hello: string; yes: string; question: string; title: string; textQuestion: string; answerWord: RegExp }[] = [
  { lang: 'en', id: 6200000001, hello: 'hello', yes: 'yes', question: 'how much time do i have left to submit', title: 'Solidarity', textQuestion: 'can i send a pdf instead?', answerWord: /\.pdf/ },
  { lang: 'ar', id: 6200000002, hello: 'السلام عليكم', yes: 'موافق', question: 'شنو تسوون بمعلوماتي الشخصية؟', title: 'التضامن الدولي', textQuestion: 'اكدر ادز ملف؟', answerWord: /\.pdf/ },
  { lang: 'ckb', id: 6200000003, hello: 'سڵاو', yes: 'بەڵێ', question: 'ژمارەی وشەکان چەندە؟', title: 'Solidarity', textQuestion: 'دەتوانم فایل بنێرم؟', answerWord: /\.pdf/ },
];

describe('understood the first time, on Telegram', () => {
  for (const c of CASES) {
    it(`in ${c.lang}: a greeting, "${c.yes}" to the terms, an everyday question, a typed topic, a question while writing`, async () => {
      const person = new Person(c.id, c.lang);
      const seen = () => bot.api.messages(person.id);
      const step = async (update: Parameters<TelegramTestBot['post']>[0]) => {
        const before = seen().length;
        expect((await bot.post(update)).status).toBe(200);
        return seen().slice(before);
      };
      const buttons = (ms: ReturnType<typeof seen>) => (ms.at(-1)?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);

      // Telegram's language_code: the greeting and the terms at once, in that language.
      let r = await step(person.command('start'));
      expect(buttons(r).slice(0, 2)).toEqual(['consent:yes', 'consent:no']);
      r = await step(person.text(c.hello));
      expect(r).toHaveLength(2);
      expect(r[0]!.text).toBe(texts(c.lang).social.greeting);
      // The terms asked again as one short line with the same buttons, not the whole text again.
      expect(r[1]!.text).toBe(texts(c.lang).consentAgain);
      expect(buttons(r).slice(0, 2)).toEqual(['consent:yes', 'consent:no']);
      r = await step(person.text(c.yes));
      expect(buttons(r)).toContain('menu:submit');
      r = await step(person.text(c.question));
      expect(r).toHaveLength(2);
      expect(buttons(r)).toContain('menu:submit');
      r = await step(person.press('menu:submit'));
      expect(buttons(r)).toEqual(['topic:1', 'topic:2', 'topic:3']);
      r = await step(person.text(c.title));
      // Chosen: the name is asked next (no topic buttons again).
      expect(buttons(r)).not.toContain('topic:1');
      expect(r.map((m) => m.text).join('\n')).toMatch(c.lang === 'en' ? /solidarity/i : /التضامن|هاوپشتی/);
      await step(person.text(c.lang === 'en' ? 'Hama' : 'هەمە'));
      await step(person.press('skip:organisation'));
      await step(person.press('skip:country'));
      await step(person.press('skip:email'));
      r = await step(person.text(textOf(c.lang, 20)));
      expect(buttons(r)).toContain('body:done');
      r = await step(person.text(c.textQuestion));
      expect(r.map((m) => m.text).join('\n')).toMatch(c.answerWord);
      expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٢٠' : '20');
      // "1" alone while writing is asked about (it is Done's number), and the text stays at 20 words.
      r = await step(person.text('1'));
      expect(r).toHaveLength(2);
      expect(r[0]!.text).toContain(c.lang === 'en' ? '“Done”' : c.lang === 'ar' ? '«تم»' : '«تەواو»');
      expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٢٠' : '20');
    });
  }
});
