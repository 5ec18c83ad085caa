/**
 * The organisers' figures computed in the database: grouped counts, a word-count histogram and
 * per-day counts in the call's timezone. A few hundred rows come back whatever the number of
 * contributions, so the cost stays flat in Node's memory (see StatsAggregates in src/domain).
 *
 * Raw SQL (Prisma's tagged $queryRaw: placeholders per provider) because Prisma's groupBy cannot
 * join the latest revision nor group by a computed day. Identifiers are quoted: both providers
 * keep the models' mixed-case names.
 */
import { Prisma } from '../../generated/prisma-sqlite/client.js';
import type { FunnelCounts } from '../domain/records.js';
import type { StatsAggregates } from '../domain/stats.js';
import { localDays } from '../domain/zone-offsets.js';
import type { Tx } from './prisma-client.js';

export type Provider = 'sqlite' | 'postgresql';

// SQLite's COUNT is an integer, PostgreSQL's a bigint: both come back as number or bigint.
const num = (v: unknown): number => Number(v);

/**
 * An instant as each provider compares it with a DateTime column: SQLite keeps ISO 8601 text with
 * "+00:00" (the adapter's default format); PostgreSQL's timestamp(3) holds UTC without a zone, so
 * the UTC wall time is cast (a Date parameter could be sent in the process's local time).
 */
function timeParam(provider: Provider, d: Date): Prisma.Sql {
  if (provider === 'sqlite') return Prisma.sql`${d.toISOString().replace('Z', '+00:00')}`;
  return Prisma.sql`CAST(${d.toISOString().replace('T', ' ').replace('Z', '')} AS timestamp(3))`;
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

async function groups(tx: Tx, callId: string): Promise<StatsAggregates['groups']> {
  const rows = await tx.$queryRaw<{ topic: unknown; language: string; platform: string; state: string; n: unknown; first: unknown }[]>`
    SELECT "topic", "language", "platform", "state", COUNT(*) AS "n", MIN("createdAt") AS "first"
    FROM "Contribution" WHERE "callId" = ${callId}
    GROUP BY "state", "topic", "language", "platform"`;
  return rows.map((r) => ({ topic: num(r.topic), language: r.language, platform: r.platform, state: r.state, count: num(r.n), first: toDate(r.first) }));
}

/** The latest revision's word count of each active contribution (kept on the contribution), as a histogram. */
async function words(tx: Tx, callId: string): Promise<StatsAggregates['words']> {
  const rows = await tx.$queryRaw<{ w: unknown; n: unknown }[]>`
    SELECT "wordCount" AS "w", COUNT(*) AS "n"
    FROM "Contribution" WHERE "callId" = ${callId} AND "state" <> 'withdrawn'
    GROUP BY "wordCount"`;
  return rows.map((r) => ({ wordCount: num(r.w), count: num(r.n) }));
}

/**
 * The local days between the first and the last contribution, with the UTC instants where each
 * starts, are computed in Node (src/domain/zone-offsets.ts: SQLite has no timezone rules) and sent
 * as a table of ranges. Each range is counted on the index that starts with (callId, createdAt):
 * plain comparisons, no timezone conversion per row (PostgreSQL's AT TIME ZONE per row measured
 * three times slower than these ranges).
 */
async function days(tx: Tx, provider: Provider, callId: string, timezone: string): Promise<StatsAggregates['days']> {
  // Two statements: SQLite reads MIN or MAX alone from the index's end, but not both at once.
  const [first] = await tx.$queryRaw<{ t: unknown }[]>`SELECT MIN("createdAt") AS "t" FROM "Contribution" WHERE "callId" = ${callId}`;
  const [last] = await tx.$queryRaw<{ t: unknown }[]>`SELECT MAX("createdAt") AS "t" FROM "Contribution" WHERE "callId" = ${callId}`;
  if (!first?.t || !last?.t) return [];
  const localRanges = localDays(timezone, toDate(first.t), toDate(last.t));
  const rows: { day: string; topic: unknown; n: unknown }[] = [];
  // A few hundred days per statement keeps the parameters far under SQLite's limit.
  for (let i = 0; i < localRanges.length; i += 300) {
    const ranges = localRanges.slice(i, i + 300).map((d) => Prisma.sql`(${d.day}, ${timeParam(provider, d.start)}, ${timeParam(provider, d.end)})`);
    rows.push(...(await tx.$queryRaw<{ day: string; topic: unknown; n: unknown }[]>`
      WITH "d"("day", "lo", "hi") AS (VALUES ${Prisma.join(ranges)})
      SELECT "d"."day" AS "day", c."topic" AS "topic", COUNT(*) AS "n"
      FROM "d" JOIN "Contribution" c ON c."callId" = ${callId} AND c."createdAt" >= "d"."lo" AND c."createdAt" < "d"."hi"
      WHERE c."state" <> 'withdrawn'
      GROUP BY "d"."day", c."topic"`));
  }
  return rows.map((r) => ({ day: r.day, topic: num(r.topic), count: num(r.n) }));
}

export async function statsAggregates(tx: Tx, provider: Provider, callId: string, timezone: string): Promise<StatsAggregates> {
  return {
    groups: await groups(tx, callId),
    days: await days(tx, provider, callId, timezone),
    words: await words(tx, callId),
  };
}

/**
 * The funnel, each count read from an index alone. `submitted` counts the people with a
 * contribution to the call, less the erased ones among them (few: found by their erasedAt).
 * Erased people count in `started` only (their conversation row is gone, so not even there).
 */
export async function funnelCounts(tx: Tx, callId: string): Promise<FunnelCounts> {
  const [people] = await tx.$queryRaw<{ consented: unknown; drafted: unknown }[]>`
    SELECT COUNT("consentAt") AS "consented", COUNT("draftedAt") AS "drafted" FROM "Participant" WHERE "erasedAt" IS NULL`;
  // DISTINCT in a subquery: PostgreSQL hashes it (COUNT(DISTINCT) sorts: measured 5 times slower).
  const [authors] = await tx.$queryRaw<{ n: unknown }[]>`
    SELECT COUNT(*) AS "n" FROM (SELECT DISTINCT "participantId" FROM "Contribution" WHERE "callId" = ${callId}) AS "a"`;
  // From the (few) erased people, each probing the (callId, participantId) index.
  const [erased] = await tx.$queryRaw<{ n: unknown }[]>`
    SELECT COUNT(*) AS "n" FROM "Participant" p
    WHERE p."erasedAt" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "Contribution" c WHERE c."participantId" = p."id" AND c."callId" = ${callId})`;
  return {
    started: await tx.conversation.count(),
    consented: num(people?.consented),
    drafted: num(people?.drafted),
    submitted: num(authors?.n) - num(erased?.n),
  };
}
