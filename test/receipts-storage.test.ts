/**
 * The send receipts' storage port (ReceiptStore, src/core/ports.ts) on SQLite and PostgreSQL, and
 * its notice half on the memory double: a receipt names a notice or an announcement copy; the
 * first failed report holds a notice still `sent` (with the reason) or counts a copy still `sent`
 * or `sending` unreachable, and every later one changes nothing; a key never stored is `none`.
 * Receipts go with their person's erasure and by age (MaintenanceStore.pruneReceipts).
 */
import { describe, expect, it } from 'vitest';
import type { BotStore, DataEffect } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { seed } from './helpers/announce.js';
import { MemoryStore } from './helpers/memory-store.js';
import { DAY_MS, Maintenance } from '../src/core/maintenance.js';
import { silentLogger } from '../src/core/log.js';
import { Metrics } from '../src/core/metrics.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';

const scratch = scratchDatabases('receipts');
const AT = new Date('2026-12-01T10:00:00Z');
const LATER = new Date('2026-12-01T10:05:00Z');
const A = 'IQ.2000000000000000001';
const B = 'IQ.2000000000000000002';
const refOf = (userId: string): ConversationRef => ({ platform: 'whatsapp', chatId: userId, userId });

async function participantId(store: BotStore, userId: string): Promise<string> {
  const loaded = await store.load(`seed-whatsapp-${userId}`, refOf(userId));
  return loaded.participant!.id;
}

/** A notice stored and marked sent, as the notifier leaves one the platform accepted. */
async function sentNotice(store: BotStore, pid: string): Promise<string> {
  const id = await store.enqueueNotice({ participantId: pid, notice: { key: 'decision.accepted' }, status: 'pending', at: AT });
  await store.markNotice(id, 'sent', AT, null);
  return id;
}

async function erase(store: BotStore, userId: string): Promise<void> {
  const effects: DataEffect[] = [{ type: 'participant.erase', at: LATER }];
  const r = await store.commit({ event: { platform: 'whatsapp', id: `erase-${userId}` }, conversationKey: `seed-whatsapp-${userId}`, ref: refOf(userId), expectedVersion: 1, state: {}, pending: [], effects, receivedAt: LATER });
  expect(r.status).toBe('committed');
}

function noticeContract(open: () => Promise<BotStore>) {
  it('holds a sent notice once, with the reason; a second report, a sibling id and an unknown key change nothing', async () => {
    const store = await open();
    await seed(store, { platform: 'whatsapp', userId: A, locale: 'ar', at: AT });
    const pid = await participantId(store, A);
    const notice = await sentNotice(store, pid);
    await store.rememberReceipts({ keys: ['key-part-1', 'key-part-2'], participantId: pid, noticeId: notice, at: AT });
    // The same key again (a retried store) keeps one receipt.
    await store.rememberReceipts({ keys: ['key-part-1'], participantId: pid, noticeId: notice, at: AT });

    expect(await store.failReceipt('key-part-1', 'whatsapp:131026', LATER)).toBe('notice');
    expect(await store.noticesFor(pid, ['held'])).toEqual([expect.objectContaining({ id: notice, status: 'held', reason: 'whatsapp:131026' })]);
    expect(await store.failReceipt('key-part-1', 'whatsapp:131026', LATER)).toBe('unchanged');
    // The other part of the same notice failing too: the notice is held already.
    expect(await store.failReceipt('key-part-2', 'whatsapp:131047', LATER)).toBe('unchanged');
    expect((await store.noticesFor(pid, ['held']))[0]!.reason).toBe('whatsapp:131026');
    expect(await store.failReceipt('key-never-stored', 'whatsapp:131026', LATER)).toBe('none');

    // Sent again (the person wrote): the old receipt, reported once more, leaves it sent.
    await store.markNotice(notice, 'sent', LATER, null);
    expect(await store.failReceipt('key-part-1', 'whatsapp:131026', LATER)).toBe('unchanged');
    expect(await store.noticesFor(pid, ['sent'])).toHaveLength(1);
    await store.close();
  });

  it("erasing a person deletes their receipts and no one else's", async () => {
    const store = await open();
    await seed(store, { platform: 'whatsapp', userId: A, locale: 'ar', at: AT });
    await seed(store, { platform: 'whatsapp', userId: B, locale: 'en', at: AT });
    const [pa, pb] = [await participantId(store, A), await participantId(store, B)];
    const [na, nb] = [await sentNotice(store, pa), await sentNotice(store, pb)];
    await store.rememberReceipts({ keys: ['key-a'], participantId: pa, noticeId: na, at: AT });
    await store.rememberReceipts({ keys: ['key-b'], participantId: pb, noticeId: nb, at: AT });
    await erase(store, A);
    expect(await store.failReceipt('key-a', 'whatsapp:131026', LATER)).toBe('none');
    expect(await store.failReceipt('key-b', 'whatsapp:131026', LATER)).toBe('notice');
    await store.close();
  });
}

describe('send receipts on the memory double (notices)', () => {
  noticeContract(async () => new MemoryStore());
});

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`send receipts on ${provider}`, () => {
    const open = async (): Promise<PrismaStore> => openStore(databaseUrl(await scratch.empty(provider)));
    noticeContract(open);

    it('counts a copy unreachable whether still `sending` (marked sent in batches) or `sent`, once', async () => {
      const store = await open();
      await seed(store, { platform: 'whatsapp', userId: A, locale: 'ar', at: AT });
      await seed(store, { platform: 'whatsapp', userId: B, locale: 'en', at: AT });
      const ann = store.announcements;
      const { id } = await ann.create({ callId: 'icssi-2019', kind: 'announcement', texts: { en: 'x', ar: 'x' }, audience: { who: 'consented' }, expiresAt: null, createdBy: 'cli:test', at: AT });
      const [pa, pb] = [await participantId(store, A), await participantId(store, B)];
      await ann.writeRecipients(id, [{ participantId: pa, platform: 'whatsapp', status: 'pending' }, { participantId: pb, platform: 'whatsapp', status: 'pending' }], AT);
      const jobs = await ann.deliveries(id, 'whatsapp', 'pending', 0, 10);
      const da = jobs.find((j) => j.participant.participantId === pa)!.id;
      const db = jobs.find((j) => j.participant.participantId === pb)!.id;
      expect((await ann.claim([da, db], 'token', AT)).size).toBe(2);
      await ann.transition(db, 'sending', 'sent', AT);
      await store.rememberReceipts({ keys: ['key-copy-a'], participantId: pa, deliveryId: da, at: AT });
      await store.rememberReceipts({ keys: ['key-copy-b'], participantId: pb, deliveryId: db, at: AT });

      expect(await store.failReceipt('key-copy-a', 'whatsapp:131026', LATER)).toBe('announcement');
      expect(await store.failReceipt('key-copy-b', 'whatsapp:131026', LATER)).toBe('announcement');
      expect(await store.failReceipt('key-copy-b', 'whatsapp:131026', LATER)).toBe('unchanged');
      // The sender's batch mark comes after: it moves only copies still `sending`.
      await ann.transitionMany([da], 'sending', 'sent', LATER);
      expect((await ann.counts(id)).whatsapp).toEqual({ unreachable: 2 });
      await store.close();
    });

    it('prunes receipts made before the cutoff only', async () => {
      const store = await open();
      await seed(store, { platform: 'whatsapp', userId: A, locale: 'ar', at: AT });
      const pid = await participantId(store, A);
      const notice = await sentNotice(store, pid);
      await store.rememberReceipts({ keys: ['key-old'], participantId: pid, noticeId: notice, at: AT });
      await store.rememberReceipts({ keys: ['key-new'], participantId: pid, noticeId: notice, at: LATER });
      expect(await store.pruneReceipts(new Date(LATER.getTime() - 1000))).toBe(1);
      expect(await store.db.sendReceipt.count()).toBe(1);
      expect(await store.failReceipt('key-old', 'whatsapp:131026', LATER)).toBe('none');
      expect(await store.failReceipt('key-new', 'whatsapp:131026', LATER)).toBe('notice');
      await store.close();
    });

    it('the maintenance pass prunes receipts at the age of the event claims (PROCESSED_EVENTS_MAX_AGE_DAYS)', async () => {
      const store = await open();
      await seed(store, { platform: 'whatsapp', userId: A, locale: 'ar', at: AT });
      const pid = await participantId(store, A);
      await store.rememberReceipts({ keys: ['key-1'], participantId: pid, noticeId: await sentNotice(store, pid), at: AT });
      const clock = { now: new Date(AT.getTime() + 6 * DAY_MS) };
      const metrics = new Metrics();
      const maintenance = new Maintenance({ store, clock: () => clock.now, processedEventMaxAgeMs: 7 * DAY_MS, logger: silentLogger, metrics });
      await maintenance.runOnce();
      expect(await store.db.sendReceipt.count()).toBe(1);
      clock.now = new Date(AT.getTime() + 8 * DAY_MS);
      await maintenance.runOnce();
      expect(await store.db.sendReceipt.count()).toBe(0);
      expect(metrics.value('send_receipts_pruned_total')).toBe(1);
      await store.close();
    });
  });
}
