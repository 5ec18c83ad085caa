/**
 * The conversation and its outbox (ConversationStore, OutboxStore, OutboxInspection), per event
 * and per delivery. Warm conversations take the engine's fast path (prisma-engine.ts); the rest
 * commit in one transaction here. The queries are in prisma-outbox.ts and prisma-effects.ts.
 */
import type {
  CommitResult,
  ConversationStore,
  DeadLetter,
  LoadedContext,
  OutboxInspection,
  OutboxRow,
  OutboxStore,
  StepCommit,
} from '../core/ports.js';
import type { ConversationRef, Platform } from '../core/types.js';
import { applyEffect } from './prisma-effects.js';
import * as outbox from './prisma-outbox.js';
import { isUniqueViolation, mapStorageError, TRANSACTION_OPTIONS, type Tx } from './prisma-client.js';
import type { NextOutbox, PrismaEngine } from './prisma-engine.js';
import { outboxColumns, parsePending, parseRef, RollbackWith, toJson } from './rows.js';

export class PrismaConversations implements ConversationStore, OutboxStore, OutboxInspection {
  constructor(private readonly engine: PrismaEngine) {}

  load(conversationKey: string, ref: ConversationRef): Promise<LoadedContext> {
    return this.engine.load(conversationKey, ref);
  }

  async eventProcessed(event: { platform: Platform; id: string }): Promise<boolean> {
    const row = await this.engine.run('eventProcessed', (tx) => tx.processedEvent.findUnique({ where: { platform_eventId: { platform: event.platform, eventId: event.id } }, select: { platform: true } }));
    return row !== null;
  }

  async claimEvent(event: { platform: Platform; id: string }): Promise<boolean> {
    try {
      await this.engine.run('claimEvent', (tx) => tx.processedEvent.create({ data: { platform: event.platform, eventId: event.id } }));
      return true;
    } catch (err) {
      if (isUniqueViolation(err) || isUniqueViolation((err as { cause?: unknown }).cause)) return false;
      throw err;
    }
  }

  async commit(commit: StepCommit): Promise<CommitResult> {
    const fast = await this.engine.commitFast(commit);
    if (fast) return fast;
    try {
      const version = await this.engine.db.$transaction((tx) => this.commitIn(tx, commit), TRANSACTION_OPTIONS);
      // Erased means erased in the files too, not only in the rows (prisma-erasure.ts).
      if (commit.effects.some((e) => e.type === 'participant.erase')) await this.engine.reclaimer.afterErasure().catch(() => undefined);
      return { status: 'committed', version };
    } catch (err) {
      // Thrown inside the transaction so that Prisma rolls everything back, the claim included.
      if (err instanceof RollbackWith) return { status: err.status };
      throw mapStorageError(err, 'commit');
    }
  }

  private async commitIn(tx: Tx, c: StepCommit): Promise<number> {
    try {
      await tx.processedEvent.create({ data: { platform: c.event.platform, eventId: c.event.id } });
    } catch (err) {
      if (isUniqueViolation(err)) throw new RollbackWith('duplicate');
      throw err;
    }
    const data = {
      state: toJson(c.state),
      // The ref is personal routing data: kept only while replies wait for delivery.
      ...outboxColumns(c.pending, c.ref, c.dueAt === undefined ? c.receivedAt : c.dueAt),
    };
    let version: number;
    if (c.expectedVersion === null) {
      // Two first steps at once: the second insert hits the primary key and is a conflict
      // (PostgreSQL makes it wait for the first transaction, then fail).
      try {
        await tx.conversation.create({ data: { key: c.conversationKey, version: 1, ...data } });
      } catch (err) {
        if (isUniqueViolation(err)) throw new RollbackWith('conflict');
        throw err;
      }
      version = 1;
    } else {
      // Compare-and-set in one statement: under PostgreSQL's READ COMMITTED a concurrent update
      // makes this one wait, then re-check the version and match nothing.
      version = c.expectedVersion + 1;
      const { count } = await tx.conversation.updateMany({
        where: { key: c.conversationKey, version: c.expectedVersion },
        data: { ...data, version },
      });
      if (count === 0) throw new RollbackWith('conflict');
    }
    for (const effect of c.effects) await applyEffect(tx, c.ref, c.conversationKey, effect);
    await tx.participant.updateMany({
      where: { platform: c.ref.platform, platformUserId: c.ref.userId, erasedAt: null },
      // The person wrote: they can be reached again (a Telegram block lifted, a window reopened).
      // Part of the step's one statement on the participant, so it costs nothing more.
      data: { lastInboundAt: c.receivedAt, unreachableAt: null, unreachableReason: null },
    });
    return version;
  }

  listPending(limit: number) {
    return this.engine.run('listPending', async (tx) => {
      const rows = await tx.conversation.findMany({
        where: { pendingRef: { not: null } },
        orderBy: [{ updatedAt: 'asc' }, { key: 'asc' }],
        take: limit,
        select: { key: true, version: true, pending: true, pendingRef: true },
      });
      return rows.map((row) => ({
        conversationKey: row.key,
        ref: parseRef(row.pendingRef ?? 'null'),
        version: row.version,
        pending: parsePending(row.pending),
      }));
    });
  }

  listDue(now: Date, limit: number): Promise<string[]> {
    return this.engine.run('listDue', (tx) => outbox.listDue(tx, now, limit));
  }

  /** Always from the database, never the cache: the flush must see what other instances wrote. */
  readOutbox(conversationKey: string): Promise<OutboxRow | null> {
    return this.engine.run('readOutbox', (tx) => outbox.readOutbox(tx, conversationKey));
  }

  /**
   * The happy path (all delivered, nothing dead) is one statement; on PostgreSQL it needs no
   * transaction. Dead letters must be stored with the outbox change, so then it is one.
   */
  writeOutbox(conversationKey: string, expectedVersion: number, next: NextOutbox): Promise<number | null> {
    const write = (tx: Tx) => outbox.writeOutbox(tx, conversationKey, expectedVersion, next);
    return this.engine.writeOutbox(conversationKey, expectedVersion, next, {
      inTransaction: () => this.engine.transact('writeOutbox', write),
      plain: () => this.engine.run('writeOutbox', write),
    });
  }

  deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.engine.run('deadLetters', (tx) => outbox.deadLetters(tx, limit));
  }

  setUnreachable(input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean> {
    return this.engine.forgettingCache(this.engine.run('setUnreachable', (tx) => outbox.setUnreachable(tx, input)));
  }
}
