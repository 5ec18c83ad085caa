/**
 * Erasure and retention on the Prisma store: pruning event claims and send receipts, the posts that erasure
 * rewrites on a platform, `purge`, and making sure erased bytes leave the database files.
 */
import type { PlatformPost, PurgeCounts } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import { SQLITE_BUSY_TIMEOUT_MS, TRANSACTION_OPTIONS, type Db, type Tx } from './prisma-client.js';
import { eraseParticipantRow } from './prisma-effects.js';

export async function pruneProcessedEvents(tx: Tx, before: Date): Promise<number> {
  const { count } = await tx.processedEvent.deleteMany({ where: { processedAt: { lt: before } } });
  return count;
}

/** Send receipts older than `before`: a platform reports a failed delivery within days. */
export async function pruneReceipts(tx: Tx, before: Date): Promise<number> {
  const { count } = await tx.sendReceipt.deleteMany({ where: { at: { lt: before } } });
  return count;
}

export async function recordPost(tx: Tx, input: { platform: Platform; code: string; channel: string; ts: string; at: Date }): Promise<void> {
  const contribution = await tx.contribution.findUnique({ where: { code: input.code }, select: { id: true, participant: { select: { erasedAt: true } } } });
  if (!contribution) return;
  await tx.platformPost.create({
    data: {
      platform: input.platform,
      contributionId: contribution.id,
      channel: input.channel,
      ts: input.ts,
      createdAt: input.at,
      // The author was erased while the post was being made: rewrite it at once.
      redactFrom: contribution.participant.erasedAt ? input.at : null,
    },
  });
}

export async function postsToRedact(tx: Tx, platform: Platform, limit: number): Promise<PlatformPost[]> {
  const rows = await tx.platformPost.findMany({
    where: { platform, redactFrom: { not: null } },
    orderBy: [{ redactFrom: 'asc' }, { id: 'asc' }],
    take: limit,
  });
  const codes = new Map(
    (await tx.contribution.findMany({ where: { id: { in: rows.map((r) => r.contributionId) } }, select: { id: true, code: true } })).map((c) => [c.id, c.code]),
  );
  return rows.map((r) => ({ id: r.id, platform, code: codes.get(r.contributionId) ?? '', channel: r.channel, ts: r.ts }));
}

export async function forgetPost(tx: Tx, id: string): Promise<void> {
  await tx.platformPost.deleteMany({ where: { id } });
}

/** Participants not erased who have a contribution to the call or none at all. */
function purgeable(callId: string) {
  return { erasedAt: null, OR: [{ contributions: { some: { callId } } }, { contributions: { none: {} } }] };
}

export async function purgeCounts(tx: Tx, callId: string): Promise<PurgeCounts> {
  return {
    participants: await tx.participant.count({ where: purgeable(callId) }),
    contributions: await tx.contribution.count({ where: { callId, participant: { erasedAt: null } } }),
    conversations: await tx.conversation.count(),
  };
}

/** The ids to purge, read in one go (ids only: a few bytes per person). */
export async function purgeIds(tx: Tx, callId: string): Promise<string[]> {
  const rows = await tx.participant.findMany({ where: purgeable(callId), select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

/** Erases one participant if still not erased (purge runs one short transaction per person). */
export async function purgeOne(tx: Tx, participantId: string, at: Date): Promise<boolean> {
  const row = await tx.participant.findFirst({ where: { id: participantId, erasedAt: null }, select: { id: true } });
  if (!row) return false;
  await eraseParticipantRow(tx, participantId, at);
  return true;
}

export async function deleteConversations(tx: Tx): Promise<number> {
  // Dead letters are keyed by conversation: they go with the conversations.
  await tx.deadLetter.deleteMany({});
  return (await tx.conversation.deleteMany({})).count;
}

// How long a checkpoint after an erasure waits for another process's readers.
const CHECKPOINT_WAIT_MS = 200;

// Tables whose rows erasure empties or deletes.
const ERASED_TABLES = ['Participant', 'ContributionRevision', 'ContributionStateChange', 'Conversation', 'Notice', 'ProcessedEvent', 'PlatformPost', 'ParticipantAlias'];

/**
 * After an erasure commits, the old bytes must leave the database files.
 *
 * SQLite: every connection runs with `secure_delete = ON` (open-store.ts), so freed cells and
 * pages are overwritten with zeros; but in WAL mode the earlier page images stay in the -wal file
 * until a checkpoint. `wal_checkpoint(TRUNCATE)` copies the current pages into the database file
 * and empties the -wal file. It fails with "table is locked" inside a transaction that has read,
 * so it runs as the first statement of its own transaction (which also takes the adapter's lock,
 * so no other request's transaction is open on the one connection). A reader in another process
 * (the CLI) can make it partial (`busy`): the maintenance job (hourly) or the next erasure
 * checkpoints again.
 *
 * PostgreSQL: an UPDATE or DELETE leaves the old row version (a dead tuple) in the table's pages
 * until VACUUM removes it and its index entries and marks the space reusable; autovacuum does
 * that eventually, this does it now. VACUUM cannot run inside a transaction block, so it runs on
 * its own pooled connection. It does not overwrite the freed bytes at once (new rows do), and
 * PostgreSQL's write-ahead log and any backup keep copies until they are recycled (README).
 */
export class Reclaimer {
  private running: Promise<void> | null = null;
  private again = false;
  /** SQLite: the last checkpoint after an erasure was partial or failed; retry() finishes it. */
  private unfinished = false;

  constructor(
    private readonly db: Db,
    private readonly provider: 'sqlite' | 'postgresql',
  ) {}

  /** SQLite: checkpoints now and resolves after. PostgreSQL: starts a VACUUM (coalesced) and resolves at once. */
  async afterErasure(): Promise<{ busy: boolean } | undefined> {
    if (this.provider === 'sqlite') return this.checkpoint();
    this.vacuumSoon();
    return undefined;
  }

  /** Finishes a checkpoint left partial by a reader in another process (the maintenance job). */
  async retry(): Promise<boolean> {
    if (!this.unfinished) return false;
    await this.checkpoint();
    return true;
  }

  /** Both providers: waits until the files are reclaimed (purge, shutdown). */
  async reclaimNow(): Promise<void> {
    if (this.provider === 'sqlite') {
      await this.checkpoint();
      return;
    }
    this.vacuumSoon();
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async checkpoint(): Promise<{ busy: boolean }> {
    this.unfinished = true;
    // TRUNCATE waits for other processes' readers through the busy handler: with the usual 10 s
    // every request of this process (one connection) would wait too. A reader makes it partial
    // after a short wait instead, and retry() finishes it later.
    const rows = await this.db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`PRAGMA busy_timeout = ${CHECKPOINT_WAIT_MS}`);
      try {
        return await tx.$queryRawUnsafe<{ busy: number | bigint }[]>('PRAGMA wal_checkpoint(TRUNCATE)');
      } finally {
        await tx.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      }
      // Queued behind the other requests' transactions like them.
    }, TRANSACTION_OPTIONS);
    const busy = Number(rows[0]?.busy ?? 0) !== 0;
    this.unfinished = busy;
    return { busy };
  }

  private vacuumSoon(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.db.$executeRawUnsafe(`VACUUM ${ERASED_TABLES.map((t) => `"${t}"`).join(', ')}`).catch(() => undefined);
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
  }
}
