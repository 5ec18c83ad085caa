/**
 * Review decisions told to the author in their own language, messages the bot starts held while a
 * platform forbids them and sent when the person writes again, and whole contributions from a form.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './helpers/memory-store.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { makeBot, TEST_SECRET, type Bot } from './helpers/harness.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { textOf } from './helpers/texts.js';

async function submittedIn(bot: Bot, lang: 'en' | 'ar', user = 'u1'): Promise<string> {
  await bot.say('/start', user);
  await bot.press(`lang:${lang}`, user);
  await bot.press('consent:yes', user);
  await bot.press('menu:submit', user);
  await bot.press('topic:1', user);
  await bot.say('Noor', user);
  await bot.press('skip:organisation', user);
  await bot.press('skip:country', user);
  await bot.press('skip:email', user);
  await bot.say(textOf(lang, 200), user);
  await bot.press('body:done', user);
  const r = await bot.press('review:confirm', user);
  return r[0]!.text.match(/ICS-[A-Z0-9]{6}/)![0];
}

describe('review decisions', () => {
  it('are recorded with who and when, and the author is told in their language', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = await submittedIn(bot, 'ar');
    const out = await decide(coreApi(bot.dispatcher), { code, decision: 'accepted', actor: 'slack:U123', note: null });
    expect(out).toEqual({ result: 'recorded', notice: 'sent' });
    const told = bot.last().text;
    expect(told).toMatch(/قبل المنظمون/);
    expect(told).toContain(`\u2068${code}\u2069`);
    const history = await store.history(code);
    expect(history.at(-1)).toMatchObject({ from: 'submitted', to: 'accepted', actor: 'slack:U123' });
  });

  it('a revision request says what to change and reopens editing', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = await submittedIn(bot, 'en');
    await decide(coreApi(bot.dispatcher), { code, decision: 'revision_requested', actor: 'cli', note: 'Please add an example from Basra.' });
    expect(bot.last().text).toContain('ask you to revise your contribution');
    expect(bot.last().text).toContain('Their note: Please add an example from Basra.');
    const mine = await bot.say('/status');
    expect(mine.at(-1)!.text).toContain('revision requested');
    expect(mine.at(-1)!.choices!.map((c) => c.id)).toContain(`mine:edit:${code}`);
  });

  it('refuses a decision on a withdrawn or unknown contribution', async () => {
    const bot = await makeBot();
    const code = await submittedIn(bot, 'en');
    await bot.say('/status');
    await bot.press(`mine:withdraw:${code}`);
    await bot.press('withdraw:yes');
    expect(await decide(coreApi(bot.dispatcher), { code, decision: 'accepted', actor: 'cli', note: null })).toEqual({ result: 'withdrawn' });
    expect(await decide(coreApi(bot.dispatcher), { code: 'ICS-333333', decision: 'accepted', actor: 'cli', note: null })).toEqual({ result: 'not-found' });
  });
});

describe('messages the bot starts, under a platform window', () => {
  it('are held outside the window and sent when the person writes again', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = await submittedIn(bot, 'en');
    // A 24-hour window like Messenger's, on the test platform.
    bot.dispatcher.setInitiationPolicy('console', (p, now) => p.lastInboundAt !== null && now.getTime() - p.lastInboundAt.getTime() < 24 * 3600_000);
    bot.clock.now = new Date(bot.clock.now.getTime() + 25 * 3600_000);
    const before = bot.sent.get('u1')!.length;
    expect(await decide(coreApi(bot.dispatcher), { code, decision: 'accepted', actor: 'cli', note: null })).toEqual({ result: 'recorded', notice: 'held' });
    expect(bot.sent.get('u1')!.length).toBe(before);
    expect(await store.heldCounts()).toEqual({ console: 1 });
    const r = await bot.say('hello again');
    expect(r.at(-1)!.text).toContain('accepted your contribution');
    expect(await store.heldCounts()).toEqual({});
  });
});

describe('a whole contribution from a form', () => {
  const form = (over: Partial<Parameters<Bot['dispatcher']['submitForm']>[0]['form']> = {}) => ({
    topic: 2, name: 'Partner network', organisation: 'Un Ponte Per', country: 'Italy', email: 'office@example.org',
    text: textOf('en', 240), consent: true, ...over,
  });
  const ref = { platform: 'console' as const, chatId: 'U9', userId: 'U9' };

  it('returns translated errors per field and stores nothing', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const r = await bot.dispatcher.submitForm({ platform: 'console', eventId: 'v1', ref, localeHint: 'ar', form: form({ topic: null, name: ' ', email: 'nope', text: textOf('ar', 40), consent: false }) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['consent', 'email', 'name', 'text', 'topic']);
    expect(r.errors.text).toMatch(/[\u0600-\u06FF]/);
    expect(await store.contributionFacts('icssi-2019')).toEqual([]);
  });

  it('stores a valid one once, sends the receipt, and counts it with the rest', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const first = await bot.dispatcher.submitForm({ platform: 'console', eventId: 'v2', ref, form: form() });
    expect(first).toMatchObject({ ok: true, code: expect.stringMatching(/^ICS-/) });
    expect(bot.last('U9').text).toContain('Your receipt code is');
    // Sent again (a retried request), it is refused on the topic and nothing is stored twice.
    const again = await bot.dispatcher.submitForm({ platform: 'console', eventId: 'v2', ref, form: form() });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.errors.topic).toContain('already sent a contribution');
    expect(await store.contributionFacts('icssi-2019')).toHaveLength(1);
  });
});

describe('erasure at a platform request and the participant view', () => {
  it('erases like /delete, once, and shows the person nothing afterwards', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = await submittedIn(bot, 'en');
    const ref = { platform: 'console' as const, chatId: 'u1', userId: 'u1' };
    const view = await bot.dispatcher.participantView(ref);
    expect(view.locale).toBe('en');
    expect(view.contributions.map((c) => c.code)).toEqual([code]);
    expect(await bot.dispatcher.eraseParticipant({ platform: 'console', userId: 'u1', eventId: 'del-1' })).toBe('erased');
    expect(await bot.dispatcher.eraseParticipant({ platform: 'console', userId: 'u1', eventId: 'del-1' })).toBe('unknown');
    expect((await store.getContribution(code))!.contribution).toMatchObject({ state: 'withdrawn', text: '' });
    expect((await bot.dispatcher.participantView(ref)).participant).toBeNull();
    expect(await bot.dispatcher.eraseParticipant({ platform: 'console', userId: 'nobody', eventId: 'del-2' })).toBe('unknown');
  });
});

describe('a notice that could not be sent', () => {
  it('is sent when the person next writes, on a platform without any window', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const code = await submittedIn(bot, 'en');
    let down = true;
    bot.dispatcher.registerSender('console', async (ref, m) => {
      if (down) throw new Error('platform down');
      bot.sent.set(ref.chatId, [...(bot.sent.get(ref.chatId) ?? []), m]);
    });
    expect(await decide(coreApi(bot.dispatcher), { code, decision: 'accepted', actor: 'cli', note: null })).toEqual({ result: 'recorded', notice: 'failed', noticeReason: 'unknown' });
    down = false;
    const r = await bot.say('/status');
    expect(r.at(-1)!.text).toContain('accepted your contribution');
    expect(await store.noticesFor((await bot.dispatcher.participantView({ platform: 'console', chatId: 'u1', userId: 'u1' })).participant!.id, ['failed', 'held'])).toEqual([]);
  });
});

describe('a form against a state written by a newer release', () => {
  it('stores nothing and says why on the form', async () => {
    const store = new MemoryStore();
    const bot = await makeBot(store);
    const ref = { platform: 'console' as const, chatId: 'U7', userId: 'U7' };
    const key = conversationKey(TEST_SECRET, ref);
    await store.commit({ event: { platform: 'console', id: 'x' }, conversationKey: key, ref, expectedVersion: null, state: { v: 99 }, pending: [], effects: [], receivedAt: new Date() });
    const r = await bot.dispatcher.submitForm({ platform: 'console', eventId: 'f1', ref, form: {
      topic: 1, name: 'N', organisation: '', country: '', email: '', text: textOf('en', 200), consent: true } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.form).toContain('newer version of the bot');
    expect(await store.contributionFacts('icssi-2019')).toEqual([]);
  });
});
