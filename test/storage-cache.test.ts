/**
 * The message path's cache and non-interactive commit (src/storage/context-cache.ts,
 * prisma-fast-path.ts), on SQLite and PostgreSQL, with two store instances on one database as two
 * bot processes would be: a warm conversation is served from the cache, and whatever another
 * instance or an organiser changed makes the next commit a conflict, never a lost or stale write.
 */
import { describe, expect, it } from 'vitest';
import type { BotStore, StepCommit } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw, type RawTarget } from '../src/storage/raw-connection.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';

const scratch = scratchDatabases('cache');

async function target(provider: RawTarget['provider']): Promise<{ url: string; raw: RawTarget }> {
  const raw = await scratch.empty(provider);
  return { url: databaseUrl(raw), raw };
}

const ref: ConversationRef = { platform: 'messenger', chatId: 'p1', userId: 'p1' };
const KEY = 'key-p1';
let seq = 0;
const step = (expectedVersion: number | null, extra: Partial<StepCommit> = {}): StepCommit => ({
  event: { platform: 'messenger', id: `ev-${++seq}` },
  conversationKey: KEY,
  ref,
  expectedVersion,
  state: { step: 'menu', n: seq },
  pending: [],
  effects: [],
  receivedAt: new Date('2026-11-20T10:00:00Z'),
  ...extra,
});

/** A consented person with one contribution; returns the conversation's version. */
async function person(store: BotStore): Promise<number> {
  await store.commit(step(null, { effects: [{ type: 'participant.consent', locale: 'ar', at: new Date('2026-11-20T09:00:00Z') }] }));
  const created = await store.commit(step(1, {
    effects: [{
      type: 'contribution.create', code: 'ICS-CACHE1', callId: 'icssi-2019', topic: 2, language: 'ar', at: new Date('2026-11-20T09:01:00Z'),
      revision: { text: 'نص المساهمة', wordCount: 2, details: { name: 'Noor', organisation: null, country: null, email: null } },
    }],
  }));
  expect(created).toEqual({ status: 'committed', version: 2 });
  return 2;
}

describe.each(['sqlite', 'postgresql'] as const)('the cached message path on %s', (provider) => {
  it('serves a warm conversation from the cache and still refuses a redelivered event', async () => {
    const t = await target(provider);
    const a = await openStore(t.url);
    try {
      let v = await person(a);
      expect((await a.load(KEY, ref)).conversation?.version).toBe(v);
      // Behind the cache's back (a raw write, as another program would): the cache answers as before.
      const raw = await connectRaw(t.raw);
      await raw.query(`UPDATE "Conversation" SET "state" = '{"step":"elsewhere"}' WHERE "key" = $1`, [KEY]);
      await raw.close();
      expect((await a.load(KEY, ref)).conversation?.state).toMatchObject({ step: 'menu' });
      const reply = { text: 'reply', outbox: { id: 'r1', lease: '2026-11-20T10:02:00.000Z' } };
      const dueAt = new Date('2026-11-20T10:02:00Z');
      const first = step(v, { pending: [reply], dueAt });
      expect(await a.commit(first)).toEqual({ status: 'committed', version: ++v });
      expect(await a.commit({ ...first, expectedVersion: v })).toEqual({ status: 'duplicate' });
      const loaded = await a.load(KEY, ref);
      expect(loaded.conversation).toEqual({ state: first.state, version: v, pending: [reply] });
      expect(loaded.participant?.lastInboundAt).toEqual(first.receivedAt);
      // The fast commit stored the outbox as the normal commit does: reply id, lease, ref, due time.
      expect(await a.readOutbox(KEY)).toEqual({ version: v, ref, pending: [reply] });
      expect(await a.listDue(new Date('2026-11-20T10:01:59Z'), 10)).toEqual([]);
      expect(await a.listDue(dueAt, 10)).toEqual([KEY]);
      // An acknowledgement bumps the version: the cache follows it, and the next commit is fast and right.
      expect(await a.writeOutbox(KEY, v, { pending: [], dueAt: null, deadLetters: [] })).toBe(++v);
      expect((await a.load(KEY, ref)).conversation).toEqual({ state: first.state, version: v, pending: [] });
      expect(await a.commit(step(v))).toEqual({ status: 'committed', version: ++v });
      expect(await a.readOutbox(KEY)).toEqual({ version: v, ref: null, pending: [] });
      expect(await a.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toEqual([]);
      // A lost acknowledgement (stale version) evicts: the next load reads the database.
      expect(await a.writeOutbox(KEY, v - 1, { pending: [], dueAt: null, deadLetters: [] })).toBeNull();
      expect((await a.load(KEY, ref)).conversation?.state).toMatchObject({ step: 'menu' });
    } finally {
      await a.close();
    }
  });

  it('turns another instance’s commit, an organiser’s decision and a held notice into conflicts, then reads afresh', async () => {
    const t = await target(provider);
    const a = await openStore(t.url);
    const b = await openStore(t.url, { migrate: false });
    try {
      const v = await person(a);
      expect((await a.load(KEY, ref)).conversation?.version).toBe(v);

      // Another instance moves the conversation on: a's cached version is stale.
      expect((await b.load(KEY, ref)).conversation?.version).toBe(v);
      expect(await b.commit(step(v))).toEqual({ status: 'committed', version: v + 1 });
      const stale = step(v);
      expect(await a.commit(stale)).toEqual({ status: 'conflict' });
      expect((await a.load(KEY, ref)).conversation?.version).toBe(v + 1);
      // Nothing of the refused step was kept: the same event commits on the fresh version.
      expect(await a.commit({ ...stale, expectedVersion: v + 1 })).toEqual({ status: 'committed', version: v + 2 });

      // An organiser decides through another instance (the CLI): same version, different data.
      expect((await b.recordDecision({ code: 'ICS-CACHE1', to: 'accepted', actor: 'cli', note: null, at: new Date('2026-11-21T10:00:00Z') })).status).toBe('recorded');
      expect((await a.load(KEY, ref)).contributions[0]?.state).toBe('submitted'); // cached, not yet checked
      expect(await a.commit(step(v + 2))).toEqual({ status: 'conflict' });
      expect((await a.load(KEY, ref)).contributions[0]?.state).toBe('accepted');
      expect(await a.commit(step(v + 2))).toEqual({ status: 'committed', version: v + 3 });

      // A notice held for this person elsewhere: the next commit conflicts and the reload knows it waits.
      expect((await a.load(KEY, ref)).noticesWaiting).toBe(false);
      const participant = (await a.load(KEY, ref)).participant!;
      expect(await b.enqueueNotice({ participantId: participant.id, notice: { key: 'decision.accepted' }, status: 'held', at: new Date() })).not.toBe('');
      expect(await a.commit(step(v + 3))).toEqual({ status: 'conflict' });
      expect((await a.load(KEY, ref)).noticesWaiting).toBe(true);

      // Another process marks the person unreachable: the fingerprint moved, the reload shows the
      // mark, and the person's next message clears it as the normal commit does.
      let w = (await a.load(KEY, ref)).conversation!.version;
      expect(await b.setUnreachable({ platform: ref.platform, userId: ref.userId, reason: 'messenger:551', at: new Date('2026-11-21T11:00:00Z') })).toBe(true);
      expect(await a.commit(step(w))).toEqual({ status: 'conflict' });
      expect((await a.load(KEY, ref)).participant?.unreachableAt).toEqual(new Date('2026-11-21T11:00:00Z'));
      expect(await a.commit(step(w))).toEqual({ status: 'committed', version: ++w });
      expect((await b.load(KEY, ref)).participant).toMatchObject({ unreachableAt: null, unreachableReason: null });
      // The locale changed elsewhere (a raw write, as another program would): a conflict too.
      expect((await a.load(KEY, ref)).conversation?.version).toBe(w);
      const raw = await connectRaw(t.raw);
      await raw.query(`UPDATE "Participant" SET "locale" = 'ckb' WHERE "platformUserId" = $1`, [ref.userId]);
      await raw.close();
      expect((await a.load(KEY, ref)).participant?.locale).toBe('ar');
      expect(await a.commit(step(w))).toEqual({ status: 'conflict' });
      expect((await a.load(KEY, ref)).participant?.locale).toBe('ckb');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
