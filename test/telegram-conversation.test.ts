/**
 * The conversation's care for people, over real HTTP through the Telegram webhook and the fake
 * Bot API, in English, Arabic and Sorani: a person whose app sends no language writes first and
 * gets their language; questions are answered between buttons; "3." is text; an edited message
 * replaces its part of the draft; /status and /about answer at any step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';
import { textOf, type Lang } from './helpers/texts.js';

let bot: TelegramTestBot;
beforeAll(async () => {
  bot = await startTelegram();
});
afterAll(async () => {
  await bot.close();
});

let nextMessageId = 5000;

const CASES: { lang: Lang; id: number; first: string; deadline: string; digits: (n: number) => string }[] = [
  { lang: 'en', id: 6200000001, first: 'Hi, can I send a Word file?', deadline: 'What is the deadline?', digits: String },
  { lang: 'ar', id: 6200000002, first: 'مرحبا، هل يمكنني إرسال ملف وورد؟', deadline: 'ما هو الموعد النهائي؟', digits: String },
  { lang: 'ckb', id: 6200000003, first: 'سڵاو، دەتوانم فایلی وۆرد بنێرم؟', deadline: 'دوا وادە کەیە؟', digits: (n) => n.toLocaleString('ckb', { useGrouping: false }) },
];

describe('the conversation on Telegram', () => {
  for (const c of CASES) {
    it(`${c.lang}: first words, questions, slips and edits over the webhook`, async () => {
      // No language_code: Telegram omits it for some users.
      const person = new Person(c.id, '');
      const seen = () => bot.api.messages(c.id);
      const step = async (update: Update) => {
        const before = seen().length;
        expect((await bot.post(update)).status).toBe(200);
        return seen().slice(before);
      };
      const buttons = (ms: ReturnType<typeof seen>) => (ms.at(-1)?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
      const text = (t: string) => {
        const u = person.text(t);
        u.message!.message_id = nextMessageId++;
        return u;
      };

      // No hint: /start gets the short first screen in the three languages.
      let r = await step(person.command('start'));
      expect(r).toHaveLength(1);
      expect(r[0]!.text).toMatch(/Please choose your language[\s\S]*يُرجى اختيار اللغة[\s\S]*تکایە زمانەکەتان هەڵبژێرن/);
      expect(buttons(r)).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
      // The first words choose the language of their letters: the answer, then the terms in it,
      // the other two languages as buttons.
      r = await step(text(c.first));
      expect(r).toHaveLength(2);
      expect(r[0]!.text).toContain('.docx');
      expect(buttons(r)).toEqual(['consent:yes', 'consent:no', ...(['en', 'ar', 'ckb'] as const).filter((l) => l !== c.lang).map((l) => `lang:${l}`)]);
      if (c.lang !== 'en') for (const m of r) expect(m.text).toMatch(/[\u0600-\u06FF]/);

      await step(person.press('consent:yes'));
      // A question between buttons: answered, and the menu comes back with its buttons.
      r = await step(text(c.deadline));
      expect(r).toHaveLength(2);
      expect(buttons(r)).toContain('menu:submit');

      await step(person.press('menu:submit'));
      await step(person.press('topic:1'));
      r = await step(text('👍🙏🏽🇮🇶'));
      expect(r).toHaveLength(2); // the nudge, and the name asked again
      await step(text('Hama'));
      await step(person.press('skip:organisation'));
      await step(person.press('skip:country'));
      await step(person.press('skip:email'));

      const first = text(textOf(c.lang, 100));
      await step(first);
      r = await step(text('3.'));
      expect(r.at(-1)!.text).toContain(c.digits(101));
      // The person edits their first message in Telegram: that part is replaced, the count follows.
      const edit = (words: number) => {
        const u = person.fixture('edited-message');
        u.edited_message!.message_id = first.message!.message_id;
        u.edited_message!.text = textOf(c.lang, words);
        return u;
      };
      r = await step(edit(160));
      expect(r.at(-1)!.text).toContain(c.digits(161));

      // /about from the text step, and back to it.
      r = await step(person.command('about'));
      expect(r.at(-1)!.text).toContain(c.digits(161));
      await step(person.press('body:done'));
      r = await step(person.press('review:confirm'));
      expect(r).toHaveLength(1);
      expect(r[0]!.text).toMatch(/ICS-\w{6}/);
      // The receipt does not repeat the text; "Show my text" does, once.
      expect(r[0]!.text).not.toContain(textOf(c.lang, 160).slice(0, 40));
      expect(buttons(r).at(-1)).toBe('receipt:text');
      r = await step(person.press('receipt:text'));
      expect(r[0]!.text).toContain(textOf(c.lang, 160).slice(0, 40));
      expect(buttons(r)).not.toContain('receipt:text');
      // An edit after the receipt: one short note, never a second receipt.
      r = await step(edit(170));
      expect(r).toHaveLength(1);
      expect(r[0]!.text).not.toMatch(/ICS-\w{6}/);
      r = await step(person.command('status'));
      const code = r.at(-1)!.text.match(/ICS-\w{6}/)![0];
      // Withdrawn after a confirmation, and still told in /status with its state.
      await step(person.press(`mine:withdraw:${code}`));
      await step(person.press('withdraw:yes'));
      r = await step(person.command('status'));
      expect(r.at(-1)!.text).toContain(code);
      expect(r.at(-1)!.text).toContain({ en: 'withdrawn', ar: 'مسحوبة', ckb: 'کێشراوەتەوە' }[c.lang]);
      // Right to left: commands isolated in the help text.
      r = await step(person.command('help'));
      if (c.lang !== 'en') expect(r[0]!.text).toContain('\u2068/status\u2069');
    });
  }
});
