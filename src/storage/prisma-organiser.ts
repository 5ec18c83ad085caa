/**
 * The organisers' and notices' queries (ports in src/core/ports.ts). Each takes the client or
 * transaction to run on; its port module decides which (prisma-organiser-reads.ts,
 * prisma-notices.ts, prisma-health.ts).
 */
import type { Decision, DecisionResult, NoticeStatus, StoredNotice } from '../core/ports.js';
import { PLATFORMS, type Platform } from '../core/types.js';
import type { ContributionRecord, ParticipantRecord } from '../domain/records.js';
import type { Tx } from './prisma-client.js';
import { toContributionRecord, toJson, toParticipantRecord, toStoredNotice } from './rows.js';

type Found = { contribution: ContributionRecord; participant: ParticipantRecord };

export async function getContribution(tx: Tx, code: string): Promise<Found | null> {
  const row = await tx.contribution.findUnique({
    where: { code },
    include: { participant: true, revisions: { orderBy: { number: 'desc' }, take: 1 } },
  });
  if (!row) return null;
  return { contribution: toContributionRecord(row, row.revisions[0]), participant: toParticipantRecord(row.participant) };
}

// How often a decision re-reads a contribution whose state changed between its read and its write.
const DECISION_ATTEMPTS = 5;

/**
 * Run inside a transaction. The write is a compare-and-set on the state just read, so the state
 * change names the state it really replaced, and a withdrawal committed meanwhile (PostgreSQL's
 * READ COMMITTED shows it to the next read) refuses the decision instead of being overwritten.
 */
export async function recordDecision(
  tx: Tx,
  input: { code: string; to: Decision; actor: string; note: string | null; at: Date },
): Promise<DecisionResult> {
  for (let attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
    const current = await tx.contribution.findUnique({ where: { code: input.code }, select: { id: true, state: true } });
    if (!current) return { status: 'not-found' };
    if (current.state === 'withdrawn') return { status: 'withdrawn' };
    const { count } = await tx.contribution.updateMany({
      where: { id: current.id, state: current.state },
      data: { state: input.to, updatedAt: input.at },
    });
    if (count === 0) continue;
    await tx.contributionStateChange.create({
      data: {
        contributionId: current.id,
        fromState: current.state,
        toState: input.to,
        actor: input.actor,
        note: input.note,
        at: input.at,
      },
    });
    const found = await getContribution(tx, input.code);
    if (!found) throw new Error(`Contribution ${input.code} vanished while a decision was recorded`);
    return { status: 'recorded', ...found };
  }
  throw new Error(`Contribution ${input.code} kept changing while a decision was recorded`);
}

export async function participantById(tx: Tx, id: string): Promise<ParticipantRecord | null> {
  const row = await tx.participant.findUnique({ where: { id } });
  return row ? toParticipantRecord(row) : null;
}

/**
 * Run inside a transaction. The no-op write locks the participant's row until the notice is
 * stored, so a concurrent erasure either comes first (nothing is stored) or waits and then
 * deletes the notice with the others.
 */
export async function enqueueNotice(
  tx: Tx,
  input: { participantId: string; notice: unknown; status: 'pending' | 'held'; reason?: string | null; at: Date },
): Promise<string> {
  const { count } = await tx.participant.updateMany({
    where: { id: input.participantId, erasedAt: null },
    data: { erasedAt: null },
  });
  if (count === 0) return '';
  const row = await tx.notice.create({
    data: {
      participantId: input.participantId,
      notice: toJson(input.notice),
      status: input.status,
      reason: input.reason ?? null,
      createdAt: input.at,
      updatedAt: input.at,
    },
    select: { id: true },
  });
  return row.id;
}

export async function noticesFor(tx: Tx, participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]> {
  if (statuses.length === 0) return [];
  const rows = await tx.notice.findMany({
    where: { participantId, status: { in: statuses } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toStoredNotice);
}

/** A notice that no longer exists (deleted by erasure meanwhile) is left alone. */
export async function markNotice(tx: Tx, id: string, status: NoticeStatus, at: Date, reason: string | null): Promise<void> {
  await tx.notice.updateMany({ where: { id }, data: { status, reason, updatedAt: at } });
}

/** One count per platform (a handful): Prisma cannot group by a related row's column. */
export async function heldCounts(tx: Tx): Promise<Partial<Record<Platform, number>>> {
  const counts: Partial<Record<Platform, number>> = {};
  for (const platform of PLATFORMS) {
    const n = await tx.notice.count({ where: { status: 'held', participant: { platform } } });
    if (n > 0) counts[platform] = n;
  }
  return counts;
}
