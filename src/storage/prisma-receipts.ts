/**
 * ReceiptStore (src/core/receipts.ts): the receipts of notices and announcement copies a platform
 * accepted, keyed by a hash of the platform's message id. Pruned by age with the event claims
 * (prisma-erasure.ts), erased with their person (prisma-effects.ts).
 */
import type { ReceiptFailure, ReceiptStore } from '../core/ports.js';
import type { Tx } from './prisma-client.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaReceipts implements ReceiptStore {
  constructor(private readonly engine: PrismaEngine) {}

  async rememberReceipts(input: { keys: string[]; participantId: string; noticeId?: string; deliveryId?: number; at: Date }): Promise<void> {
    if (input.keys.length === 0) return;
    const rows = input.keys.map((key) => ({ key, participantId: input.participantId, noticeId: input.noticeId ?? null, deliveryId: input.deliveryId ?? null, at: input.at }));
    // A key seen before (the same id reported twice) keeps its first receipt.
    await this.engine.run('rememberReceipts', async (tx) => {
      for (const row of rows) await tx.sendReceipt.upsert({ where: { key: row.key }, create: row, update: {} });
    });
  }

  /**
   * One transaction: the receipt is claimed (failedAt set only where still null, so two reports
   * racing change the message once), then its notice or copy is moved only from `sent` — a
   * notice the person has since been sent again, or erased, is left alone. A notice held again
   * changes the person's cached context (notices waiting, in the fast path's fingerprint): the
   * cache is forgotten then, and only then (a failed reply, the common case, changes nothing).
   */
  async failReceipt(key: string, reason: string, at: Date): Promise<ReceiptFailure> {
    const outcome = await this.engine.transact('failReceipt', (tx) => failIn(tx, key, reason, at));
    return outcome === 'notice' ? this.engine.forgettingCache(Promise.resolve(outcome)) : outcome;
  }
}

async function failIn(tx: Tx, key: string, reason: string, at: Date): Promise<ReceiptFailure> {
  const receipt = await tx.sendReceipt.findUnique({ where: { key } });
  if (!receipt) return 'none';
  const { count: claimed } = await tx.sendReceipt.updateMany({ where: { key, failedAt: null }, data: { failedAt: at } });
  if (claimed === 0) return 'unchanged';
  if (receipt.noticeId) {
    const { count } = await tx.notice.updateMany({ where: { id: receipt.noticeId, status: 'sent' }, data: { status: 'held', reason, updatedAt: at } });
    return count === 1 ? 'notice' : 'unchanged';
  }
  if (receipt.deliveryId !== null) {
    // `sending` too: a copy's `sent` is written in batches, after its receipt.
    const { count } = await tx.announcementDelivery.updateMany({ where: { id: receipt.deliveryId, status: { in: ['sent', 'sending'] } }, data: { status: 'unreachable', updatedAt: at } });
    return count === 1 ? 'announcement' : 'unchanged';
  }
  return 'unchanged';
}
