/**
 * Issue 20 in the conversation, on the console's harness (the real dispatcher, i18n and flow) in
 * English, Arabic and Sorani: greetings, thanks and "ok" answered warmly at any step, the terms
 * answered by typing, one short line instead of the terms again, choices typed by their label in
 * any language, questions in everyday forms answered (and never added to the text), and a bare
 * number at the text step asked about. The console itself: console-understood.test.ts; Telegram
 * and Messenger over HTTP: telegram-understood.test.ts, messenger-understood.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { choiceIds, makeBot, type Bot } from './helpers/harness.js';
import { textOf, type Lang } from './helpers/texts.js';
import type { OutboundMessage } from '../src/core/types.js';

const keys = (ms: OutboundMessage[]) => ms.map((m) => m.key);

interface Case {
  lang: Lang;
  hello: string;
  thanks: string;
  ok: string;
  yes: string[];
  no: string;
  /** The second topic's title in another language than the conversation's. */
  otherTitle: string;
  /** An everyday question about the number of words, and one about the deadline with a greeting in front. */
  wordsQuestion: string;
  deadlineQuestion: string;
}

const CASES: Case[] = [
  { lang: 'en', hello: 'hello', thanks: 'thanks', ok: 'ok', yes: ['yes', 'I agree to the terms', 'Yes please'], no: 'no', otherTitle: 'إعادة بناء العراق',
    wordsQuestion: 'how many words do i need', deadlineQuestion: 'Hi, by when do I need to send my contribution?' },
  { lang: 'ar', hello: 'السلام عليكم', thanks: 'شكراً', ok: 'تمام', yes: ['نعم', 'موافق', 'أوافق على الشروط'], no: 'لا', otherTitle: 'Rebuilding Iraq',
    wordsQuestion: 'شكد كلمة لازم اكتب؟', deadlineQuestion: 'مرحبا، يمته آخر يوم للتقديم' },
  { lang: 'ckb', hello: 'سڵاو', thanks: 'سوپاس', ok: 'باشە', yes: ['بەڵێ', 'ڕازیم'], no: 'نەخێر', otherTitle: 'Rebuilding Iraq',
    wordsQuestion: 'ژمارەی وشەکان چەندە؟', deadlineQuestion: 'سڵاو، کۆتا ڕۆژی ناردنی وتار کەیە' },
];

/** The second topic's title in the conversation's language: the choice is named by it. */
const TOPIC_2_TITLE: Record<Lang, string> = { en: 'Rebuilding Iraq', ar: 'إعادة بناء العراق', ckb: 'بنیاتنانەوەی عێراق' };
/** The languages offered on the first terms beside the hinted one. */
const OTHERS: Record<Lang, string[]> = { en: ['lang:ar', 'lang:ckb'], ar: ['lang:en', 'lang:ckb'], ckb: ['lang:en', 'lang:ar'] };

const HINT: Record<Lang, string> = { en: 'en', ar: 'ar', ckb: 'ckb' };

/** With the platform's hint the greeting and the terms come at once (issue 20, point 5). */
async function atConsent(bot: Bot, c: Case) {
  return bot.say('/start', 'u1', HINT[c.lang]);
}

async function atMenu(bot: Bot, c: Case) {
  await atConsent(bot, c);
  return bot.press('consent:yes');
}

for (const c of CASES) {
  describe(`in ${c.lang}`, () => {
    it('a greeting, thanks or "ok" at any step gets a short warm answer, then the step again — never "I did not understand"', async () => {
      const bot = await makeBot();
      await bot.say('/start', 'u1', HINT[c.lang]);
      // At the first terms: greeted back, and the terms asked again as one short line, not the whole text.
      let r = await bot.say(c.hello, 'u1', HINT[c.lang]);
      expect(keys(r)).toEqual(['understanding:social.greeting', 'understanding:consentAgain']);
      expect(r.map((m) => m.lang)).toEqual([c.lang, c.lang]);
      await bot.press('consent:yes');
      r = await bot.say(c.thanks);
      expect(keys(r)).toEqual(['understanding:social.thanks', 'menu.prompt']);
      r = await bot.say(c.ok);
      expect(keys(r)).toEqual(['understanding:social.ok', 'menu.prompt']);
      await bot.press('menu:submit');
      r = await bot.say(c.hello);
      expect(keys(r)).toEqual(['understanding:social.greeting', 'submit.topicPrompt']);
      await bot.press('topic:1');
      // At the name question a greeting is not a name.
      r = await bot.say(c.hello);
      expect(keys(r)).toEqual(['understanding:social.greeting', 'submit.namePrompt']);
      expect(keys(await bot.say(c.thanks))).toEqual(['understanding:social.thanks', 'submit.namePrompt']);
      // «سلام» and "Hala" are names as well as greetings: where a name is asked, they are the name.
      expect(keys(await bot.say(c.lang === 'en' ? 'Hala' : 'سلام'))).toEqual(['submit.organisationPrompt']);
    });

    it(`the terms are answered by typing (${c.yes.join(', ')}), and an unclear answer gets one short line, not the terms again`, async () => {
      for (const yes of c.yes) {
        const bot = await makeBot();
        await atConsent(bot, c);
        const r = await bot.say(yes);
        expect(keys(r), yes).toEqual(['consent.thanks', 'menu.prompt']);
      }
      const bot = await makeBot();
      await atConsent(bot, c);
      const unclear = await bot.say('purple elephants');
      expect(keys(unclear)).toEqual(['understanding:consentAgain']);
      expect(unclear[0]!.text.length).toBeLessThan(120);
      // The same answers as the terms, the other two languages included (the person may not read this one).
      expect(choiceIds(unclear[0])).toEqual(['consent:yes', 'consent:no', ...OTHERS[c.lang]]);
      const declined = await bot.say(c.no);
      expect(keys(declined)[0]).toBe('consent.declined');
      // The menu then offers "Review the terms": typing agreement there is that choice (the terms
      // again, whole this time), and a yes there agrees.
      expect(keys(await bot.say(c.yes.at(-1)!))).toEqual(['consent.prompt']);
      expect(keys(await bot.say(c.yes[0]!))).toEqual(['consent.thanks', 'menu.prompt']);
    });

    it("a choice's label typed in another language, or its number in another script, picks it", async () => {
      const bot = await makeBot();
      await atMenu(bot, c);
      await bot.press('menu:submit');
      let r = await bot.say(c.otherTitle);
      expect(r.at(-1)!.key).toBe('submit.namePrompt');
      expect(r.map((m) => m.text).join('\n')).toContain(TOPIC_2_TITLE[c.lang]);
      const bot2 = await makeBot();
      await atMenu(bot2, c);
      await bot2.press('menu:submit');
      r = await bot2.say('۳');
      expect(r.at(-1)!.key).toBe('submit.namePrompt');
    });

    it('questions in everyday forms are answered at the menu and at the text step, and not added to the text', async () => {
      const bot = await makeBot();
      await atMenu(bot, c);
      let r = await bot.say(c.deadlineQuestion);
      expect(keys(r)).toEqual(['faq:answers.noDeadline', 'menu.prompt']);
      await bot.press('menu:submit');
      await bot.press('topic:1');
      await bot.say('Hama');
      await bot.press('skip:organisation');
      await bot.press('skip:country');
      await bot.press('skip:email');
      await bot.say(textOf(c.lang, 10));
      r = await bot.say(c.wordsQuestion);
      expect(keys(r)).toEqual(['faq:notAdded', 'faq:answers.words', 'submit.progress']);
      r = await bot.say(c.deadlineQuestion);
      expect(keys(r)).toEqual(['faq:notAdded', 'faq:answers.noDeadline', 'submit.progress']);
      // A bare number that is also a button's number is asked about; the text stays at 10 words.
      r = await bot.say('1');
      expect(keys(r)).toEqual(['understanding:numberAtText', 'submit.progress']);
      expect(r[0]!.text).toContain(c.lang === 'en' ? 'Done' : c.lang === 'ar' ? 'تم' : 'تەواو');
      expect(r.at(-1)!.text).toContain(c.lang === 'ckb' ? '١٠' : '10');
    });
  });
}

describe('first contact', () => {
  it('a first message with a greeting and a question gets the greeting, the answer and the terms (issue 20, Telegram-like)', async () => {
    const bot = await makeBot();
    const r = await bot.say('مرحباً، أودّ المشاركة في مؤتمر بغداد. هل يمكنني كتابة مساهمتي باللغة العربية؟');
    expect(keys(r)).toEqual(['start.greeting', 'faq:answers.language', 'consent.prompt']);
    expect(r.every((m) => m.lang === 'ar')).toBe(true);
  });

  it('"hello" on the three-language first screen is greeted back in English and the terms follow; «مرحبا» the same in Arabic', async () => {
    const bot = await makeBot();
    await bot.say('/start');
    let r = await bot.say('hello');
    expect(keys(r)).toEqual(['understanding:social.greeting', 'consent.prompt']);
    expect(r.map((m) => m.lang)).toEqual(['en', 'en']);
    const other = await makeBot();
    await other.say('/start');
    r = await other.say('مرحبا');
    expect(keys(r)).toEqual(['understanding:social.greeting', 'consent.prompt']);
    expect(r.map((m) => m.lang)).toEqual(['ar', 'ar']);
  });

  it('a yes in another language at the first terms agrees (it asks for no other language); a language button typed by its label picks it', async () => {
    for (const [hint, yes] of [['en', 'نعم'], ['en', 'موافق'], ['en', 'بەڵێ'], ['ar', 'yes'], ['ckb', 'موافق']] as const) {
      const bot = await makeBot();
      await bot.say('/start', 'u1', hint);
      const r = await bot.say(yes, 'u1', hint);
      expect(keys(r), `${hint}: ${yes}`).toEqual(['consent.thanks', 'menu.prompt']);
    }
    const bot = await makeBot();
    await bot.say('/start', 'u1', 'en');
    const r = await bot.say('العربية', 'u1', 'en');
    expect(keys(r)).toEqual(['start.greeting', 'consent.prompt']);
    expect(r.map((m) => m.lang)).toEqual(['ar', 'ar']);
  });

  it('«مرحبا» at the first terms of an English /start greets again in Arabic and gives the terms in Arabic', async () => {
    const bot = await makeBot();
    await bot.say('/start', 'u1', 'en');
    const r = await bot.say('مرحبا', 'u1', 'en');
    expect(keys(r)).toEqual(['start.greeting', 'consent.prompt']);
    expect(r.map((m) => m.lang)).toEqual(['ar', 'ar']);
    expect(choiceIds(r[1])).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
  });
});
