/**
 * The conversation as a person lives it, through the real dispatcher, i18n and flow, on the
 * in-memory store (the same flow on SQLite and through the console: console-flow.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './helpers/memory-store.js';
import { choiceIds, makeBot, refOf, textOf as joined, type Bot } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { TEST_SECRET } from './helpers/harness.js';
import type { InboundEvent, OutboundMessage } from '../src/core/types.js';

async function consented(bot: Bot, user = 'u1', hint?: string) {
  await bot.say('/start', user, hint);
  // With a hint the terms come at once; without one, the three-language first screen.
  if (!hint) await bot.press('lang:en', user);
  return bot.press('consent:yes', user);
}

/** Up to the text step on topic 2 with full details. */
async function toBody(bot: Bot, user = 'u1') {
  await consented(bot, user);
  await bot.press('menu:submit', user);
  await bot.say('٢', user);
  await bot.say('Layla', user);
  await bot.say('Iraqi Social Forum', user);
  await bot.say('Iraq', user);
  return bot.say('layla@example.org', user);
}

async function submitted(bot: Bot, user = 'u1', words = 250) {
  await toBody(bot, user);
  await bot.say(textOf('en', words), user);
  await bot.say('Done', user);
  return bot.press('review:confirm', user);
}

describe('starting', () => {
  it('with a hint, greets as an automated bot in that language and goes straight to the terms, the other languages as buttons', async () => {
    for (const [hint, automated, others] of [['ar', 'آلي', ['English', 'کوردی (سۆرانی)']], ['ckb', 'ئۆتۆماتیکی', ['English', 'العربية']], ['en', 'automated', ['العربية', 'کوردی (سۆرانی)']]] as const) {
      const bot = await makeBot();
      const r = await bot.say('/start', 'u1', hint);
      expect(r).toHaveLength(2);
      expect(r[0]!.text).toContain(automated);
      expect(r[1]!.key).toBe('consent.prompt');
      expect(r[1]!.lang).toBe(hint);
      expect(choiceIds(r[1])).toEqual(['consent:yes', 'consent:no', ...others.map((n) => `lang:${n === 'English' ? 'en' : n === 'العربية' ? 'ar' : 'ckb'}`)]);
      expect(r[1]!.choices!.slice(2).map((c) => c.label)).toEqual(others);
    }
  });

  it('another language pressed on the first terms says the greeting and the terms again in it', async () => {
    const bot = await makeBot();
    await bot.say('/start', 'u1', 'en');
    const r = await bot.press('lang:ckb');
    expect(r.map((m) => m.lang)).toEqual(['ckb', 'ckb']);
    expect(r[0]!.text).toContain('ئۆتۆماتیکی');
    expect(r[1]!.key).toBe('consent.prompt');
    expect(choiceIds(r[1])).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ar']);
    await bot.press('consent:yes');
    expect(bot.last().text).toContain('دەتانەوێت چی بکەن');
  });

  it('without a hint, one short first screen in all three languages; the choice leads to the terms in it', async () => {
    const bot = await makeBot();
    const r = await bot.say('/start');
    expect(r).toHaveLength(1);
    const [en, ar, ckb] = r[0]!.text.split('\n\n');
    expect(en).toMatch(/automated assistant, not a person\. Please choose your language/);
    expect(ar).toContain('مساعد آلي');
    expect(ckb).toContain('ئۆتۆماتیکی');
    // Short enough for a phone: about three lines each.
    expect(r[0]!.text.length).toBeLessThan(400);
    expect(choiceIds(r[0])).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
    expect(r[0]!.choices!.map((c) => c.label)).toEqual(['English', 'العربية', 'کوردی (سۆرانی)']);
    const terms = await bot.press('lang:ar');
    expect(terms).toHaveLength(1);
    expect(terms[0]!.key).toBe('consent.prompt');
    expect(terms[0]!.lang).toBe('ar');
    expect(choiceIds(terms[0])).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
  });

  it('words typed on the first screen choose the language of their letters, and a question among them is answered', async () => {
    const bot = await makeBot();
    await bot.say('/start');
    const r = await bot.say('سڵاو، دەتوانم فایلی وۆرد بنێرم؟');
    expect(r.map((m) => m.lang)).toEqual(['ckb', 'ckb']);
    expect(r.at(-1)!.key).toBe('consent.prompt');
  });

  it('explains what is kept, why, for how long and who sees it before asking consent', async () => {
    const bot = await makeBot();
    await bot.say('/start');
    const r = await bot.press('lang:en');
    expect(r[0]!.text).toMatch(/what I keep/);
    expect(r[0]!.text).toMatch(/Who sees what I keep/);
    expect(r[0]!.text).toMatch(/How long/);
    expect(r[0]!.text).toContain('/delete');
    // Drafts are kept before sending, and organisers may write (and how to stop them).
    expect(r[0]!.text).toContain('(an unsent draft too)');
    expect(r[0]!.text).toMatch(/reminders or announcements; send \/stop to stop them/);
    expect(choiceIds(r[0])).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
  });

  it('declining stores nothing personal, and the conference can still be read about', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    await bot.say('/start');
    await bot.press('lang:en');
    const r = await bot.press('consent:no');
    expect(joined(r)).toContain('I keep nothing personal');
    const loaded = await store.load(conversationKey(TEST_SECRET, refOf('u1')), refOf('u1'));
    expect(loaded.participant).toBeNull();
    const about = joined(await bot.press('menu:about'));
    expect(about).toContain('31 January');
    expect(about).toContain('icssi.project@gmail.com');
    expect(about).toContain('www.iraqicivilsociety.org');
    expect(about).toContain('facebook.com/Iraq.CivilSocietySolidarity.Initiative.ICSSI');
    expect(about).toContain('members and partners only');
    expect(choiceIds(bot.last())).toContain('menu:consent');
    expect(choiceIds(bot.last())).not.toContain('menu:submit');
  });

  it('a deep link /start topic3 opens the call at that topic once consent is given', async () => {
    const bot = await makeBot();
    await bot.say('/start topic3');
    await bot.press('lang:en');
    const r = await bot.press('consent:yes');
    // The topic is named once, by its title; its question comes with the text step.
    expect(joined(r)).toContain('Topic 3: Solidarity.');
    expect(joined(r)).not.toContain('international solidarity have been most effective');
    expect(r.at(-1)!.text).toContain('What name should appear');
  });
});

describe('submitting', () => {
  it('counts words after each message, says by how much a text is short, keeps the draft, and gives a receipt', async () => {
    const bot = await makeBot();
    await toBody(bot);
    let r = await bot.say(textOf('en', 100));
    expect(r.at(-1)!.text).toContain('100 words so far (about 250 requested)');
    r = await bot.say('Done');
    // One message: the count and what to do, with the text step's buttons — no second count.
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toContain('Words in your text: 100 — 50 words short of the minimum (150–350 are accepted)');
    expect(choiceIds(r[0])).toEqual(['body:done', 'body:undo', 'body:clear']);
    r = await bot.say(textOf('en', 150));
    expect(r.at(-1)!.text).toContain('250 words so far');
    r = await bot.press('body:done');
    const review = r.at(-1)!;
    expect(review.text).toContain('Topic: Rebuilding Iraq');
    expect(review.text).toContain('Name: Layla');
    expect(review.text).toContain('E-mail: layla@example.org');
    expect(review.text).toContain('Text (250 words)');
    r = await bot.press('review:confirm');
    // The receipt and the menu in one message; the text is one choice away, not repeated.
    expect(r).toHaveLength(1);
    const receipt = r[0]!.text;
    expect(receipt).toMatch(/Your receipt code is ICS-[34679ACDEFGHJKMNPQRTWXY]{6}\./);
    expect(receipt).toContain('Topic: Rebuilding Iraq');
    expect(receipt).toContain('Length: 250 words');
    expect(receipt).toContain('26 November 2026 at 12:00 (Baghdad time)');
    expect(receipt).not.toContain(textOf('en', 100));
    expect(receipt).toContain('What would you like to do?');
    expect(choiceIds(r[0])).toEqual(['menu:about', 'menu:submit', 'menu:mine', 'menu:lang', 'menu:help', 'receipt:text']);
    const status = joined(await bot.say('/status'));
    expect(status).toContain('Status: received');
    expect(status).toContain(receipt.match(/ICS-\w{6}/)![0]);
  });

  it('refuses an invalid e-mail with the reason and accepts Skip', async () => {
    const bot = await makeBot();
    await consented(bot);
    await bot.press('menu:submit');
    await bot.press('topic:1');
    await bot.say('Kawa');
    await bot.press('skip:organisation');
    await bot.press('skip:country');
    let r = await bot.say('kawa at example');
    expect(r[0]!.text).toContain('does not look like an e-mail address');
    r = await bot.say('Skip');
    expect(r.at(-1)!.text).toContain('Now write your contribution');
  });

  it('says how many words too many, and the draft is kept to be shortened', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 300));
    await bot.say(textOf('en', 62));
    let r = await bot.say('Done');
    expect(joined(r)).toContain('Words in your text: 362 — 12 words over the maximum');
    r = await bot.press('body:undo');
    expect(r.at(-1)!.text).toContain('300 words so far');
  });

  it('lets every part be changed from the review, then sends the changed version', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 200));
    await bot.say('Done');
    await bot.press('review:edit');
    await bot.press('edit:name');
    let r = await bot.say('L. A.');
    expect(r.at(-1)!.text).toContain('Name: L. A.');
    await bot.press('review:edit');
    await bot.press('edit:topic');
    r = await bot.press('topic:3');
    expect(r.at(-1)!.text).toContain('Topic: Solidarity');
    r = await bot.press('review:confirm');
    expect(r[0]!.text).toContain('Topic: Solidarity');
  });

  it('allows one contribution per topic and names the one that exists', async () => {
    const bot = await makeBot();
    const receipt = (await submitted(bot))[0]!.text;
    const code = receipt.match(/ICS-\w{6}/)![0];
    await bot.press('menu:submit');
    const r = await bot.press('topic:2');
    expect(r[0]!.text).toContain(`already sent a contribution on “Rebuilding Iraq” (${code})`);
    expect(choiceIds(r.at(-1))).toEqual(['topic:1', 'topic:2', 'topic:3']);
  });

  it('keeps a new revision when a contribution is edited, and withdraws after confirmation', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = (await submitted(bot))[0]!.text.match(/ICS-\w{6}/)![0];
    await bot.press('menu:mine');
    let r = await bot.press(`mine:edit:${code}`);
    expect(r.at(-1)!.text).toContain(code);
    await bot.press('review:edit');
    await bot.press('edit:text');
    await bot.press('textopt:replace');
    await bot.say(textOf('en', 180));
    await bot.say('Done');
    r = await bot.press('review:confirm');
    expect(r[0]!.text).toContain(`new version of ${code} is saved`);
    expect(joined(await bot.say('/status'))).toContain('version 2');
    r = await bot.press(`mine:withdraw:${code}`);
    expect(choiceIds(r.at(-1))).toEqual(['withdraw:yes', 'withdraw:no']);
    r = await bot.press('withdraw:yes');
    expect(r[0]!.text).toContain(`${code} is withdrawn`);
    expect((await store.history(code)).map((h) => h.to)).toEqual(['submitted', 'submitted', 'withdrawn']);
  });

  it('after the deadline says the call is closed and still answers about the conference', async () => {
    const bot = await makeBot(new MemoryStore(), { call: (c) => ({ ...c, deadline: new Date('2019-01-20T20:59:00Z') }) });
    await consented(bot);
    const r = await bot.press('menu:submit');
    expect(r[0]!.text).toContain('The call for contributions closed on 20 January 2019 at 23:59 (Baghdad time)');
    expect(joined(await bot.press('menu:about'))).toContain('Baghdad');
  });
});

describe('commands at any time', () => {
  it('/lang changes the language mid-step without losing the draft', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 120));
    await bot.say('/lang');
    const r = await bot.press('lang:ar');
    expect(r.at(-1)!.text).toMatch(/[\u0600-\u06FF]/);
    expect(r.at(-1)!.text).toMatch(/120|١٢٠/);
  });

  it('/cancel leaves the step and keeps the draft; Submit offers to continue it', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 90));
    let r = await bot.say('/cancel');
    expect(r[0]!.text).toContain('Your draft is kept');
    r = await bot.press('menu:submit');
    expect(r.at(-1)!.text).toContain('unfinished draft (Rebuilding Iraq, 90 words)');
    r = await bot.press('draft:continue');
    expect(r.at(-1)!.text).toContain('90 words so far');
  });

  it('/help in the middle of a step helps, then asks the same question again', async () => {
    const bot = await makeBot();
    await toBody(bot);
    const r = await bot.say('/help');
    expect(r[0]!.text).toContain('/status');
    expect(r[1]!.text).toContain('Now write your contribution');
  });

  it('/delete erases the person after confirmation; the next message starts afresh', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = (await submitted(bot))[0]!.text.match(/ICS-\w{6}/)![0];
    let r = await bot.say('/delete');
    expect(choiceIds(r.at(-1))).toEqual(['delete:yes', 'delete:no']);
    r = await bot.press('delete:yes');
    // What the erasure cannot reach, and whom to write to about it.
    expect(r[0]!.text).toContain('Copies the organisers had already exported are not affected: to have them deleted, write to icssi.project@gmail.com.');
    const loaded = await store.load(conversationKey(TEST_SECRET, refOf('u1')), refOf('u1'));
    expect(loaded.participant).toBeNull();
    expect(loaded.conversation).toBeNull();
    const exported = [];
    for await (const row of store.exportRecords('icssi-2019')) exported.push(row);
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ code, state: 'withdrawn', text: '', details: { name: '', email: null, organisation: null, country: null } });
    r = await bot.say('hello');
    expect(r[0]!.text).toContain('automated');
  });
});

describe('unexpected input gets a specific answer and the conversation stays where it was', () => {
  it('a sticker, an image and audio', async () => {
    const bot = await makeBot();
    await toBody(bot);
    for (const media of ['sticker', 'image', 'audio'] as const) {
      const r = await bot.send({ kind: 'file', media });
      expect(r[0]!.text).toContain('I can read text only');
      expect(r.at(-1)!.text).toContain('Now write your contribution');
    }
  });

  it('an empty message', async () => {
    const bot = await makeBot();
    await toBody(bot);
    const r = await bot.say('  \u200b\u202e ');
    expect(r[0]!.text).toBe('That message was empty.');
    expect(r.at(-1)!.text).toContain('Now write your contribution');
  });

  it('a 10,000-character message is refused with its length and the draft is untouched', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 50));
    const r = await bot.say('x'.repeat(10_000));
    expect(r[0]!.text).toContain('That message is 10000 characters long');
    expect(r.at(-1)!.text).toContain('50 words so far');
  });

  it('bidi-override and control characters are removed from what is stored, and the person is told', async () => {
    const bot = await makeBot();
    await consented(bot);
    await bot.press('menu:submit');
    await bot.press('topic:1');
    const r = await bot.say('Ali\u202e\u0007 Hassan');
    expect(r[0]!.text).toContain('invisible formatting characters');
    await bot.press('skip:organisation');
    await bot.press('skip:country');
    await bot.press('skip:email');
    await bot.say(textOf('en', 200));
    const review = (await bot.say('Done')).at(-1)!.text;
    expect(review).toContain('Name: Ali Hassan');
  });

  it('a button from an old message is answered politely and the current step is asked again', async () => {
    const bot = await makeBot();
    await toBody(bot);
    const r = await bot.press('consent:yes');
    expect(r[0]!.text).toContain('earlier message');
    expect(r[1]!.text).toContain('Now write your contribution');
  });

  it('an unknown command, and a file outside the text step', async () => {
    const bot = await makeBot();
    await consented(bot);
    let r = await bot.say('/frobnicate');
    expect(r[0]!.text).toContain('I do not know the command /frobnicate');
    expect(r[1]!.text).toContain('What would you like to do?');
    r = await bot.send({ kind: 'file', media: 'document', fileName: 'a.txt', text: 'hello' });
    expect(r[0]!.text).toContain('only while you write your contribution');
  });

  it('a readable document in the text step is counted like typed text', async () => {
    const bot = await makeBot();
    await toBody(bot);
    const r = await bot.send({ kind: 'file', media: 'document', fileName: 'paper.txt', text: textOf('en', 230) });
    expect(r[0]!.text).toContain('I read the text of paper.txt');
    expect(r.at(-1)!.text).toContain('230 words so far');
  });

  it('text where a choice is expected asks to choose', async () => {
    const bot = await makeBot();
    await consented(bot);
    const r = await bot.say('what is this?');
    expect(r[0]!.text).toContain('Please choose one of the options');
  });
});

describe('delivery and storage', () => {
  it('a replayed event id changes nothing', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    await toBody(bot);
    await bot.say(textOf('en', 200));
    await bot.say('Done');
    const event = { id: 'evt-1', kind: 'choice' as const, choice: 'review:confirm' };
    const first = await bot.send(event);
    const second = await bot.send(event);
    expect(first[0]!.text).toContain('receipt code');
    expect(second).toEqual([]);
    expect(await store.contributionFacts('icssi-2019')).toHaveLength(1);
  });

  it('a state written by a newer release is not misread or overwritten', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    await consented(bot);
    const key = conversationKey(TEST_SECRET, refOf('u1'));
    const before = await store.load(key, refOf('u1'));
    await store.commit({ event: { platform: 'console', id: 'x' }, conversationKey: key, ref: refOf('u1'), expectedVersion: before.conversation!.version,
      state: { v: 99, future: true }, pending: [], effects: [], receivedAt: new Date() });
    const r = await bot.say('hello');
    expect(r[0]!.text).toContain('newer version of the bot');
    expect((await store.load(key, refOf('u1'))).conversation!.state).toEqual({ v: 99, future: true });
  });

  it('replies that could not be sent are kept and sent later', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    let down = true;
    const delivered: string[] = [];
    bot.dispatcher.registerSender('console', async (_ref, m) => {
      if (down) throw new Error('network down');
      delivered.push(m.text);
    });
    await bot.say('/start');
    expect(delivered).toEqual([]);
    down = false;
    expect(await bot.dispatcher.flushPending()).toBe(1);
    expect(delivered[0]).toContain('automated');
  });
});

describe('edited messages', () => {
  it('of a message that is not a part of the draft get one short note, and the draft is unchanged', async () => {
    const bot = await makeBot();
    await toBody(bot);
    await bot.say(textOf('en', 60));
    const r = await bot.send({ kind: 'edit', text: 'changed', messageId: 'not-a-part' });
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toContain('changes nothing here');
    expect((await bot.say('/status')).length).toBeGreaterThan(0);
  });
});

describe('the outbox', () => {
  it('replies not delivered before are sent first, in order, with the next step', async () => {
    const bot = await makeBot();
    let down = true;
    const delivered: string[] = [];
    bot.dispatcher.registerSender('console', async (_ref, m) => {
      if (down) throw new Error('network down');
      delivered.push(m.text);
    });
    await bot.say('/start');
    down = false;
    await bot.press('lang:en');
    expect(delivered[0]).toContain('automated');
    expect(delivered[0]).toContain('Please choose your language');
    expect(delivered[1]).toContain('Do you agree?');
  });
});

describe('what handle() tells the platform', () => {
  const event = (body: Record<string, unknown>, id = `e-${Math.random()}`) =>
    ({ id, platform: 'console', conversation: refOf('u1'), receivedAt: new Date('2026-11-26T09:00:00Z'), raw: null, ...body }) as InboundEvent;

  it('a button the step no longer offers is stale, in the language of the answer; a fresh press, a typed word and a command are not', async () => {
    const bot = await makeBot(new MemoryStore());
    expect(await bot.dispatcher.handle(event({ kind: 'command', command: 'start', args: '', localeHint: 'ar' }))).toEqual({ outcome: 'processed' });
    // Arabic is the hinted language: the terms offer the other two, not Arabic itself.
    expect(await bot.dispatcher.handle(event({ kind: 'choice', choice: 'lang:ar' }))).toEqual({ outcome: 'processed', stale: { lng: 'ar' } });
    expect(bot.sent.get('u1')!.at(-2)!.text).toContain('هذا الزر من رسالة سابقة');
    // Typed words that name a button are that button: not stale.
    expect(await bot.dispatcher.handle(event({ kind: 'message', text: '1' }))).toEqual({ outcome: 'processed' });
    expect(await bot.dispatcher.handle(event({ kind: 'command', command: 'status', args: '' }))).toEqual({ outcome: 'processed' });
    // A code the person has no contribution under, on a step that lists codes.
    expect(await bot.dispatcher.handle(event({ kind: 'choice', choice: 'mine:edit:ICS-NOPE00' }))).toEqual({ outcome: 'processed', stale: { lng: 'ar' } });
    // Same details as before, for someone who never sent any.
    await bot.press('menu:submit');
    await bot.press('topic:1');
    expect(await bot.dispatcher.handle(event({ kind: 'choice', choice: 'details:same' }))).toEqual({ outcome: 'processed', stale: { lng: 'ar' } });
  });

  it('comes from the flow, not from what was sent: with the platform down the press is still stale, and a redelivery is only a duplicate', async () => {
    const bot = await makeBot(new MemoryStore());
    await bot.say('/start', 'u1', 'ckb');
    await bot.press('lang:ckb');
    let down = true;
    const delivered: OutboundMessage[] = [];
    bot.dispatcher.registerSender('console', async (_ref, m) => {
      if (down) throw new Error('network down');
      delivered.push(m);
    });
    const old = event({ kind: 'choice', choice: 'topic:1' }, 'old-press');
    expect(await bot.dispatcher.handle(old)).toEqual({ outcome: 'processed', stale: { lng: 'ckb' } });
    expect(delivered).toEqual([]);
    // The answer waited in the outbox and goes later (here; or from another instance).
    down = false;
    await bot.dispatcher.flushPending(500, { takeOver: true });
    expect(delivered[0]!.text).toContain('ئەو دوگمەیە هی نامەیەکی پێشووە');
    // Processed before: this call did not run the flow on it, so it says nothing of its answer.
    expect(await bot.dispatcher.handle(old)).toEqual({ outcome: 'duplicate' });
  });
});
