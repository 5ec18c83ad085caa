/**
 * Two instances of the bot on one PostgreSQL database (the real server), each with its own
 * connection pool and webhook, one fake Bot API. When an update reaches both at once, the one
 * that loses the race for the event must not send the winner's replies (it did: duplicate
 * replies and receipts); and a redelivery after the winner finished sends nothing again.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

const name = `icssi_two_${randomBytes(4).toString('hex')}`;
const orderName = `${name}_order`;
afterAll(async () => {
  const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
  for (const db of [name, orderName]) await admin.exec(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.close();
});

/** Lets the other side run until `done` holds (event-driven, no timer assertions). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  if (!done()) throw new Error('the condition never held');
}

describe('two instances on PostgreSQL', () => {
  it('the instance that loses the race for an update sends nothing; each reply reaches the person once', async () => {
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    await admin.exec(`CREATE DATABASE "${name}"`);
    await admin.close();
    const url = siblingUrl(pgUrl(), name);
    const stores: BotStore[] = [await openStore(url, { migrate: true }), await openStore(url, { migrate: false })];
    const api = new FakeBotApi();
    await api.start();
    const [a, b] = (await Promise.all(stores.map((store) => startTelegram({ store, api })))) as [TelegramTestBot, TelegramTestBot];
    try {
      const people = [new Person(6300000001), new Person(6300000002), new Person(6300000003)];
      for (const p of people) for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) expect((await a.post(u)).status).toBe(200);

      for (const p of people) {
        const update = p.press('menu:about');
        const release = api.holdSends();
        const first = a.post(update);
        // Instance A committed the update and is sending its replies (Telegram is slow)…
        await api.waitFor((c) => c.method === 'sendMessage' && c.status === undefined && String(c.params.chat_id) === String(p.id));
        // …when the same update reaches instance B, which finds it already processed.
        const dup = b.dispatcher.metrics.value('events_total', { platform: 'telegram', outcome: 'duplicate' });
        const second = b.post(update);
        await until(() => (b.dispatcher.metrics.value('events_total', { platform: 'telegram', outcome: 'duplicate' })) > dup);
        release();
        expect((await first).status).toBe(200);
        expect((await second).status).toBe(200);
        // Telegram delivers it a third time (A's answer was lost): nothing is sent again.
        expect((await b.post(update)).status).toBe(200);
      }
      for (const p of people) {
        const about = api.messages(p.id).filter((m) => m.text.startsWith('The Iraqi Civil Society Solidarity Initiative'));
        expect(about, `person ${p.id}`).toHaveLength(1);
      }
      for (const store of stores) expect(await store.listPending(10)).toEqual([]);

      // And without holding anything back: 20 people whose update reaches both instances at once.
      const crowd = Array.from({ length: 20 }, (_, i) => new Person(6300000100 + i));
      await Promise.all(crowd.map(async (p) => {
        for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) await a.post(u);
      }));
      await Promise.all(crowd.map(async (p) => {
        const update = p.press('menu:about');
        const answers = await Promise.all([a.post(update), b.post(update)]);
        expect(answers.map((r) => r.status)).toEqual([200, 200]);
      }));
      for (const p of crowd) {
        const texts = api.messages(p.id).map((m) => m.text);
        expect(texts.filter((t) => t.startsWith('The Iraqi Civil Society Solidarity Initiative')), `person ${p.id}`).toHaveLength(1);
        expect(texts.filter((t) => t.includes('automated')), `person ${p.id}`).toHaveLength(1);
      }
    } finally {
      await a.close();
      await b.close();
      await api.close();
      for (const s of stores) await s.close();
    }
  }, 60_000);

  it('a step handled by the other instance waits behind the replies still being sent, and a button pressed again gets them, not a notice', async () => {
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    await admin.exec(`CREATE DATABASE "${orderName}"`);
    await admin.close();
    const url = siblingUrl(pgUrl(), orderName);
    const stores: BotStore[] = [await openStore(url, { migrate: true }), await openStore(url, { migrate: false })];
    const api = new FakeBotApi();
    await api.start();
    const [a, b] = (await Promise.all(stores.map((store) => startTelegram({ store, api })))) as [TelegramTestBot, TelegramTestBot];
    try {
      const p = new Person(6300000201);
      for (const u of [p.command('start'), p.press('lang:en')]) expect((await a.post(u)).status).toBe(200);
      const mark = api.calls.length;
      const since = () => api.calls.slice(mark).filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(p.id)).map((c) => c.params.text as string);
      const release = api.holdSends();
      // Instance A committed "I agree" and is sending its replies (Telegram is slow)…
      const first = a.post(p.press('consent:yes'));
      await api.waitFor((c) => c.method === 'sendMessage' && c.status === undefined && String(c.params.chat_id) === String(p.id));
      // …the person, seeing nothing, presses "I agree" again, and then Help; both reach B.
      const again = await b.post(p.press('consent:yes'));
      expect(again.status).toBe(200);
      expect(await again.text()).not.toContain('earlier message');
      expect((await b.post(p.press('menu:help'))).status).toBe(200);
      // B sent nothing: its replies wait behind the one A is sending.
      expect(since()).toHaveLength(1);
      release();
      expect((await first).status).toBe(200);
      // A sent its replies, then what B queued behind them, in order; no notice.
      const texts = since();
      expect(texts.slice(0, 2)).toEqual(['Thank you.', 'What would you like to do?']);
      expect(texts.length).toBeGreaterThan(2);
      expect(texts.join('\n')).not.toContain('earlier message');
      for (const store of stores) expect(await store.listPending(10)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await api.close();
      for (const s of stores) await s.close();
    }
  }, 60_000);
});
