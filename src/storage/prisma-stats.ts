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
export function timeParam(provider: Provider, d: Date): Prisma.Sql {
  if (provider === 'sqlite') return Prisma.sql`${d.toISOString().replace('Z', '+00:00')}`;
  return Prisma.sql`CAST(${d.toISOString().replace('T', ' ').replace('Z', '')} AS timestamp(3))`;
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

/**
 * Counts per (state, topic, language, platform) with the earliest creation time in each group.
 * SQLite counts the groups in the order of the index (callId, state, topic, language, platform,
 * createdAt) and reads each group's earliest time from that index's first entry (180 seeks): a
 * MIN over every row measured 2.5 times slower. PostgreSQL hashes the groups while it scans, the
 * MIN costs it nothing there, and the seeks measured slower.
 */
async function groups(tx: Tx, provider: Provider, callId: string): Promise<StatsAggregates['groups']> {
  type Row = { topic: unknown; language: string; platform: string; state: string; n: unknown; first: unknown };
  const rows =
    provider === 'sqlite'
      ? await tx.$queryRaw<Row[]>`
    SELECT g."topic", g."language", g."platform", g."state", g."n",
      (SELECT MIN(c."createdAt") FROM "Contribution" c
        WHERE c."callId" = ${callId} AND c."state" = g."state" AND c."topic" = g."topic" AND c."language" = g."language" AND c."platform" = g."platform") AS "first"
    FROM (SELECT "state", "topic", "language", "platform", COUNT(*) AS "n" FROM "Contribution" WHERE "callId" = ${callId}
      GROUP BY "state", "topic", "language", "platform") AS g`
      : await tx.$queryRaw<Row[]>`
    SELECT "topic", "language", "platform", "state", COUNT(*) AS "n", MIN("createdAt") AS "first"
    FROM "Contribution" WHERE "callId" = ${callId}
    GROUP BY "state", "topic", "language", "platform"`;
  return rows.map((r) => ({ topic: num(r.topic), language: r.language, platform: r.platform, state: r.state, count: num(r.n), first: toDate(r.first) }));
}

/**
 * The latest revision's word count of each active contribution (kept on the contribution), as a
 * histogram. The index (callId, wordCount, state) hands the rows over in wordCount order: grouped
 * as they come, no sort.
 */
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
 * as a table of ranges. Each (day, topic) is one count over a range of the index (callId, topic,
 * createdAt, state): plain comparisons, no timezone conversion per row (PostgreSQL's AT TIME ZONE
 * per row measured three times slower), and no grouping (joining the ranges and grouping by day
 * and topic measured five times slower on SQLite: it sorted every row). `topics` are those the
 * grouped counts found.
 */
async function days(tx: Tx, provider: Provider, callId: string, timezone: string, topics: number[]): Promise<StatsAggregates['days']> {
  if (topics.length === 0) return [];
  // Two statements: SQLite reads MIN or MAX alone from the index's end, but not both at once.
  const [first] = await tx.$queryRaw<{ t: unknown }[]>`SELECT MIN("createdAt") AS "t" FROM "Contribution" WHERE "callId" = ${callId}`;
  const [last] = await tx.$queryRaw<{ t: unknown }[]>`SELECT MAX("createdAt") AS "t" FROM "Contribution" WHERE "callId" = ${callId}`;
  if (!first?.t || !last?.t) return [];
  const localRanges = localDays(timezone, toDate(first.t), toDate(last.t));
  const topicRows = Prisma.join(topics.map((t) => Prisma.sql`(CAST(${t} AS INTEGER))`));
  const rows: { day: string; topic: unknown; n: unknown }[] = [];
  // A few hundred days per statement keeps the parameters far under SQLite's limit.
  for (let i = 0; i < localRanges.length; i += 300) {
    const ranges = localRanges.slice(i, i + 300).map((d) => Prisma.sql`(${d.day}, ${timeParam(provider, d.start)}, ${timeParam(provider, d.end)})`);
    rows.push(...(await tx.$queryRaw<{ day: string; topic: unknown; n: unknown }[]>`
      WITH "d"("day", "lo", "hi") AS (VALUES ${Prisma.join(ranges)}), "t"("topic") AS (VALUES ${topicRows})
      SELECT "d"."day" AS "day", "t"."topic" AS "topic",
        (SELECT COUNT(*) FROM "Contribution" c
          WHERE c."callId" = ${callId} AND c."topic" = "t"."topic" AND c."createdAt" >= "d"."lo" AND c."createdAt" < "d"."hi"
            AND c."state" <> 'withdrawn') AS "n"
      FROM "d" CROSS JOIN "t"`));
  }
  return rows.map((r) => ({ day: r.day, topic: num(r.topic), count: num(r.n) })).filter((d) => d.count > 0);
}

/**
 * SQLite runs the statements one after the other (one connection, inside one transaction);
 * PostgreSQL runs them at once, each on a connection of the pool.
 */
function inTurn<T extends unknown[]>(provider: Provider, ...steps: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (provider === 'postgresql') return Promise.all(steps.map((s) => s())) as Promise<T>;
  return steps.reduce<Promise<unknown[]>>(async (done, step) => [...(await done), await step()], Promise.resolve([])) as Promise<T>;
}

export async function statsAggregates(tx: Tx, provider: Provider, callId: string, timezone: string): Promise<StatsAggregates> {
  const [g, w] = await inTurn<[StatsAggregates['groups'], StatsAggregates['words']]>(provider, () => groups(tx, provider, callId), () => words(tx, callId));
  const topics = [...new Set(g.filter((x) => x.state !== 'withdrawn').map((x) => x.topic))].sort((x, y) => x - y);
  return { groups: g, days: await days(tx, provider, callId, timezone, topics), words: w };
}

/**
 * The funnel, each count read from an index alone. `submitted` counts the people with a
 * contribution to the call, less the erased ones among them (few: found by their erasedAt).
 * Erased people count in `started` only (their conversation row is gone, so not even there).
 */
export async function funnelCounts(tx: Tx, provider: Provider, callId: string): Promise<FunnelCounts> {
  const [people, authors, erased, started] = await inTurn<[{ consented: unknown; drafted: unknown }[], { n: unknown }[], { n: unknown }[], number]>(
    provider,
    () => tx.$queryRaw`SELECT COUNT("consentAt") AS "consented", COUNT("draftedAt") AS "drafted" FROM "Participant" WHERE "erasedAt" IS NULL`,
    // SQLite counts DISTINCT in the index's order (measured twice as fast as a subquery);
    // PostgreSQL sorts for COUNT(DISTINCT) and groups the index's rows in a subquery (5 times faster).
    () =>
      provider === 'sqlite'
        ? tx.$queryRaw`SELECT COUNT(DISTINCT "participantId") AS "n" FROM "Contribution" WHERE "callId" = ${callId}`
        : tx.$queryRaw`SELECT COUNT(*) AS "n" FROM (SELECT "participantId" FROM "Contribution" WHERE "callId" = ${callId} GROUP BY "participantId") AS "a"`,
    // From the (few) erased people, each probing the (callId, participantId) index. A range, not
    // IS NOT NULL: SQLite's planner scans the whole table for IS NOT NULL (3 times slower).
    () => tx.$queryRaw`
      SELECT COUNT(*) AS "n" FROM "Participant" p
      WHERE p."erasedAt" >= ${timeParam(provider, new Date(0))}
        AND EXISTS (SELECT 1 FROM "Contribution" c WHERE c."participantId" = p."id" AND c."callId" = ${callId})`,
    () => tx.conversation.count(),
  );
  return {
    started,
    consented: num(people[0]?.consented),
    drafted: num(people[0]?.drafted),
    submitted: num(authors[0]?.n) - num(erased[0]?.n),
  };
}
