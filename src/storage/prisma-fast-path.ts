/**
 * The message path's hot statements, for a conversation this instance has cached
 * (context-cache.ts): a load in one batch transaction, and a commit that needs no read first.
 *
 * The commit is non-interactive — the statements go to the database together — so nothing may
 * depend on a result read back in between. Each write is therefore guarded in SQL:
 *   - the conversation's compare-and-set names the version read AND the person's data
 *     fingerprint as cached (their participant row, their contributions, their notices waiting),
 *     so an organiser's decision, a form sent through another conversation, an unreachable mark
 *     set by another process or a second instance makes it match nothing: a conflict, and the
 *     dispatcher reads afresh;
 *   - the event is claimed only if that compare-and-set wrote, and a second claim of the same
 *     event fails on its primary key, which rolls the whole transaction back (a duplicate);
 *   - the participant's lastInboundAt (and the cleared unreachable mark) is written only if the
 *     claim was.
 * It stores exactly what PrismaConversations.commitIn (prisma-conversations.ts) stores for a step without data effects: the claim,
 * the state, the outbox columns (outboxColumns: pending with its reply ids and leases, the ref,
 * pendingDueAt), the new version, and on the participant lastInboundAt with unreachableAt and
 * unreachableReason cleared. Steps with data effects keep the interactive commit. On SQLite the
 * same checks and writes run for many conversations at once (sqlite-group-commit.ts).
 */
import { Prisma } from '../../generated/prisma-sqlite/client.js';
import type { LoadedContext, StepCommit } from '../core/ports.js';
import type { ConversationRef } from '../core/types.js';
import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';
import { isUniqueViolation, type Db } from './prisma-client.js';
import type { Provider } from './prisma-stats.js';
import { outboxColumns, toContributionRecord, toJson, toParticipantRecord, toStoredConversation } from './rows.js';

const text = (column: Prisma.Sql) => Prisma.sql`COALESCE(CAST(${column} AS TEXT), '-')`;

/**
 * One text that changes whenever the person's data that a step or the outbox reads changes,
 * computed by the database in the same expression at load and at commit (so its formats always
 * agree). lastInboundAt is left out: the commit itself writes it. A new Participant column that
 * the flow, the notifier or the outbox reads must be added here.
 */
export function fingerprintSql(ref: ConversationRef): Prisma.Sql {
  return fingerprintOf(Prisma.sql`${ref.platform}`, Prisma.sql`${ref.userId}`);
}

/**
 * The fingerprint of the person named by two SQL expressions: parameters (above), or the columns
 * of a group commit's rows (sqlite-group-commit.ts). Same expression, so the same text.
 */
export function fingerprintOf(platform: Prisma.Sql, userId: Prisma.Sql): Prisma.Sql {
  const person = Prisma.sql`p."id" || '|' || p."locale" || '|' || ${text(Prisma.sql`p."consentAt"`)} || '|' || ${text(Prisma.sql`p."unreachableAt"`)} || '|' ||
    ${text(Prisma.sql`p."unreachableReason"`)} || '|' || ${text(Prisma.sql`p."announcementsOffAt"`)}`;
  return Prisma.sql`(
    SELECT CAST(COUNT(c."id") AS TEXT) || '/' || ${text(Prisma.sql`SUM(c."revision")`)} || '/' || ${text(Prisma.sql`MAX(c."updatedAt")`)} || '/' ||
           COALESCE(MAX(${person}), '-')
    FROM "Participant" p LEFT JOIN "Contribution" c ON c."participantId" = p."id"
    WHERE p."platform" = ${platform} AND p."platformUserId" = ${userId} AND p."erasedAt" IS NULL
  ) || '/' || CAST(${waitingOf(platform, userId)} AS TEXT)`;
}

/**
 * How much waits to be sent when the person writes: their notices held or failed
 * (notifier.releaseHeld) and their announcement copies held by a platform window (Announcements
 * .releaseFor). Part of the fingerprint, so a cached "nothing waits" is never acted on once stale.
 */
function waitingSql(ref: ConversationRef): Prisma.Sql {
  return waitingOf(Prisma.sql`${ref.platform}`, Prisma.sql`${ref.userId}`);
}

function waitingOf(platform: Prisma.Sql, userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT COUNT(*) FROM "Notice" n JOIN "Participant" q ON q."id" = n."participantId"
    WHERE q."platform" = ${platform} AND q."platformUserId" = ${userId} AND q."erasedAt" IS NULL
      AND n."status" IN ('held', 'failed')
  ) + (
    SELECT COUNT(*) FROM "AnnouncementDelivery" d JOIN "Participant" q ON q."id" = d."participantId"
    WHERE q."platform" = ${platform} AND q."platformUserId" = ${userId} AND q."erasedAt" IS NULL
      AND d."status" = 'held'
  )`;
}

/**
 * Reads the conversation, the person and their contributions in one batch transaction. The
 * fingerprint is read first: if anything changes while the rest is read, the cached fingerprint
 * is the older one, and the next commit's check sends the dispatcher back to read again.
 */
export async function loadContext(db: Db, key: string, ref: ConversationRef): Promise<{ loaded: LoadedContext; fingerprint: string }> {
  const who = { platform: ref.platform, platformUserId: ref.userId, erasedAt: null };
  const [summary, conversation, participant, contributions] = await db.$transaction([
    db.$queryRaw<{ fp: string; waiting: unknown }[]>`SELECT ${fingerprintSql(ref)} AS "fp", ${waitingSql(ref)} AS "waiting"`,
    db.conversation.findUnique({ where: { key } }),
    db.participant.findFirst({ where: who }),
    db.contribution.findMany({
      where: { participant: who },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { revisions: { orderBy: { number: 'desc' }, take: 1 } },
    }),
  ]);
  return {
    fingerprint: summary[0]!.fp,
    loaded: {
      conversation: conversation ? toStoredConversation(conversation) : null,
      participant: participant ? toParticipantRecord(participant) : null,
      // Only the person's own contributions, as the interactive load read them.
      contributions: participant ? contributions.filter((c) => c.participantId === participant.id).map((c) => toContributionRecord(c, c.revisions[0])) : [],
      noticesWaiting: Number(summary[0]!.waiting) > 0,
    },
  };
}

/** True when committed; false when the version or the fingerprint moved on (nothing written). */
export async function fastCommit(db: Db, provider: Provider, c: StepCommit, expectedVersion: number, fingerprint: string, now: Date): Promise<boolean> {
  const state = toJson(c.state);
  // The same columns as commitIn: the ref is personal routing data, kept only while replies wait.
  const { pending, pendingRef, pendingDueAt } = outboxColumns(c.pending, c.ref, c.dueAt === undefined ? c.receivedAt : c.dueAt);
  const version = expectedVersion + 1;
  if (provider === 'postgresql') {
    // One statement: its parts share one snapshot, and the compare-and-set re-checks a row a
    // concurrent commit changed (READ COMMITTED), so two instances cannot both write.
    const rows = await db.$queryRaw<{ claimed: unknown }[]>`
      WITH "cas" AS (
        UPDATE "Conversation" SET "state" = ${state}, "pending" = ${pending}, "pendingRef" = ${pendingRef}, "pendingDueAt" = ${pendingDueAt},
          "version" = ${version}, "updatedAt" = ${now}
        WHERE "key" = ${c.conversationKey} AND "version" = ${expectedVersion} AND ${fingerprintSql(c.ref)} = ${fingerprint}
        RETURNING "key"
      ), "claim" AS (
        INSERT INTO "ProcessedEvent" ("platform", "eventId", "processedAt") SELECT ${c.event.platform}, ${c.event.id}, ${now} FROM "cas"
        RETURNING 1
      ), "touch" AS (
        UPDATE "Participant" SET "lastInboundAt" = ${c.receivedAt}, "unreachableAt" = NULL, "unreachableReason" = NULL
        WHERE "platform" = ${c.ref.platform} AND "platformUserId" = ${c.ref.userId} AND "erasedAt" IS NULL AND EXISTS (SELECT 1 FROM "claim")
        RETURNING 1
      )
      SELECT (SELECT COUNT(*) FROM "claim") AS "claimed", (SELECT COUNT(*) FROM "touch") AS "touched"`;
    return Number(rows[0]?.claimed) === 1;
  }
  // SQLite: one writer at a time and nothing runs between a transaction's statements, so each
  // statement can test the one before it with changes() (rows written by the last statement).
  const [claimed] = await db.$transaction([
    db.$executeRaw`
      INSERT INTO "ProcessedEvent" ("platform", "eventId", "processedAt")
      SELECT ${c.event.platform}, ${c.event.id}, ${now}
      WHERE EXISTS (SELECT 1 FROM "Conversation" WHERE "key" = ${c.conversationKey} AND "version" = ${expectedVersion})
        AND ${fingerprintSql(c.ref)} = ${fingerprint}`,
    db.$executeRaw`
      UPDATE "Conversation" SET "state" = ${state}, "pending" = ${pending}, "pendingRef" = ${pendingRef}, "pendingDueAt" = ${pendingDueAt},
        "version" = ${version}, "updatedAt" = ${now}
      WHERE "key" = ${c.conversationKey} AND "version" = ${expectedVersion} AND changes() = 1`,
    db.$executeRaw`
      UPDATE "Participant" SET "lastInboundAt" = ${c.receivedAt}, "unreachableAt" = NULL, "unreachableReason" = NULL
      WHERE "platform" = ${c.ref.platform} AND "platformUserId" = ${c.ref.userId} AND "erasedAt" IS NULL AND changes() = 1`,
  ]);
  return claimed === 1;
}

/**
 * A unique key violated, by an ORM query (P2002) or a raw statement: Prisma reports the latter as
 * P2010 carrying the driver adapter's error, whose kind names the violation on both providers.
 */
export function isUniqueViolationRaw(err: unknown): boolean {
  if (isUniqueViolation(err)) return true;
  if (!(err instanceof PrismaClientKnownRequestError) || err.code !== 'P2010') return false;
  const adapterError = (err.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError;
  return adapterError?.cause?.kind === 'UniqueConstraintViolation';
}
