/**
 * Two instances of the bot on one PostgreSQL database, each with its own WhatsApp webhook and
 * Cloud API client (as behind a load balancer): Meta's delivery and its redelivery of the same
 * message reach both at once. The message is processed once: one answer in all, one read mark,
 * and a later redelivery sends nothing again.
 */
import { describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { openStore } from '../src/storage/open-store.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';
import { WaPerson } from './helpers/whatsapp-person.js';

const scratch = scratchDatabases('two-wa');

describe('two instances on PostgreSQL, one WhatsApp message delivered to both', () => {
  it('is answered once and marked read once, for each of 12 people at once', async () => {
    const url = databaseUrl(await scratch.empty('postgresql'));
    const stores: BotStore[] = [await openStore(url, { migrate: true }), await openStore(url, { migrate: false })];
    const rigs: WhatsAppRig[] = [];
    try {
      for (const store of stores) rigs.push(await whatsappRig(store));
      const [a, b] = rigs as [WhatsAppRig, WhatsAppRig];
      const people = Array.from({ length: 12 }, (_, i) => new WaPerson(a, { bsuid: `IQ.66000000000000000${String(i).padStart(2, '0')}`, phone: i % 2 ? `96477660000${String(i).padStart(2, '0')}` : false }));
      await Promise.all(people.map(async (p) => {
        await p.say('hello');
        await p.tap('consent:yes');
      }));
      const asked = people.map((p) => p.bodyOf({ type: 'text', text: { body: '/help' } }));
      await Promise.all(asked.map(async (m) => expect((await Promise.all([a.post(m), b.post(m)])).map((r) => r.status)).toEqual([200, 200])));
      // Meta delivers them once more, later: nothing is sent again.
      for (const m of asked) expect((await b.post(m)).status).toBe(200);
      await Promise.all(rigs.map((r) => r.adapter.settled()));
      // Of the three copies of each message, two were recognised as already processed.
      const duplicates = rigs.map((r) => r.dispatcher.metrics.value('events_total', { platform: 'whatsapp', outcome: 'duplicate' }));
      expect(duplicates[0]! + duplicates[1]!).toBe(2 * people.length);

      for (const p of people) {
        const helps = rigs.flatMap((r) => r.api.textsTo(p.who.bsuid)).filter((t) => t.includes('/status'));
        expect(helps, p.who.bsuid).toHaveLength(1);
        const wamid = p.sent.at(-1)!;
        expect(rigs.flatMap((r) => r.api.read).filter((id) => id === wamid), p.who.bsuid).toHaveLength(1);
      }
      for (const store of stores) expect(await store.listPending(20)).toEqual([]);
    } finally {
      for (const r of rigs) await r.close();
      for (const s of stores) await s.close();
    }
  }, 60_000);
});
