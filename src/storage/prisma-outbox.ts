/**
 * The outbox's and lease holders' queries (prisma-conversations.ts, prisma-lease-holders.ts; the
 * rules live in src/core/outbox.ts; here only reads and compare-and-set writes) and the
 * participant's "unreachable" mark.
 */
import type { DeadLetter, OutboxRow, PendingReply } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import type { Tx } from './prisma-client.js';
import { outboxColumns, parsePending, parseRef, toDeadLetter } from './rows.js';

export async function listDue(tx: Tx, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.conversation.findMany({
    where: { pendingDueAt: { lte: now } },
    orderBy: [{ pendingDueAt: 'asc' }, { key: 'asc' }],
    take: limit,
    select: { key: true },
  });
  return rows.map((r) => r.key);
}

export async function readOutbox(tx: Tx, key: string): Promise<OutboxRow | null> {
  const row = await tx.conversation.findUnique({ where: { key }, select: { version: true, pending: true, pendingRef: true } });
  if (!row) return null;
  return { version: row.version, ref: row.pendingRef ? parseRef(row.pendingRef) : null, pending: parsePending(row.pending) };
}

/**
 * Run inside a transaction: the compare-and-set on the version, then the dead letters. The ref is
 * kept as stored while replies wait (it is the same conversation), forgotten when none do.
 */
export async function writeOutbox(
  tx: Tx,
  key: string,
  expectedVersion: number,
  next: { pending: PendingReply[]; dueAt: Date | null; deadLetters: DeadLetter[] },
): Promise<number | null> {
  const { pendingRef: _ref, ...columns } = outboxColumns(next.pending, null, next.dueAt);
  const { count } = await tx.conversation.updateMany({
    where: { key, version: expectedVersion },
    data: { ...columns, ...(next.pending.length === 0 ? { pendingRef: null } : {}), version: expectedVersion + 1 },
  });
  if (count === 0) return null;
  if (next.deadLetters.length > 0) await tx.deadLetter.createMany({ data: next.deadLetters });
  return expectedVersion + 1;
}

export async function deadLetters(tx: Tx, limit: number): Promise<DeadLetter[]> {
  const rows = await tx.deadLetter.findMany({ orderBy: { id: 'desc' }, take: limit });
  return rows.map(toDeadLetter);
}

export async function setUnreachable(tx: Tx, input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean> {
  const { count } = await tx.participant.updateMany({
    where: { platform: input.platform, platformUserId: input.userId, erasedAt: null },
    data: input.reason === null ? { unreachableAt: null, unreachableReason: null } : { unreachableAt: input.at, unreachableReason: input.reason },
  });
  return count > 0;
}

// ---- Lease holders (src/core/lease-holders.ts) ----------------------------------------------

export async function beatHolder(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.leaseHolder.upsert({ where: { id }, create: { id, beatAt: at }, update: { beatAt: at } });
}

export async function listHolders(tx: Tx): Promise<{ id: string; beatAt: Date }[]> {
  return tx.leaseHolder.findMany({ select: { id: true, beatAt: true } });
}

/**
 * The conversations with a reply leased by `holder`. Only rows with something pending are looked
 * at (the pendingDueAt index); the holder is found in the pending JSON as the outbox wrote it
 * (`"holder":"<id>"`; ids are UUIDs, nothing to escape for LIKE).
 */
export async function listHeldBy(tx: Tx, holder: string, limit: number): Promise<string[]> {
  const rows = await tx.conversation.findMany({
    where: { pendingDueAt: { not: null }, pending: { contains: `"holder":${JSON.stringify(holder)}` } },
    orderBy: { key: 'asc' },
    take: limit,
    select: { key: true },
  });
  return rows.map((r) => r.key);
}

export async function forgetHolder(tx: Tx, id: string, beatAt: Date): Promise<void> {
  await tx.leaseHolder.deleteMany({ where: { id, beatAt: { lte: beatAt } } });
}
