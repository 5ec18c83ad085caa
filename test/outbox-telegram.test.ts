/**
 * The outbox against the fake Bot API, on a real SQLite file: a reply Telegram refuses for good
 * is dead-lettered with its code and never blocks the next ones; a person who blocked the bot is
 * known to every instance (stored, not in memory) until they write again; passing failures are
 * retried with a backoff that honours retry_after, up to a cap; a batch that failed part-way
 * resends only what was not sent; the periodic flush never resends what a step already delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { render } from '../adapters/telegram/render.js';
import { openStore } from '../src/storage/open-store.js';
import { TEST_SECRET } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-outbox-tg-'));
let n = 0;
const bots: TelegramTestBot[] = [];
const stores: BotStore[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
  for (const s of stores.splice(0)) await s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqlite(file = join(dir, `t${++n}.db`)): Promise<{ store: BotStore; file: string }> {
  const store = await openStore(`file:${file}`);
  stores.push(store);
  return { store, file };
}

async function bot(store: BotStore, opts: Parameters<typeof startTelegram>[0] = {}): Promise<TelegramTestBot> {
  const b = await startTelegram({ ...opts, store });
  bots.push(b);
  return b;
}

const ok = (b: TelegramTestBot, chat: number) => b.api.callsOf('sendMessage').filter((c) => c.status === 200 && String(c.params.chat_id) === String(chat)).map((c) => c.params.text as string);
const keyOf = (p: Person) => conversationKey(TEST_SECRET, { platform: 'telegram', chatId: String(p.id), userId: String(p.id) });
const MINUTE = 60_000;
const later = (b: TelegramTestBot, ms: number) => {
  b.clock.now = new Date(b.clock.now.getTime() + ms);
};

async function consented(b: TelegramTestBot, p: Person) {
  for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) expect((await b.post(u)).status).toBe(200);
}

async function submitted(b: TelegramTestBot, p: Person): Promise<string> {
  await consented(b, p);
  for (const u of [p.press('menu:submit'), p.press('topic:1'), p.text('Layla'), p.press('skip:organisation'), p.press('skip:country'),
    p.press('skip:email'), p.text(textOf('en', 200)), p.press('body:done'), p.press('review:confirm')]) await b.post(u);
  return /ICS-[0-9A-Z]{6}/.exec(ok(b, p.id).join('\n'))![0];
}

describe('refusals for good', () => {
  it('dead-letters a reply Telegram refuses (400) with its code, and the next replies go out', async () => {
    const { store } = await sqlite();
    const b = await bot(store);
    const p = new Person(6100000001);
    await consented(b, p);
    // Telegram refuses the answer to /help every time (as it would a malformed message).
    b.api.fail('sendMessage', { error_code: 400, description: 'Bad Request: can\'t parse entities' }, { times: 100, match: (q) => String(q.text).includes('/status') });
    await b.post(p.command('help'));
    expect((await store.deadLetters(10)).map((d) => [d.reason, d.conversationKey])).toEqual([['telegram:400', keyOf(p)]]);
    expect(b.dispatcher.metrics.value('replies_dead_lettered_total', { platform: 'telegram' })).toBe(1);
    // Not retried every 30 s, and the person's next message is answered (nothing waits behind it).
    const calls = b.api.callsOf('sendMessage').length;
    later(b, 30_000);
    await b.dispatcher.flushPending();
    expect(b.api.callsOf('sendMessage')).toHaveLength(calls);
    const before = ok(b, p.id).length;
    await b.post(p.press('menu:about'));
    expect(ok(b, p.id).slice(before).join('\n')).toContain('ICSSI');
    expect(await store.listPending(10)).toEqual([]);
  });

  it('stores that a person blocked the bot: a second instance holds a decision without trying, and it is delivered when she writes again', async () => {
    const { store, file } = await sqlite();
    const a = await bot(store);
    const p = new Person(6100000002);
    const code = await submitted(a, p);
    a.api.blockChat(p.id);
    await a.post(p.command('status'));
    expect((await store.deadLetters(10))[0]!.reason).toBe('telegram:403');
    // Another process (the CLI, a second instance, a restart) on the same database file.
    const other = (await sqlite(file)).store;
    const b = await bot(other);
    expect((await other.load(keyOf(p), { platform: 'telegram', chatId: String(p.id), userId: String(p.id) })).participant).toMatchObject({ unreachableReason: 'telegram:403' });
    const attempts = b.api.callsOf('sendMessage').length;
    expect(await decide(coreApi(b.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null })).toEqual({ result: 'recorded', notice: 'unreachable', noticeReason: 'unreachable' });
    expect(b.api.callsOf('sendMessage')).toHaveLength(attempts);
    const participant = (await other.getContribution(code))!.participant;
    expect((await other.noticesFor(participant.id, ['held'])).map((x) => x.reason)).toEqual(['unreachable']);
    expect(await other.noticesFor(participant.id, ['sent'])).toEqual([]);

    // She unblocks the bot and writes: answered, told the decision, and reachable again.
    b.api.unblockChat(p.id);
    await b.post(p.command('help'));
    expect(ok(b, p.id).join('\n')).toContain(`accepted your contribution ${code}`);
    expect((await other.noticesFor(participant.id, ['held'])).length).toBe(0);
    expect((await other.participantById(participant.id))!.unreachableAt).toBeNull();
  });

  it('my_chat_member "kicked" is stored on the participant; a decision made after it is held, not marked sent', async () => {
    const { store } = await sqlite();
    const b = await bot(store);
    const p = new Person(6100000003);
    const code = await submitted(b, p);
    b.api.blockChat(p.id);
    expect((await b.post(p.fixture('my-chat-member-kicked'))).status).toBe(200);
    const participant = (await store.getContribution(code))!.participant;
    expect((await store.participantById(participant.id))!.unreachableReason).toBe('telegram:kicked');
    const calls = b.api.callsOf('sendMessage').length;
    expect((await decide(coreApi(b.dispatcher), { code, decision: 'declined', actor: 'cli:test', note: null })).notice).toBe('unreachable');
    expect(b.api.callsOf('sendMessage')).toHaveLength(calls);
  });
});

describe('passing failures', () => {
  it('waits a long retry_after across flushes, then sends; a failure that lasts is dead-lettered at the cap', async () => {
    const { store } = await sqlite();
    const b = await bot(store);
    const p = new Person(6100000004);
    await consented(b, p);
    // Longer than the adapter waits in place (15 s): the outbox keeps it and waits.
    b.api.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 120', parameters: { retry_after: 120 } });
    await b.post(p.command('help'));
    expect(await store.listPending(10)).toHaveLength(1);
    later(b, MINUTE);
    await b.dispatcher.flushPending();
    expect(ok(b, p.id).join('\n')).not.toContain('/status');
    later(b, MINUTE + 1000);
    expect(await b.dispatcher.flushPending()).toBe(1);
    expect(ok(b, p.id).join('\n')).toContain('/status');

    // Telegram stays down: retried by the flush with a growing backoff, then given up on.
    b.api.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' }, { times: 1000 });
    await b.post(p.command('help'));
    let flushesThatTried = 0;
    for (let i = 0; i < 45; i++) {
      const before = b.api.callsOf('sendMessage').length;
      later(b, 2 * MINUTE);
      await b.dispatcher.flushPending();
      if (b.api.callsOf('sendMessage').length > before) flushesThatTried++;
    }
    // 8 attempts in all (the step's and 7 flushes); the backoff let some flushes pass by.
    expect(flushesThatTried).toBe(7);
    // The answer to /help is two messages: the second is given up with the first, in order.
    expect((await store.deadLetters(10)).map((d) => [d.reason, d.attempts]).reverse()).toEqual([['gave-up:telegram:502', 8], ['gave-up:telegram:502', 1]]);
    expect(await store.listPending(10)).toEqual([]);
    expect(b.sleeps.length).toBeGreaterThan(0); // the adapter's own pauses were injected, never waited
  });
});

describe('acknowledgements', () => {
  it('a reply that fails on its second part resends only the parts not yet sent', async () => {
    const { store } = await sqlite();
    const b = await bot(store, { call: (c) => ({ ...c, words: { min: 150, max: 3000, target: 250 } }) });
    const p = new Person(6100000005);
    await consented(b, p);
    for (const u of [p.press('menu:submit'), p.press('topic:1'), p.text('Kawa'), p.press('skip:organisation'), p.press('skip:country'), p.press('skip:email')]) await b.post(u);
    for (let i = 0; i < 4; i++) await b.post(p.text(textOf('en', 540)));
    // The review of ~13,000 characters goes as several Telegram messages (parts of one reply,
    // after the short ones before it); the second part fails three times, so the step gives up.
    let long = 0;
    b.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3, match: (q) => String(q.text).length > 2500 && ++long >= 2 });
    const before = ok(b, p.id).length;
    await b.post(p.press('body:done'));
    const first = ok(b, p.id).slice(before);
    const sentLong = first.filter((t) => t.length > 2500);
    expect(sentLong).toHaveLength(1);
    // Stored with its progress: one part of the review is sent.
    const [waiting] = (await store.listPending(5))[0]!.pending;
    expect(waiting!.fromPart).toBe(1);
    const parts = render(waiting!).length;
    expect(parts).toBeGreaterThanOrEqual(3);
    expect(await b.dispatcher.flushPending()).toBe(1);
    const all = ok(b, p.id).slice(before);
    // Every part delivered exactly once: the first is not sent again.
    expect(all.filter((t) => t.length > 2500)).toHaveLength(parts);
    expect(all.filter((t) => t === sentLong[0])).toHaveLength(1);
    const last = b.api.callsOf('sendMessage').at(-1)!;
    expect((last.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((x) => x.callback_data)).toEqual(['review:confirm', 'review:edit']);
  });

  it('a batch of five replies that fails on the third resends only the third to the fifth', async () => {
    const { store } = await sqlite();
    const b = await bot(store);
    const p = new Person(6100000007);
    await consented(b, p);
    // "About the conference" answers with five messages, the menu last; Telegram is down for the
    // third.
    let call = 0;
    b.api.fail('sendMessage', { error_code: 503, description: 'Service Unavailable' }, { times: 3, match: () => ++call >= 3 });
    const mark = ok(b, p.id).length;
    await b.post(p.press('menu:about'));
    expect(ok(b, p.id).slice(mark)).toHaveLength(2);
    expect((await store.listPending(5))[0]!.pending).toHaveLength(3);
    expect(await b.dispatcher.flushPending()).toBe(1);
    const texts = ok(b, p.id).slice(mark);
    expect(texts).toHaveLength(5);
    expect(texts.filter((t) => t.startsWith('The Iraqi Civil Society Solidarity Initiative'))).toHaveLength(1);
    expect(texts.at(-1)).toBe('What would you like to do?');
  });

  it('the flush re-reads the outbox inside the conversation queue: what a step delivered is not sent again', async () => {
    const { store } = await sqlite();
    const b = await bot(store);
    const p = new Person(6100000006);
    await consented(b, p);
    b.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3 });
    const mark = ok(b, p.id).length;
    await b.post(p.command('help')); // its answer waits in the outbox
    const release = b.api.holdSends();
    const step = b.post(p.press('menu:about')); // sends the waiting answer, then its own
    await b.api.waitFor((c) => c.method === 'sendMessage' && c.status === undefined);
    // While the step's sends are on their way its lease runs out, and the periodic flush starts.
    later(b, 3 * MINUTE);
    const flush = b.dispatcher.flushPending();
    release();
    await step;
    await flush;
    // Delivered once each, in order: the answer to /help (and its menu), then the about texts
    // (and the menu again); nothing after them.
    const texts = ok(b, p.id).slice(mark);
    expect(texts.filter((t) => t.includes('/status —'))).toHaveLength(1);
    expect(texts[0]).toContain('/status —');
    expect(texts.filter((t) => t.startsWith('The Iraqi Civil Society Solidarity Initiative'))).toHaveLength(1);
    expect(texts).toHaveLength(7);
    expect(texts.at(-1)).toBe('What would you like to do?');
  });
});
