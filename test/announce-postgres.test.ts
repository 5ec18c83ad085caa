/**
 * The announcement store on PostgreSQL (a database of its own on the test server): audience
 * selection, recipients written once, and claims that two senders cannot both win.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';
import { seed } from './helpers/announce.js';

const name = `icssi_announce_${process.pid}`;
let store: PrismaStore | undefined;
afterAll(async () => {
  await store?.close();
  const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
  await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.close();
});

describe('announcements on PostgreSQL', () => {
  it('selects the audience, writes recipients once, and lets one sender win each claim', async () => {
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    await admin.exec(`CREATE DATABASE "${name}"`);
    await admin.close();
    store = await openStore(siblingUrl(pgUrl(), name));
    const ann = store.announcements;
    const at = new Date('2026-11-26T08:00:00Z');
    await seed(store, { platform: 'telegram', userId: '1', locale: 'en', at, contribution: { topic: 1 } });
    await seed(store, { platform: 'telegram', userId: '2', locale: 'ar', at, drafted: true });
    await seed(store, { platform: 'messenger', userId: '3', locale: 'ckb', at, stopped: true });
    expect((await ann.candidates('icssi-2019', { who: 'contributed', topics: [1] })).map((c) => c.platformUserId)).toEqual(['1']);
    expect((await ann.candidates('icssi-2019', { who: 'drafted' })).map((c) => c.platformUserId)).toEqual(['2']);
    const all = await ann.candidates('icssi-2019', { who: 'consented' });
    expect(all.find((c) => c.platformUserId === '3')?.announcementsOffAt).toEqual(at);

    const { id } = await ann.create({ callId: 'icssi-2019', kind: 'reminder', uniqueKey: 'k1', texts: { en: 'x' }, audience: { who: 'consented' }, expiresAt: null, createdBy: 't', at });
    expect(await ann.create({ callId: 'icssi-2019', kind: 'reminder', uniqueKey: 'k1', texts: { en: 'x' }, audience: { who: 'consented' }, expiresAt: null, createdBy: 't', at })).toEqual({ id, created: false });
    const rows = all.map((c) => ({ participantId: c.participantId, platform: c.platform, status: 'pending' as const }));
    const writes = await Promise.all([ann.writeRecipients(id, rows, at), ann.writeRecipients(id, rows, at)]);
    expect(writes.filter(Boolean)).toHaveLength(1);
    const jobs = await ann.deliveries(id, 'telegram', 'pending', 0, 10);
    const ids = jobs.map((j) => j.id);
    const [a, b] = await Promise.all([ann.claim(ids, 'sender-a', at), ann.claim(ids, 'sender-b', at)]);
    expect(a.size + b.size).toBe(2);
    expect([...a].filter((x) => b.has(x))).toEqual([]);
    // Claims renewed within the lease stay with their sender; stale ones become uncertain.
    await ann.renewClaims(id, 'sender-a', new Date(at.getTime() + 60_000));
    expect(await ann.abandonSending(id, new Date(at.getTime() + 1))).toBe(b.size);
    expect(await ann.abandonSending(id, new Date(at.getTime() + 60_001))).toBe(a.size);
    expect(await ann.counts(id)).toEqual({ telegram: { uncertain: 2 }, messenger: { pending: 1 } });
  });
});
