/**
 * The conversation meets people where they are, in English, Arabic and Sorani: the first words
 * choose the language, typed questions get answers at any step, no slip costs a person their text,
 * "My contributions" tells the whole story, and right-to-left replies isolate Latin inserts.
 * Through the real dispatcher (console platform) on the in-memory store.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './helpers/memory-store.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { choiceIds, makeBot, textOf as joined, type Bot } from './helpers/harness.js';
import { textOf, type Lang } from './helpers/texts.js';
import type { OutboundMessage } from '../src/core/types.js';

const FSI = '\u2068';
const PDI = '\u2069';

interface LangCase {
  lang: Lang;
  /** A first message written in the language that asks how many words. */
  first: string;
  /** The language's name as people type it. */
  typedName: string;
  /** The eight questions of the issue, in this language, with the answer each should get. */
  questions: [string, string][];
  /** A short statement that is not a question. */
  statement: string;
  /** The target word count in the language's digits. */
  target: string;
  done: string;
}

const CASES: LangCase[] = [
  {
    lang: 'en', first: 'Hello! How many words should I write?', typedName: 'English', statement: 'I like cheese', target: '250', done: 'Done',
    questions: [['Can I write in Arabic?', 'language'], ['How many words?', 'words'], ['What is the deadline?', 'noDeadline'], ['How do I submit?', 'how'],
      ['Who reads it?', 'who'], ['Can I send a Word file?', 'file'], ['Can I change it later?', 'change'], ['When and where is the conference?', 'event']],
  },
  {
    lang: 'ar', first: 'مرحبا، كم كلمة يجب أن أكتب؟', typedName: 'عربي', statement: 'أحب الجبن', target: '250', done: 'تم',
    questions: [['هل يمكنني الكتابة بالعربية؟', 'language'], ['كم كلمة؟', 'words'], ['ما هو الموعد النهائي؟', 'noDeadline'], ['كيف أرسل مساهمتي؟', 'how'],
      ['من يقرأ مساهمتي؟', 'who'], ['هل يمكنني إرسال ملف وورد؟', 'file'], ['هل يمكنني تعديلها لاحقاً؟', 'change'], ['متى وأين يُعقد المؤتمر؟', 'event']],
  },
  {
    lang: 'ckb', first: 'سڵاو، چەند وشە بنووسم؟', typedName: 'کوردی', statement: 'پەنیرم پێ خۆشە', target: '٢٥٠', done: 'تەواو',
    questions: [['دەتوانم بە عەرەبی بنووسم؟', 'language'], ['چەند وشە؟', 'words'], ['دوا وادە کەیە؟', 'noDeadline'], ['چۆن بەشدارییەکەم بنێرم؟', 'how'],
      ['کێ دەیخوێنێتەوە؟', 'who'], ['دەتوانم فایلی وۆرد بنێرم؟', 'file'], ['دواتر دەتوانم بیگۆڕم؟', 'change'], ['کۆنفرانسەکە کەی و لە کوێ دەبێت؟', 'event']],
  },
];

const keys = (ms: OutboundMessage[]) => ms.map((m) => m.key);
const answerKey = (topic: string) => (topic === 'event' ? 'call-icssi-2019:about.event' : `faq:answers.${topic}`);

/** Language chosen, consent given: at the menu. */
async function atMenu(bot: Bot, lang: Lang, user = 'u1') {
  await bot.say('/start', user);
  await bot.press(`lang:${lang}`, user);
  return bot.press('consent:yes', user);
}

/** At the text step on topic 1 (name, no other details). */
async function atText(bot: Bot, lang: Lang, user = 'u1') {
  await atMenu(bot, lang, user);
  await bot.press('menu:submit', user);
  await bot.press('topic:1', user);
  await bot.say('Hama', user);
  await bot.press('skip:organisation', user);
  await bot.press('skip:country', user);
  return bot.press('skip:email', user);
}

for (const c of CASES) {
  describe(`in ${c.lang}`, () => {
    describe('the first words decide the language', () => {
      it('a first message with no platform hint gets the greeting, the answer and the terms in its language', async () => {
        const bot = await makeBot();
        const r = await bot.say(c.first);
        expect(keys(r)).toEqual(['start.greeting', 'faq:answers.words', 'consent.prompt']);
        expect(r.every((m) => m.lang === c.lang)).toBe(true);
        expect(r[1]!.text).toContain(c.target);
        // The other two languages are buttons on the terms.
        expect(choiceIds(r[2])).toEqual(['consent:yes', 'consent:no', ...['en', 'ar', 'ckb'].filter((l) => l !== c.lang).map((l) => `lang:${l}`)]);
        // Pressing "1" agrees; the language is stored with the consent.
        await bot.say('1');
        expect(bot.store instanceof MemoryStore).toBe(true);
        const view = await bot.dispatcher.participantView({ platform: 'console', chatId: 'u1', userId: 'u1' });
        expect(view.locale).toBe(c.lang);
        expect(view.participant?.locale).toBe(c.lang);
      });

      it('the words win over an app language hint of another language', async () => {
        const bot = await makeBot();
        const hint = c.lang === 'en' ? 'ar' : 'en';
        const r = await bot.say(c.first, 'u1', hint);
        expect(r.every((m) => m.lang === c.lang)).toBe(true);
      });

      it('a message written at the first terms after /start switches the greeting and the terms to its language', async () => {
        const bot = await makeBot();
        const hint = c.lang === 'en' ? 'ar' : 'en';
        await bot.say('/start', 'u1', hint);
        const r = await bot.say(c.lang === 'en' ? 'good morning to everyone' : c.statement, 'u1', hint);
        // No "I did not understand" next to a greeting: the greeting and the terms, in their language.
        expect(keys(r)).toEqual(['start.greeting', 'consent.prompt']);
        expect(r.every((m) => m.lang === c.lang)).toBe(true);
        expect(choiceIds(r.at(-1))).not.toContain(`lang:${c.lang}`);
      });

      it(`the typed language name "${c.typedName}" chooses the language`, async () => {
        const bot = await makeBot();
        await bot.say('/start', 'u1', c.lang === 'en' ? 'ar' : 'en');
        const r = await bot.say(c.typedName);
        expect(r.at(-1)!.key).toBe('consent.prompt');
        expect(r.at(-1)!.lang).toBe(c.lang);
      });
    });

    describe('typed questions are answered at any step, and the step is asked again', () => {
      it('the eight common questions at the menu', async () => {
        const bot = await makeBot();
        await atMenu(bot, c.lang);
        for (const [question, topic] of c.questions) {
          const r = await bot.say(question);
          expect(keys(r), question).toEqual([answerKey(topic), 'menu.prompt']);
          expect(r[0]!.lang).toBe(c.lang);
        }
        // The facts come from the call definition: the word range and the event days.
        const words = await bot.say(c.questions[1]![0]);
        expect(words[0]!.text).toContain(c.target);
        const event = await bot.say(c.questions[7]![0]);
        expect(event[0]!.text).toMatch(c.lang === 'ckb' ? /٣١/ : /31/);
      });

      it('a question at the name step is answered and the name is still asked', async () => {
        const bot = await makeBot();
        await atMenu(bot, c.lang);
        await bot.press('menu:submit');
        await bot.press('topic:2');
        const r = await bot.say(c.questions[4]![0]);
        expect(keys(r)).toEqual(['faq:answers.who', 'submit.namePrompt']);
      });

      it('free text that matches nothing says what the person can do', async () => {
        const bot = await makeBot();
        await atMenu(bot, c.lang);
        const r = await bot.say(c.statement);
        expect(keys(r)).toEqual(['faq:unclear', 'menu.prompt']);
        expect(r[0]!.text).toContain('help');
      });

      it('at the text step a short question is answered and said not to be added; anything else is text', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.say(textOf(c.lang, 40));
        let r = await bot.say(c.questions[1]![0]);
        expect(keys(r)).toEqual(['faq:notAdded', 'faq:answers.words', 'submit.progress']);
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٤٠' : '40');
        // A sentence of the contribution that happens to end with a question mark is text.
        r = await bot.say(`${textOf(c.lang, 20)} ${c.questions[1]![0]}`);
        expect(keys(r)).toEqual(['submit.progress']);
      });

      it('/about from the text step tells the three topics and returns to the step', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        const r = await bot.say('/about');
        expect(keys(r)).toContain('faq:answers.topics');
        expect(r.find((m) => m.key === 'faq:answers.topics')!.text.split('\n\n')).toHaveLength(4);
        expect(r.at(-1)!.key).toBe('submit.bodyPrompt');
      });
    });

    describe('no slip costs a person their text', () => {
      it('"3." and "7" at the text step are text, "2" (a button\'s number) is asked about; the typed button word is a press', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.say(textOf(c.lang, 10));
        let r = await bot.say('3.');
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١١' : '11');
        // A bare number that is also a button's ("2" beside "Remove last message" on the console)
        // is asked about, not added and not pressed.
        r = await bot.say('2');
        expect(keys(r)).toEqual(['understanding:numberAtText', 'submit.progress']);
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١١' : '11');
        r = await bot.say('7');
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١٢' : '12');
        r = await bot.say(c.done);
        // The verdict carries the count and the buttons: no progress line repeating the count.
        expect(keys(r)).toEqual(['submit.tooShort']);
        expect(choiceIds(r[0])).toEqual(['body:done', 'body:undo', 'body:clear']);
      });

      it('clearing asks first; "Remove last message" says which one it removed', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.say(textOf(c.lang, 30));
        await bot.say('Basra 2018');
        let r = await bot.press('body:undo');
        expect(keys(r)).toEqual(['submit.undone', 'submit.progress']);
        expect(r[0]!.text).toContain('Basra 2018');
        // The count left is said once, by the progress line.
        expect(r[0]!.text).not.toMatch(/30|٣٠/);
        expect(r[1]!.text).toMatch(/30|٣٠/);
        r = await bot.press('body:clear');
        expect(r.at(-1)!.key).toBe('submit.confirmClear');
        expect(choiceIds(r.at(-1))).toEqual(['clear:yes', 'clear:no']);
        r = await bot.press('clear:no');
        expect(keys(r)).toEqual(['submit.clearKept', 'submit.progress']);
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٣٠' : '30');
        await bot.press('body:clear');
        r = await bot.press('clear:yes');
        expect(keys(r)).toEqual(['submit.cleared', 'submit.bodyPrompt']);
      });

      it('Change → Text gives the size of the text (the review just showed it) and lets it be replaced, added to, or its last part removed', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        const first = textOf(c.lang, 100);
        await bot.say(first);
        await bot.say(textOf(c.lang, 100));
        await bot.say(c.done);
        await bot.press('review:edit');
        let r = await bot.press('edit:text');
        expect(r.at(-1)!.key).toBe('review.currentText');
        expect(r.at(-1)!.text).not.toContain(first.slice(0, 40));
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٢٠٠' : '200');
        expect(choiceIds(r.at(-1))).toEqual(['textopt:add', 'textopt:replace', 'textopt:undo', 'edit:back']);
        r = await bot.press('textopt:undo');
        expect(r[0]!.key).toBe('submit.undone');
        r = await bot.press('textopt:replace');
        expect(r.at(-1)!.key).toBe('submit.replacePrompt');
        r = await bot.say(textOf(c.lang, 160));
        expect(keys(r)).toEqual(['submit.replaced', 'submit.progress']);
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١٦٠' : '160');
        r = await bot.press('body:done');
        expect(r.at(-1)!.key).toBe('review.title');
        await bot.press('review:edit');
        await bot.press('edit:text');
        await bot.press('textopt:add');
        r = await bot.say(textOf(c.lang, 20));
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١٨٠' : '180');
      });

      it('an edit of a draft part replaces that part and shows the new count; other edits get one note', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.send({ kind: 'message', text: textOf(c.lang, 100), messageId: 'm1' });
        await bot.send({ kind: 'message', text: textOf(c.lang, 50), messageId: 'm2' });
        let r = await bot.send({ kind: 'edit', text: textOf(c.lang, 60), messageId: 'm1' });
        expect(keys(r)).toEqual(['submit.partEdited', 'submit.progress']);
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١١٠' : '110');
        r = await bot.send({ kind: 'edit', text: 'whatever', messageId: 'm-old' });
        expect(keys(r)).toEqual(['errors.edited']);
        await bot.say(textOf(c.lang, 100));
        await bot.say(c.done);
        r = await bot.press('review:confirm');
        expect(r[0]!.key).toBe('receipt.title');
        // After the receipt, an edit of a part never makes a second submission or receipt.
        r = await bot.send({ kind: 'edit', text: textOf(c.lang, 70), messageId: 'm2' });
        expect(keys(r)).toEqual(['errors.edited']);
      });

      it('a name or a part with no word in it is refused with a nudge', async () => {
        const bot = await makeBot();
        await atMenu(bot, c.lang);
        await bot.press('menu:submit');
        await bot.press('topic:3');
        let r = await bot.say('👍🙏🏽🇮🇶');
        expect(keys(r)).toEqual(['submit.nameNoWord', 'submit.namePrompt']);
        await bot.say('Layla');
        await bot.press('skip:organisation');
        await bot.press('skip:country');
        await bot.press('skip:email');
        r = await bot.say('🙏🏽 !!! 👍');
        expect(keys(r)).toEqual(['submit.partNoWord', 'submit.bodyPrompt']);
      });

      it('going past the maximum is said at once, and the text is kept', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.say(textOf(c.lang, 300));
        const r = await bot.say(textOf(c.lang, 350));
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٦٥٠' : '650');
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٣٠٠' : '300');
        expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '٣٥٠' : '350');
      });
    });

    describe('"My contributions" tells the whole story', () => {
      it('lists withdrawn contributions and organisers\' decisions', async () => {
        const bot = await makeBot();
        await atText(bot, c.lang);
        await bot.say(textOf(c.lang, 200));
        await bot.say(c.done);
        const code1 = (await bot.press('review:confirm'))[0]!.text.match(/ICS-\w{6}/)![0];
        await decide(coreApi(bot.dispatcher), { code: code1, decision: 'accepted', actor: 'cli', note: null });
        await bot.press('menu:submit');
        await bot.press('topic:2');
        await bot.press('details:same');
        await bot.say(textOf(c.lang, 200));
        await bot.say(c.done);
        const code2 = (await bot.press('review:confirm'))[0]!.text.match(/ICS-\w{6}/)![0];
        await bot.press('menu:mine');
        await bot.press(`mine:withdraw:${code2}`);
        await bot.press('withdraw:yes');
        const r = await bot.say('/status');
        const text = joined(r);
        expect(r.at(-1)!.key).toBe('mine.title');
        expect(text).toContain(code1);
        expect(text).toContain(code2);
        const states = { en: ['accepted', 'withdrawn'], ar: ['مقبولة', 'مسحوبة'], ckb: ['پەسەندکراوە', 'کێشراوەتەوە'] }[c.lang];
        for (const s of states) expect(text).toContain(s);
        // A withdrawn contribution is listed but offers no change.
        expect(choiceIds(r.at(-1))).not.toContain(`mine:edit:${code2}`);
      });
    });
  });
}

describe('right to left', () => {
  for (const lang of ['ar', 'ckb'] as const) {
    it(`${lang}: commands are isolated, Latin runs in an echoed text too, and the stored text is byte-exact`, async () => {
      const store = new MemoryStore();
      const bot = await makeBot(store);
      await atText(bot, lang);
      const help = await bot.say('/help');
      expect(help[0]!.text).toContain(`${FSI}/status${PDI}`);
      const mixed = `${textOf(lang, 160)} Iraqi Social Forum 2018.`;
      await bot.say(mixed);
      const review = await bot.say(lang === 'ar' ? 'تم' : 'تەواو');
      expect(review.at(-1)!.text).toContain(`${FSI}Iraqi Social Forum 2018.${PDI}`);
      await bot.press('review:confirm');
      // The receipt's "Show my text" shows it the same way.
      const shown = await bot.press('receipt:text');
      expect(shown[0]!.text).toContain(`${FSI}Iraqi Social Forum 2018.${PDI}`);
      const view = await bot.dispatcher.participantView({ platform: 'console', chatId: 'u1', userId: 'u1' });
      expect(view.contributions[0]!.text).toBe(mixed);
    });
  }

  it('en: an echoed text is left exactly as written', async () => {
    const bot = await makeBot();
    await atText(bot, 'en');
    const r = await bot.say(`${textOf('en', 160)} Basra.`);
    expect(r.at(-1)!.text).not.toContain(FSI);
  });
});
