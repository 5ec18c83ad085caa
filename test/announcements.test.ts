/**
 * Announcements over real HTTP: the Telegram adapter against the fake Bot API, a real SQLite file.
 * Audience selection, the preview's counts, what each person receives, opting out and in through
 * the webhook, the Telegram pace (30/s overall, 1/s per chat) and a 429's retry_after — on an
 * injected clock, so nothing waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { MESSENGER_CAPABILITIES } from '../adapters/messenger/capabilities.js';
import { checkInput } from '../src/announcements/audience.js';
import type { Audience } from '../src/announcements/types.js';
import { silentLogger } from '../src/core/log.js';
import { callbackData, Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';
import { fakeTime, seed, sqliteStore } from './helpers/announce.js';

const NOW = new Date('2026-11-26T09:00:00Z');
const HOUR = 3600_000;
const ago = (h: number) => new Date(NOW.getTime() - h * HOUR);

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.close();
  await bot?.store.close();
  bot = undefined;
});

async function rig(opts: { rate?: number; maxRetryAfterSeconds?: number } = {}) {
  const { store, announcements: annStore } = await sqliteStore();
  bot = await startTelegram({ store, maxRetryAfterSeconds: opts.maxRetryAfterSeconds, clock: () => NOW });
  // Sends that left and are not answered yet: the fake clock waits for them before it moves.
  const inFlight = new Set<Promise<void>>();
  const time = fakeTime(0, () => Promise.all([...inFlight]));
  const pacer = time.pacer(opts.rate ?? 30);
  // Every slot the pacer gives, on the fake clock: the moment each send may start.
  const sentAt: { chat: string; at: number }[] = [];
  const acquire = pacer.acquire.bind(pacer);
  pacer.acquire = async (chat: string) => {
    const release = await acquire(chat);
    sentAt.push({ chat, at: time.t.now });
    let answered!: () => void;
    const flight = new Promise<void>((resolve) => (answered = resolve));
    inFlight.add(flight);
    return () => {
      inFlight.delete(flight);
      answered();
      release();
    };
  };
  const [channel] = announcementChannels([bot.adapter]);
  // Messenger is "configured" but never reached here: its people are outside the window it
  // declares, so their copies are held.
  const never = (platform: 'messenger') => ({
    platform, ...MESSENGER_CAPABILITIES, send: async () => { throw new Error(`${platform} must not be called`); },
  });
  const ann = new Announcements({
    store: annStore, renderer: bot.dispatcher.renderer, channels: [channel!, never('messenger')], clock: () => NOW, logger: silentLogger,
    pacers: { telegram: pacer, messenger: time.pacer(40) },
    sleep: time.sleep,
  });
  return { store, annStore, ann, time, pacer, sentAt, bot };
}

const input = (audience: Audience, texts = { en: 'The programme is out.', ar: 'صدر برنامج المؤتمر.' }) => ({ texts, audience, expiresAt: null });

describe('audience and preview', () => {
  it('selects by who, topic, platform and language, and counts now / held / never per platform', async () => {
    const r = await rig();
    await seed(r.store, { platform: 'telegram', userId: '101', locale: 'en', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '102', locale: 'ar', at: ago(1), drafted: true });
    await seed(r.store, { platform: 'telegram', userId: '103', locale: 'ckb', at: ago(1), contribution: { topic: 1 } });
    await seed(r.store, { platform: 'telegram', userId: '104', locale: 'ar', at: ago(1), contribution: { topic: 2 }, stopped: true });
    await seed(r.store, { platform: 'telegram', userId: '105', locale: 'en', at: ago(1), contribution: { topic: 2, withdrawn: true } });
    await seed(r.store, { platform: 'messenger', userId: 'psid-1', locale: 'ar', at: ago(2), contribution: { topic: 1 } });
    await seed(r.store, { platform: 'messenger', userId: 'psid-2', locale: 'en', at: ago(30), drafted: true });
    await seed(r.store, { platform: 'slack', userId: 'U1', locale: 'ckb', at: ago(1), contribution: { topic: 3 } });
    const ids = async (a: Audience) => (await r.annStore.candidates('icssi-2019', a)).map((c) => c.platformUserId).sort();

    expect(await ids({ who: 'consented' })).toEqual(['101', '102', '103', '104', '105', 'U1', 'psid-1', 'psid-2']);
    // A withdrawn contribution is not "sent"; 105 never drafted anything else: not a draft either.
    expect(await ids({ who: 'contributed' })).toEqual(['103', '104', 'U1', 'psid-1']);
    expect(await ids({ who: 'drafted' })).toEqual(['102', '105', 'psid-2']);
    expect(await ids({ who: 'contributed', topics: [1] })).toEqual(['103', 'psid-1']);
    expect(await ids({ who: 'consented', platforms: ['messenger'], languages: ['ar'] })).toEqual(['psid-1']);

    const p = await r.ann.preview('icssi-2019', input({ who: 'consented' }));
    expect(p.byPlatform).toEqual({
      telegram: { now: 4, held: 0, optedOut: 1, unreachable: 0 }, // 104 turned announcements off
      messenger: { now: 1, held: 1, optedOut: 0, unreachable: 0 }, // psid-2 wrote 30 hours ago: outside the window
      slack: { now: 0, held: 0, optedOut: 0, unreachable: 1 }, // Slack is not configured here
    });
    expect(p.total).toEqual({ now: 5, held: 1, optedOut: 1, unreachable: 1 });
    // No Sorani text: the Sorani reader on Telegram gets the English one.
    expect(p.byText).toEqual({ en: 4, ar: 2 });
    expect(p.fallback).toBe(1);
  });

  it('refuses bad input with the problems named', () => {
    const call = { topics: [1, 2, 3] } as never;
    const bad = checkInput({ texts: { ar: 'نص' }, who: 'everyone', topics: '7', platforms: 'fax', languages: 'fr', expires: '2020-01-01' }, call, NOW);
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual(['noDefault', 'badWho', 'badTopic', 'badPlatform', 'badLanguage', 'badExpiry']);
    expect(checkInput({ texts: { en: 'x'.repeat(1601) } }, call, NOW).ok).toBe(false);
    expect(checkInput({ texts: { en: 'Hi' }, who: 'drafted', topics: '1' }, call, NOW)).toMatchObject({ ok: false, problems: [{ key: 'topicNeedsContributed' }] });
    expect(checkInput({ texts: { en: ' Hi ' }, who: 'contributed', topics: '1,3', platforms: 'telegram' }, call, NOW)).toEqual({
      ok: true, input: { texts: { en: 'Hi' }, audience: { who: 'contributed', topics: [1, 3], platforms: ['telegram'] }, expiresAt: null },
    });
  });
});

describe('sending on Telegram', () => {
  it('sends each person their language with a way to stop, records every copy, and skips who opted out', async () => {
    const r = await rig();
    await seed(r.store, { platform: 'telegram', userId: '201', locale: 'en', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '202', locale: 'ar', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '203', locale: 'ckb', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '204', locale: 'en', at: ago(1), stopped: true });
    const { id } = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    // Stored before anything is sent.
    expect(await r.annStore.counts(id)).toEqual({ telegram: { pending: 3, 'opted-out': 1 } });
    expect(r.bot.api.messages()).toEqual([]);
    const progress: number[] = [];
    expect(await r.ann.send(id, { onProgress: (p) => progress.push(p.done) })).toEqual({ telegram: { sent: 3, 'opted-out': 1 } });
    expect(progress.at(-1)).toBe(3);

    const [en] = r.bot.api.messages(201);
    expect(en!.text).toBe('The programme is out.\n\nTo stop announcements, send /stop or press the button below.');
    expect(en!.reply_markup?.inline_keyboard.flat().map((b) => [b.text, b.callback_data])).toEqual([['Stop announcements', 'ann:stop']]);
    expect(r.bot.api.messages(202)[0]!.text).toMatch(/^صدر برنامج المؤتمر\.\n\nلإيقاف الإعلانات/);
    // No Sorani text: the English one, with the way to stop in Sorani.
    expect(r.bot.api.messages(203)[0]!.text).toMatch(/^The programme is out\.\n\nبۆ ڕاگرتنی ڕاگەیاندنەکان/);
    expect(r.bot.api.messages(204)).toEqual([]);

    // Sending again changes nothing: every copy is recorded.
    await r.ann.send(id);
    expect(r.bot.api.messages()).toHaveLength(3);
  });

  it('keeps 30 messages per second overall and 1 per second per chat, on the injected clock', async () => {
    const r = await rig();
    for (let i = 0; i < 75; i++) await seed(r.store, { platform: 'telegram', userId: String(3000 + i), locale: 'en', at: ago(1) });
    const first = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    const second = await r.ann.create('icssi-2019', input({ who: 'consented' }, { en: 'Second.', ar: 'ثانيًا.' }), 'cli:test');
    // One after the other: sent at once, the second's copy to a chat waits that chat's second and
    // holds the pacer's line meanwhile (slots are given in order).
    await r.ann.send(first.id);
    await r.ann.send(second.id);
    expect(r.bot.api.messages()).toHaveLength(150);
    const times = r.sentAt.map((s) => s.at).sort((a, b) => a - b);
    // At most 30 in any second (a window starting at each send).
    const worst = Math.max(...times.map((t0) => times.filter((t) => t >= t0 && t < t0 + 1000).length));
    expect(worst).toBeLessThanOrEqual(30);
    // And not much slower: 150 messages at 30/s take 5 s; a copy waiting its chat's second may
    // hold the line up to once per second.
    expect(times.at(-1)! - times[0]!).toBeLessThan(7000);
    // Two announcements to the same chat: at least a second apart.
    const byChat = new Map<string, number[]>();
    for (const s of r.sentAt) byChat.set(s.chat, [...(byChat.get(s.chat) ?? []), s.at]);
    // (The fake clock sums float sleeps: a microsecond of rounding is allowed.)
    for (const [, ts] of byChat) expect(Math.abs(ts[1]! - ts[0]!)).toBeGreaterThan(999.999);
    expect(r.time.t.sleeps.length).toBeGreaterThan(0);
  });

  it('on a 429 waits exactly retry_after for the whole platform, then sends the copy once', async () => {
    const r = await rig({ maxRetryAfterSeconds: 0 });
    for (let i = 0; i < 5; i++) await seed(r.store, { platform: 'telegram', userId: String(4000 + i), locale: 'en', at: ago(1) });
    r.bot.api.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }, { match: (p) => String(p.chat_id) === '4002' });
    const { id } = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    const pausedAt: number[] = [];
    const pause = r.pacer.pause.bind(r.pacer);
    r.pacer.pause = (ms: number) => {
      pausedAt.push(r.time.t.now);
      pause(ms);
    };
    expect(await r.ann.send(id)).toEqual({ telegram: { sent: 5 } });
    expect(r.pacer.stats.pauses).toEqual([7000]);
    const calls = r.bot.api.callsOf('sendMessage');
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1);
    for (let i = 0; i < 5; i++) expect(calls.filter((c) => c.status === 200 && String(c.params.chat_id) === String(4000 + i))).toHaveLength(1);
    // The retried copy went out 7 s (fake) after the 429, and nothing went out in between.
    const tries = r.sentAt.filter((s) => s.chat === '4002').map((s) => s.at);
    expect(tries).toHaveLength(2);
    // (Through the pacer, in line: a copy already waiting may take the first slot after the wait.)
    expect(tries[1]! - pausedAt[0]!).toBeGreaterThanOrEqual(7000);
    expect(tries[1]! - pausedAt[0]!).toBeLessThan(7100);
    // From the 429 on, nothing went out for 7 s (slots taken before it were in flight already).
    expect(r.sentAt.filter((s) => s.at > pausedAt[0]! && s.at < pausedAt[0]! + 7000)).toEqual([]);
  });

  it('tries a copy that fails in passing again, with a growing pause, through the pacer', async () => {
    const r = await rig();
    for (let i = 0; i < 3; i++) await seed(r.store, { platform: 'telegram', userId: String(4100 + i), locale: 'en', at: ago(1) });
    // Four 502s in a row for one chat: more than any single request's retries would cover.
    r.bot.api.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' }, { times: 4, match: (p) => String(p.chat_id) === '4101' });
    const { id } = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    expect(await r.ann.send(id)).toEqual({ telegram: { sent: 3 } });
    const tries = r.bot.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === '4101');
    expect(tries.map((c) => c.status)).toEqual([502, 502, 502, 502, 200]);
    // Each try took a slot of its own, after pauses of 2, 4, 8 and 16 s (this copy only).
    expect(r.sentAt.filter((s) => s.chat === '4101')).toHaveLength(5);
    expect(r.time.t.sleeps.filter((ms) => ms >= 2000)).toEqual([2000, 4000, 8000, 16000]);
  });

  it('does not send to a person who blocked the bot', async () => {
    const r = await rig();
    await seed(r.store, { platform: 'telegram', userId: '501', locale: 'en', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '502', locale: 'en', at: ago(1) });
    r.bot.api.blockChat(502);
    const first = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    expect(await r.ann.send(first.id)).toEqual({ telegram: { sent: 1, unreachable: 1 } });
    // Known now: the next announcement does not even try.
    const before = r.bot.api.callsOf('sendMessage').length;
    const second = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
    expect(await r.annStore.counts(second.id)).toEqual({ telegram: { pending: 1, unreachable: 1 } });
    await r.ann.send(second.id);
    expect(r.bot.api.callsOf('sendMessage').length - before).toBe(1);
  });
});

describe('opting out and in, through the webhook', () => {
  it('/stop or the button turns announcements off; /start or the button turns them on; decisions still arrive', async () => {
    const r = await rig();
    const p = new Person(7200000001);
    for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) expect((await r.bot.post(u)).status).toBe(200);
    const send = async () => {
      const { id } = await r.ann.create('icssi-2019', input({ who: 'consented' }), 'cli:test');
      return r.ann.send(id);
    };
    expect(await send()).toEqual({ telegram: { sent: 1 } });

    await r.bot.post(p.press('ann:stop'));
    expect(r.bot.api.messages(p.id).at(-2)!.text).toMatch(/^Done: you will get no more announcements/);
    expect(callbackData(r.bot.api)).toContain('ann:on');
    expect(await send()).toEqual({ telegram: { 'opted-out': 1 } });

    await r.bot.post(p.press('ann:on'));
    expect(r.bot.api.messages(p.id).at(-2)!.text).toBe('Announcements are on again.');
    expect(await send()).toEqual({ telegram: { sent: 1 } });

    await r.bot.post(p.command('stop'));
    expect(await send()).toEqual({ telegram: { 'opted-out': 1 } });
    await r.bot.post(p.command('start'));
    expect(r.bot.api.messages(p.id).some((m) => m.text === 'Announcements are on again.')).toBe(true);
    expect(await send()).toEqual({ telegram: { sent: 1 } });
  });
});
