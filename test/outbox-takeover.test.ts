/**
 * Who may send a leased reply, on SQLite and PostgreSQL, without timers: the lease keeper
 * (src/core/lease-holders.ts) takes over the replies of a holder whose last beat is older than
 * the dead-after margin, in order, and leaves those of a holder that beats; a console session at
 * start takes over whatever a killed session leased (the lease ends in the future).
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { LeaseKeeper } from '../src/core/lease-holders.js';
import { silentLogger } from '../src/core/log.js';
import type { BotStore, PendingReply } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import { TEST_SECRET } from './helpers/harness.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';

const scratch = scratchDatabases('takeover');

const ref = (user: string): ConversationRef => ({ platform: 'console', chatId: user, userId: user });
const key = (user: string) => conversationKey(TEST_SECRET, ref(user));

/** Stores a conversation whose replies `holder` leased until `until` (as a commit by it would). */
async function leasedBy(store: BotStore, user: string, holder: string, until: Date, texts: string[]): Promise<void> {
  const pending: PendingReply[] = texts.map((text, i) => ({ text, outbox: { id: `${user}-${i}`, lease: until.toISOString(), holder } }));
  const r = await store.commit({
    event: { platform: 'console', id: `ev-${user}` }, conversationKey: key(user), ref: ref(user), expectedVersion: null,
    state: { v: 1, step: 'menu' }, pending, dueAt: until, effects: [], receivedAt: new Date(),
  });
  expect(r.status).toBe('committed');
}

async function dispatcherOn(store: BotStore, sent: string[]): Promise<Dispatcher> {
  const i18n = await createI18n();
  const d = new Dispatcher({ store, i18n, call: loadCallDefinition(DEFAULT_CALL_FILE, i18n), secret: TEST_SECRET, holderDeadAfterMs: 5000 });
  d.registerSender('console', async (r, m) => {
    sent.push(`${r.userId}: ${m.text}`);
  });
  return d;
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`taking over leased replies on ${provider}`, () => {
    it('takes over, in order, the replies of a holder silent for longer than the margin, and leaves a beating one’s', async () => {
      const store = await openStore(databaseUrl(await scratch.empty(provider)));
      try {
        const now = Date.now();
        const lease = new Date(now + 120_000);
        const dead = '11111111-0000-4000-8000-000000000001';
        const alive = '11111111-0000-4000-8000-000000000002';
        await store.beatHolder(dead, new Date(now - 6_000));
        await store.beatHolder(alive, new Date(now - 1_000));
        await leasedBy(store, 'u-dead', dead, lease, ['first', 'second']);
        await leasedBy(store, 'u-alive', alive, lease, ['busy']);
        const sent: string[] = [];
        const d = await dispatcherOn(store, sent);
        const keeper = new LeaseKeeper({ store, view: d.outbox.holders, clock: () => new Date(), logger: silentLogger, metrics: d.metrics, takeOver: (keys) => d.takeOver(keys) });
        await keeper.beatOnce();
        expect(sent).toEqual(['u-dead: first', 'u-dead: second']);
        expect((await store.listPending(10)).map((p) => p.conversationKey)).toEqual([key('u-alive')]);
        // The dead holder is forgotten once nothing of it is left; the keeper beats for itself.
        const holders = (await store.listHolders()).map((h) => h.id);
        expect(holders).not.toContain(dead);
        expect(holders).toContain(d.outbox.holders.self);
        // A fresh step of the live holder's conversation waits behind its reply (never overtakes it).
        const waiting = d.outbox.claim((await store.readOutbox(key('u-alive')))!.pending, [{ text: 'later' }], { backoff: false });
        expect(waiting.claimed).toEqual([]);
        // Stopping, the keeper says so: its own leases are taken over at once by the others.
        await keeper.stop();
        expect((await store.listHolders()).find((h) => h.id === d.outbox.holders.self)?.beatAt.getTime()).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('a console session at start sends what a killed session leased until later', async () => {
      const store = await openStore(databaseUrl(await scratch.empty(provider)));
      try {
        await leasedBy(store, 'u-console', '22222222-0000-4000-8000-000000000001', new Date(Date.now() + 120_000), ['printed before the kill?']);
        const sent: string[] = [];
        const d = await dispatcherOn(store, sent);
        expect(await d.flushPending(500, { takeOver: true })).toBe(1);
        expect(sent).toEqual(['u-console: printed before the kill?']);
        expect(await store.listPending(10)).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}
