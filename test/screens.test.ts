/**
 * Screens a person reads on a phone, in the three languages, through the real dispatcher, i18n
 * and flow (the console's platform): the first contact with and without a language hint, the
 * topic said once, a receipt that offers the text instead of repeating it, no count said twice,
 * the terms and the erasure saying what the bot really does, dates in the reader's words and
 * digits, and the draft that /status and a topic link mid-draft no longer hide.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { choiceIds, makeBot, textOf as joined, type Bot } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import type { OutboundMessage } from '../src/core/types.js';

type Lng = 'en' | 'ar' | 'ckb';
const LNGS: Lng[] = ['en', 'ar', 'ckb'];
const keys = (ms: OutboundMessage[]) => ms.map((m) => m.key);
const call = (lng: Lng) => JSON.parse(readFileSync(new URL(`../locales/${lng}/call-icssi-2019.json`, import.meta.url), 'utf8')) as {
  topics: Record<string, { short: string; question: string }>;
};
const others = (lng: Lng) => LNGS.filter((l) => l !== lng).map((l) => `lang:${l}`);

/** The language known from the hint: at the menu after agreeing. */
async function atMenu(bot: Bot, lng: Lng, user = 'u1') {
  await bot.say('/start', user, lng);
  return bot.press('consent:yes', user);
}

/** At the text step of topic 2 with a name and the rest skipped. */
async function atText(bot: Bot, lng: Lng) {
  await atMenu(bot, lng);
  await bot.press('menu:submit');
  await bot.press('topic:2');
  await bot.say(lng === 'en' ? 'Layla' : lng === 'ar' ? 'ليلى' : 'هێرۆ');
  for (const s of ['skip:organisation', 'skip:country', 'skip:email']) await bot.press(s);
}

const WORDS: Record<Lng, { receiptAt: RegExp; statusWord: string; review: string; erasedWrite: string; draft: RegExp; link: RegExp }> = {
  en: {
    receiptAt: /26 November 2026 at 12:00 \(Baghdad time\)/, statusWord: 'Status: received', review: 'Review the terms',
    erasedWrite: 'write to icssi.project@gmail.com', draft: /Not sent yet: your draft \(Rebuilding Iraq, 0 words\)/,
    link: /The link you opened is for topic 3: Solidarity\./,
  },
  ar: {
    receiptAt: /26 تشرين الثاني 2026، الساعة 12:00 \(بتوقيت بغداد\)/, statusWord: 'الحالة: مُستلَمة', review: 'مراجعة الشروط',
    erasedWrite: 'يُرجى الكتابة إلى \u2068icssi.project@gmail.com\u2069', draft: /لم تُرسَل بعد: مسودتك \(إعادة بناء العراق، بلا كلمات\)/,
    link: /الرابط الذي فتحته للمحور 3: التضامن الدولي\./,
  },
  ckb: {
    receiptAt: /٢٦ی تشرینی دووەمی ٢٠٢٦، کاتژمێر ١٢:٠٠ \(کاتی بەغدا\)/, statusWord: 'دۆخ: گەیشتووە', review: 'بینینی مەرجەکان',
    erasedWrite: 'بۆ \u2068icssi.project@gmail.com\u2069 بنووسن', draft: /هێشتا نەنێردراوە: ڕەشنووسەکەتان \(بنیاتنانەوەی عێراق، ٠ وشە\)/,
    link: /ئەو بەستەرەی کردتانەوە بۆ تەوەری ٣ـە: هاوپشتیی نێودەوڵەتی\./,
  },
};

describe.each(LNGS)('%s', (lng) => {
  const w = WORDS[lng];

  describe('first contact', () => {
    it('with a hint: the greeting in that language, then the terms at once with the other two languages as buttons', async () => {
      const bot = await makeBot();
      const r = await bot.say('/start', 'u1', lng);
      expect(keys(r)).toEqual(['start.greeting', 'consent.prompt']);
      expect(r.map((m) => m.lang)).toEqual([lng, lng]);
      expect(choiceIds(r[1])).toEqual(['consent:yes', 'consent:no', ...others(lng)]);
    });

    it('without a hint: one short screen in all three languages; the chosen one gets the terms', async () => {
      const bot = await makeBot();
      const [screen, ...rest] = await bot.say('/start');
      expect(rest).toEqual([]);
      expect(screen!.text.split('\n\n')).toHaveLength(3);
      expect(choiceIds(screen)).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
      const r = await bot.press(`lang:${lng}`);
      expect(keys(r)).toEqual(['consent.prompt']);
      expect(r[0]!.lang).toBe(lng);
      expect(choiceIds(r[0])).toEqual(['consent:yes', 'consent:no', ...others(lng)]);
    });
  });

  describe('shorter screens', () => {
    it('the topic question is stated once after the list: the choice names the topic by its title', async () => {
      const bot = await makeBot();
      await atMenu(bot, lng);
      const list = await bot.press('menu:submit');
      const { question, short } = call(lng).topics['2']!;
      expect(joined(list)).toContain(question);
      const chosen = await bot.press('topic:2');
      expect(joined(chosen)).toContain(short);
      expect(joined(chosen)).not.toContain(question);
      const r = await bot.say(lng === 'en' ? 'Layla' : 'ليلى');
      expect(joined(r)).not.toContain(question);
    });

    it('the receipt gives code, topic, length and time, and "Show my text" shows the text, for one message only', async () => {
      const bot = await makeBot();
      await atText(bot, lng);
      const text = textOf(lng, 200);
      await bot.say(text);
      await bot.press('body:done');
      const r = await bot.press('review:confirm');
      expect(r).toHaveLength(1);
      expect(r[0]!.text).toMatch(/ICS-[34679ACDEFGHJKMNPQRTWXY]{6}/);
      expect(r[0]!.text).toContain(call(lng).topics['2']!.short);
      expect(r[0]!.text).toMatch(w.receiptAt);
      expect(r[0]!.text).not.toContain(text.slice(0, 30));
      expect(choiceIds(r[0]).at(-1)).toBe('receipt:text');
      // Typed as its words, as every choice can be.
      const shown = await bot.say(r[0]!.choices!.at(-1)!.label);
      expect(shown[0]!.text).toContain(text.slice(0, 30));
      expect(choiceIds(shown.at(-1))).not.toContain('receipt:text');
      // Gone after any other message: an old press is an old button.
      await bot.press('menu:help');
      const old = await bot.press('receipt:text');
      expect(old[0]!.key).toBe('errors.oldButton');
    });

    it('no count said twice: over the maximum only the over-maximum line; a removal leaves the count to the progress line', async () => {
      const bot = await makeBot();
      await atText(bot, lng);
      let r = await bot.say(textOf(lng, 360));
      expect(keys(r)).toEqual(['submit.overMax']);
      expect(choiceIds(r[0])).toEqual(['body:done', 'body:undo', 'body:clear']);
      await bot.say('Basra');
      r = await bot.press('body:undo');
      expect(keys(r)).toEqual(['submit.undone', 'submit.overMax']);
      expect(r[0]!.text).not.toMatch(/360|٣٦٠/);
    });

    it('changing a sent contribution goes straight to its review, which names it once', async () => {
      const bot = await makeBot();
      await atText(bot, lng);
      await bot.say(textOf(lng, 200));
      await bot.press('body:done');
      const code = (await bot.press('review:confirm'))[0]!.text.match(/ICS-\w{6}/)![0];
      expect(joined(await bot.say('/status'))).toContain(w.statusWord);
      const r = await bot.press(`mine:edit:${code}`);
      expect(keys(r)).toEqual(['review.titleEdit']);
    });
  });

  describe('the second locale review', () => {
    it('the terms say drafts are kept before sending and that the organisers may write, and how to stop them', async () => {
      const bot = await makeBot();
      const [, terms] = await bot.say('/start', 'u1', lng);
      expect(terms!.text).toMatch({ en: /an unsent draft too/, ar: /ومنها المسودة التي لم تُرسَل بعد/, ckb: /ڕەشنووسی نەنێردراویش/ }[lng]);
      expect(terms!.text).toMatch(/\/stop/);
    });

    it('"Review the terms", not "I agree", for the menu entry that only shows them', async () => {
      const bot = await makeBot();
      await bot.say('/start', 'u1', lng);
      const r = await bot.press('consent:no');
      const menu = r.at(-1)!;
      expect(menu.choices!.find((c) => c.id === 'menu:consent')!.label).toBe(w.review);
      expect(menu.text).toContain(`«${w.review}»`.replace('«', lng === 'en' ? '“' : '«').replace('»', lng === 'en' ? '”' : '»'));
    });

    it('the erasure says what it cannot reach and whom to write to', async () => {
      const bot = await makeBot();
      await atMenu(bot, lng);
      await bot.say('/delete');
      const r = await bot.press('delete:yes');
      expect(r[0]!.text).toContain(w.erasedWrite);
    });

    it('dates in the reader\'s words and digits: the retention day, and Sorani December as Sorani writes it', async () => {
      const bot = await makeBot(undefined, { now: new Date('2026-12-20T09:00:00Z'), call: (c) => ({ ...c, retainUntil: '2027-06-30' }) });
      const [, terms] = await bot.say('/start', 'u1', lng);
      expect(terms!.text).toContain({ en: 'until 30 June 2027; then it is erased', ar: 'حتى 30 حزيران 2027، ثم تُمحى', ckb: 'تا ٣٠ی حوزەیرانی ٢٠٢٧، دواتر دەسڕدرێتەوە' }[lng]);
      expect(terms!.text).not.toContain('2027-06-30');
      await bot.press('consent:yes');
      await bot.press('menu:submit');
      await bot.press('topic:1');
      await bot.say('Noor');
      for (const s of ['skip:organisation', 'skip:country', 'skip:email']) await bot.press(s);
      await bot.say(textOf(lng, 200));
      await bot.press('body:done');
      const receipt = (await bot.press('review:confirm'))[0]!.text;
      expect(receipt).toContain({ en: '20 December 2026 at 12:00', ar: '20 كانون الأول 2026، الساعة 12:00', ckb: '٢٠ی کانوونی یەکەمی ٢٠٢٦، کاتژمێر ١٢:٠٠' }[lng]);
      expect(receipt).not.toContain('کانونی');
    });
  });

  describe('the draft is never hidden', () => {
    it('/status during a first draft says nothing was sent yet, names the draft and offers to continue it', async () => {
      const bot = await makeBot();
      await atText(bot, lng);
      const r = await bot.say('/status');
      expect(r.at(-1)!.text).toMatch(w.draft);
      expect(choiceIds(r.at(-1))).toEqual(['draft:continue', 'menu:back']);
      const back = await bot.press('draft:continue');
      expect(back.at(-1)!.key).toBe('submit.bodyPrompt');
    });

    it('a topic link mid-draft names the link\'s topic in the draft prompt', async () => {
      const bot = await makeBot();
      await atText(bot, lng);
      const r = await bot.say('/start topic3', 'u1', lng);
      expect(r.at(-1)!.key).toBe('draft.found');
      expect(r.at(-1)!.text).toMatch(w.link);
      const same = await bot.say('/start topic2', 'u1', lng);
      expect(same.at(-1)!.text).toContain(call(lng).topics['2']!.short);
      expect(same.at(-1)!.text).not.toMatch(w.link);
    });
  });
});
