/**
 * BotStore over a generated Prisma client (SQLite or PostgreSQL; see prisma-client.ts).
 */
import type {
  BotStore,
  CommitResult,
  DeadLetter,
  Decision,
  DecisionResult,
  LoadedContext,
  NoticeStatus,
  OutboxRow,
  PendingReply,
  PlatformPost,
  PurgeCounts,
  StateChange,
  StepCommit,
  StoredNotice,
} from '../core/ports.js';
import type { ConversationRef } from '../core/types.js';
import type {
  ContributionFact,
  ContributionRecord,
  ExportRecord,
  FunnelCounts,
  ParticipantRecord,
} from '../domain/records.js';
import type { Platform } from '../core/types.js';
import { AppError } from '../core/errors.js';
import { applyEffect } from './prisma-effects.js';
import * as organiser from './prisma-organiser.js';
import * as reports from './prisma-reports.js';
import * as outbox from './prisma-outbox.js';
import * as erasure from './prisma-erasure.js';
import { ContextCache, type CachedContext } from './context-cache.js';
import { fastCommit, isUniqueViolationRaw, loadContext } from './prisma-fast-path.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { PgOutboxGroup } from './pg-outbox-group.js';
import { funnelCounts, statsAggregates, type Provider } from './prisma-stats.js';
import type { StatsAggregates } from '../domain/stats.js';
import { isUniqueViolation, mapStorageError, TRANSACTION_OPTIONS, type Db, type Tx } from './prisma-client.js';
import {
  outboxColumns,
  parsePending,
  parseRef,
  RollbackWith,
  toJson,
} from './rows.js';

export interface PrismaStoreOptions {
  /**
   * SQLite: the driver adapter holds ONE connection, and queries outside a transaction run on it
   * even while another request's interactive transaction is open, so they would read (and write
   * into) uncommitted work that may still roll back. So on SQLite every operation runs in a
   * transaction, which the adapter serialises. PostgreSQL gives each transaction its own pooled
   * connection, so plain queries are safe there.
   */
  serialiseAll: boolean;
  /** Which database: the SQL dialect of raw statements, and how erased bytes are reclaimed (prisma-erasure.ts). */
  provider: Provider;
}

export class PrismaStore implements BotStore {
  private readonly reclaimer: erasure.Reclaimer;
  private readonly cache = new ContextCache(5_000);
  /** SQLite: warm steps and acknowledgements of many conversations share a transaction (sqlite-group-commit.ts). */
  private readonly group: SqliteGroupCommit | null;
  /** PostgreSQL: acknowledgements of many conversations in one statement (pg-outbox-group.ts). */
  private readonly pgAcks: PgOutboxGroup | null;

  constructor(
    // Readable so that other stores over the same client (announcements) share its connection.
    readonly db: Db,
    readonly options: PrismaStoreOptions,
  ) {
    this.reclaimer = new erasure.Reclaimer(db, options.provider);
    this.group = options.provider === 'sqlite' ? new SqliteGroupCommit(db) : null;
    this.pgAcks = options.provider === 'postgresql' ? new PgOutboxGroup(db) : null;
  }

  private async run<T>(doing: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return this.options.serialiseAll ? await this.db.$transaction(fn, TRANSACTION_OPTIONS) : await fn(this.db);
    } catch (err) {
      throw mapStorageError(err, doing);
    }
  }

  /**
   * A conversation this instance served lately costs no read (context-cache.ts); its commit
   * checks that nothing changed meanwhile. Otherwise one batch transaction reads it.
   */
  async load(conversationKey: string, ref: ConversationRef): Promise<LoadedContext> {
    const cached = this.cache.get(conversationKey);
    if (cached) return cached.loaded;
    try {
      const fresh = await loadContext(this.db, conversationKey, ref);
      this.cache.set(conversationKey, fresh);
      return fresh.loaded;
    } catch (err) {
      throw mapStorageError(err, 'load');
    }
  }

  /** Always one transaction, whatever the provider: for work that must be atomic. */
  private async transact<T>(doing: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.$transaction(fn, TRANSACTION_OPTIONS);
    } catch (err) {
      throw mapStorageError(err, doing);
    }
  }

  async eventProcessed(event: { platform: Platform; id: string }): Promise<boolean> {
    const row = await this.run('eventProcessed', (tx) => tx.processedEvent.findUnique({ where: { platform_eventId: { platform: event.platform, eventId: event.id } }, select: { platform: true } }));
    return row !== null;
  }

  async commit(commit: StepCommit): Promise<CommitResult> {
    const cached = this.cache.get(commit.conversationKey);
    const conversation = cached?.loaded.conversation;
    // The fast commit keeps the cached fingerprint afterwards, so it is only for steps that leave
    // the fingerprinted data as it was: no data effects, and no unreachable mark to clear.
    if (cached && conversation && commit.expectedVersion === conversation.version && commit.effects.length === 0 && !cached.loaded.participant?.unreachableAt) {
      return this.commitFast(commit, cached, conversation.version);
    }
    // Data effects change what the cache holds: the next message reads afresh.
    this.cache.delete(commit.conversationKey);
    try {
      const version = await this.db.$transaction((tx) => this.commitIn(tx, commit), TRANSACTION_OPTIONS);
      // Erased means erased in the files too, not only in the rows (prisma-erasure.ts).
      if (commit.effects.some((e) => e.type === 'participant.erase')) await this.reclaimer.afterErasure().catch(() => undefined);
      return { status: 'committed', version };
    } catch (err) {
      // Thrown inside the transaction so that Prisma rolls everything back, the claim included.
      if (err instanceof RollbackWith) return { status: err.status };
      throw mapStorageError(err, 'commit');
    }
  }

  /** A step without data effects on a cached conversation: one non-interactive write (prisma-fast-path.ts). */
  private async commitFast(c: StepCommit, cached: CachedContext, expectedVersion: number): Promise<CommitResult> {
    let written: boolean;
    try {
      if (this.group) {
        const result = await this.group.step(c, expectedVersion, cached.fingerprint);
        if (result === 'duplicate') {
          this.cache.delete(c.conversationKey);
          return { status: 'duplicate' };
        }
        written = result === 'committed';
      } else {
        written = await fastCommit(this.db, this.options.provider, c, expectedVersion, cached.fingerprint, new Date());
      }
    } catch (err) {
      this.cache.delete(c.conversationKey);
      // The only unique key written is the event's claim: it was processed before.
      if (isUniqueViolationRaw(err)) return { status: 'duplicate' };
      throw mapStorageError(err, 'commit');
    }
    if (!written) {
      this.cache.delete(c.conversationKey);
      return { status: 'conflict' };
    }
    const { loaded } = cached;
    this.cache.set(c.conversationKey, {
      fingerprint: cached.fingerprint,
      loaded: {
        ...loaded,
        // Copies through JSON, as a read from the database would give: the caller keeps its own.
        conversation: { state: JSON.parse(toJson(c.state)) as unknown, version: expectedVersion + 1, pending: parsePending(toJson(c.pending)) },
        participant: loaded.participant && { ...loaded.participant, lastInboundAt: c.receivedAt },
      },
    });
    return { status: 'committed', version: expectedVersion + 1 };
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
    return this.run('listPending', async (tx) => {
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

  // ---- The outbox (prisma-outbox.ts) -----------------------------------------------------------

  listDue(now: Date, limit: number): Promise<string[]> {
    return this.run('listDue', (tx) => outbox.listDue(tx, now, limit));
  }

  beatHolder(id: string, at: Date): Promise<void> {
    return this.run('beatHolder', (tx) => outbox.beatHolder(tx, id, at));
  }

  listHolders(): Promise<{ id: string; beatAt: Date }[]> {
    return this.run('listHolders', (tx) => outbox.listHolders(tx));
  }

  listHeldBy(holder: string, limit: number): Promise<string[]> {
    return this.run('listHeldBy', (tx) => outbox.listHeldBy(tx, holder, limit));
  }

  forgetHolder(id: string, beatAt: Date): Promise<void> {
    return this.run('forgetHolder', (tx) => outbox.forgetHolder(tx, id, beatAt));
  }

  /** Always from the database, never the cache: the flush must see what other instances wrote. */
  readOutbox(conversationKey: string): Promise<OutboxRow | null> {
    return this.run('readOutbox', (tx) => outbox.readOutbox(tx, conversationKey));
  }

  async writeOutbox(conversationKey: string, expectedVersion: number, next: { pending: PendingReply[]; dueAt: Date | null; deadLetters: DeadLetter[] }): Promise<number | null> {
    // The happy path (all delivered, nothing dead) is one statement; on PostgreSQL it needs no
    // transaction. Dead letters must be stored with the outbox change, so then it is one.
    let version: number | null;
    try {
      if (next.deadLetters.length > 0) version = await this.transact('writeOutbox', (tx) => outbox.writeOutbox(tx, conversationKey, expectedVersion, next));
      else if (this.group) version = (await this.group.outbox(conversationKey, expectedVersion, next)) ? expectedVersion + 1 : null;
      else if (this.pgAcks) version = (await this.pgAcks.outbox(conversationKey, expectedVersion, next)) ? expectedVersion + 1 : null;
      else version = await this.run('writeOutbox', (tx) => outbox.writeOutbox(tx, conversationKey, expectedVersion, next));
    } catch (err) {
      this.cache.delete(conversationKey);
      throw mapStorageError(err, 'writeOutbox');
    }
    this.followOutbox(conversationKey, expectedVersion, version, next.pending);
    return version;
  }

  /**
   * A written outbox bumps the conversation's version: a cached entry at the version written
   * follows it (same state, the new outbox), so the next message still costs no read. Anything
   * else (the write lost, or the cache held another version) evicts the entry.
   */
  private followOutbox(key: string, expectedVersion: number, version: number | null, pending: PendingReply[]): void {
    const cached = this.cache.get(key);
    const conversation = cached?.loaded.conversation;
    if (!cached || !conversation) return;
    if (version === null || conversation.version !== expectedVersion) {
      this.cache.delete(key);
      return;
    }
    this.cache.set(key, { ...cached, loaded: { ...cached.loaded, conversation: { ...conversation, version, pending: parsePending(toJson(pending)) } } });
  }

  deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.run('deadLetters', (tx) => outbox.deadLetters(tx, limit));
  }

  setUnreachable(input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean> {
    return this.forgettingCache(this.run('setUnreachable', (tx) => outbox.setUnreachable(tx, input)));
  }

  async ping(): Promise<void> {
    try {
      await this.db.$queryRawUnsafe('SELECT 1');
    } catch (err) {
      throw new AppError('STORAGE_UNAVAILABLE', 'The database does not answer', { cause: err });
    }
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.reclaimer.idle();
    await this.db.$disconnect();
  }

  /**
   * Organisers' decisions, notices, unreachable marks and purges change what cached conversations
   * hold: this instance forgets them all (these are rare). Another process's changes are caught
   * by the fast commit's fingerprint check instead.
   */
  private async forgettingCache<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } finally {
      this.cache.clear();
    }
  }

  // ---- Organisers ----------------------------------------------------------------------------

  contributionFacts(callId: string): Promise<ContributionFact[]> {
    return this.run('contributionFacts', (tx) => reports.contributionFacts(tx, callId));
  }

  statsAggregates(callId: string, timezone: string): Promise<StatsAggregates> {
    return this.run('statsAggregates', (tx) => statsAggregates(tx, this.options.provider, callId, timezone));
  }

  funnel(callId: string): Promise<FunnelCounts> {
    return this.run('funnel', (tx) => funnelCounts(tx, this.options.provider, callId));
  }

  /** Page by page (prisma-reports.ts): memory stays at one page whatever the total. */
  async *exportRecords(callId: string, pageSize = 500): AsyncIterable<ExportRecord> {
    let after: reports.ExportCursor | null = null;
    do {
      const page: { records: ExportRecord[]; next: reports.ExportCursor | null } = await this.run('exportRecords', (tx) => reports.exportPage(tx, callId, after, pageSize));
      yield* page.records;
      after = page.next;
    } while (after);
  }

  history(code: string): Promise<StateChange[]> {
    return this.run('history', (tx) => reports.history(tx, code));
  }

  getContribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null> {
    return this.run('getContribution', (tx) => organiser.getContribution(tx, code));
  }

  recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult> {
    return this.forgettingCache(this.transact('recordDecision', (tx) => organiser.recordDecision(tx, input)));
  }

  // ---- Messages the bot starts ---------------------------------------------------------------

  participantById(id: string): Promise<ParticipantRecord | null> {
    return this.run('participantById', (tx) => organiser.participantById(tx, id));
  }

  enqueueNotice(input: { participantId: string; notice: unknown; status: 'pending' | 'held'; reason?: string | null; at: Date }): Promise<string> {
    return this.forgettingCache(this.transact('enqueueNotice', (tx) => organiser.enqueueNotice(tx, input)));
  }

  noticesFor(participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]> {
    return this.run('noticesFor', (tx) => organiser.noticesFor(tx, participantId, statuses));
  }

  markNotice(id: string, status: NoticeStatus, at: Date, reason: string | null = null): Promise<void> {
    return this.forgettingCache(this.run('markNotice', (tx) => organiser.markNotice(tx, id, status, at, reason)));
  }

  heldCounts(): Promise<Partial<Record<Platform, number>>> {
    return this.run('heldCounts', (tx) => organiser.heldCounts(tx));
  }

  // ---- Erasure and retention -----------------------------------------------------------------

  pruneProcessedEvents(before: Date): Promise<number> {
    return this.run('pruneProcessedEvents', (tx) => erasure.pruneProcessedEvents(tx, before));
  }

  async recordPost(input: { platform: Platform; code: string; channel: string; ts: string; at: Date }): Promise<void> {
    // One transaction: the author's erasure either came before (the post is marked now) or after.
    await this.transact('recordPost', (tx) => erasure.recordPost(tx, input));
  }

  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]> {
    return this.run('postsToRedact', (tx) => erasure.postsToRedact(tx, platform, limit));
  }

  forgetPost(id: string): Promise<void> {
    return this.run('forgetPost', (tx) => erasure.forgetPost(tx, id));
  }

  purgeCounts(callId: string): Promise<PurgeCounts> {
    return this.run('purgeCounts', (tx) => erasure.purgeCounts(tx, callId));
  }

  async reclaimErased(): Promise<boolean> {
    try {
      return await this.reclaimer.retry();
    } catch (err) {
      throw mapStorageError(err, 'reclaimErased');
    }
  }

  /** One short transaction per person (a long one would hold SQLite's write lock for minutes). */
  async purge(callId: string, at: Date, onProgress?: (n: number) => void): Promise<PurgeCounts> {
    return this.forgettingCache(this.purgeAll(callId, at, onProgress));
  }

  private async purgeAll(callId: string, at: Date, onProgress?: (n: number) => void): Promise<PurgeCounts> {
    const counts = await this.purgeCounts(callId);
    let participants = 0;
    for (const id of await this.run('purge', (tx) => erasure.purgeIds(tx, callId))) {
      if (await this.transact('purge', (tx) => erasure.purgeOne(tx, id, at))) participants++;
      onProgress?.(1);
    }
    const conversations = await this.run('purge', (tx) => erasure.deleteConversations(tx));
    await this.reclaimer.reclaimNow();
    return { participants, contributions: counts.contributions, conversations };
  }

  outboxDepth(): Promise<number> {
    return this.run('outboxDepth', (tx) => tx.conversation.count({ where: { pendingRef: { not: null } } }));
  }
}
