/**
 * The organisers' reading (statistics' facts, exports, a contribution's history): queries only,
 * each on the client or transaction its port module gives it (prisma-organiser-reads.ts).
 */
import type { StateChange } from '../core/ports.js';
import type { ContributionFact, ExportRecord } from '../domain/records.js';
import type { Tx } from './prisma-client.js';
import { contributionLanguage, contributionPlatform, contributionState, toExportRecord, toStateChange } from './rows.js';

/**
 * One row per contribution, in creation order, with its latest revision's word count joined in
 * SQL (an include would send every contribution id back as a parameter: SQLite refuses that
 * from about a thousand rows).
 */
export async function contributionFacts(tx: Tx, callId: string): Promise<ContributionFact[]> {
  const rows = await tx.$queryRaw<{ topic: unknown; state: string; language: string; platform: string; createdAt: unknown; wordCount: unknown }[]>`
    SELECT c."topic", c."state", c."language", c."platform", c."createdAt", r."wordCount"
    FROM "Contribution" c
    LEFT JOIN "ContributionRevision" r ON r."contributionId" = c."id" AND r."number" = c."revision"
    WHERE c."callId" = ${callId}
    ORDER BY c."createdAt", c."id"`;
  return rows.map((r) => ({
    topic: Number(r.topic),
    state: contributionState(r.state),
    language: contributionLanguage(r.language),
    platform: contributionPlatform(r.platform),
    createdAt: r.createdAt instanceof Date ? r.createdAt : new Date(String(r.createdAt)),
    wordCount: Number(r.wordCount ?? 0),
  }));
}

/** Where the next export page starts: after the last row of the previous one. */
export interface ExportCursor {
  createdAt: Date;
  id: string;
}

/**
 * One page of the export, keyset-paginated on (createdAt, id): a bounded query that starts after
 * `after`, so memory stays at one page whatever the total. Returns the page's records and the
 * cursor for the next one (null on the last page).
 */
export async function exportPage(tx: Tx, callId: string, after: ExportCursor | null, pageSize: number): Promise<{ records: ExportRecord[]; next: ExportCursor | null }> {
  const rows = await tx.contribution.findMany({
    where: {
      callId,
      ...(after && {
        OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: pageSize,
    include: {
      participant: { select: { platformUserId: true } },
      revisions: { orderBy: { number: 'desc' }, take: 1 },
    },
  });
  const last = rows.at(-1);
  return {
    records: rows.map((row) => toExportRecord(row, row.participant.platformUserId, row.revisions[0])),
    next: rows.length < pageSize || !last ? null : { createdAt: last.createdAt, id: last.id },
  };
}

export async function history(tx: Tx, code: string): Promise<StateChange[]> {
  const rows = await tx.contributionStateChange.findMany({
    where: { contribution: { code } },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => toStateChange(code, row));
}
