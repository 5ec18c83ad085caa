/**
 * What every Prisma port module (prisma-store.ts lists them) shares: the client, how an operation
 * runs on it, and the performance machinery, fenced here so that no port reaches it another way:
 * the context cache (context-cache.ts), the fast path (prisma-fast-path.ts), SQLite's group
 * commits (sqlite-group-commit.ts), PostgreSQL's grouped acknowledgements (pg-outbox-group.ts) and
 * the reclaiming of erased bytes (prisma-erasure.ts). The statement cache is set on each SQLite
 * connection when the client is made (open-store.ts); the raw connection (raw-connection.ts) is
 * the migrations' and copies', not the store's.
 */
import type { CommitResult, DeadLetter, LoadedContext, PendingReply, StepCommit } from '../core/ports.js';
import type { ConversationRef } from '../core/types.js';
import { Reclaimer } from './prisma-erasure.js';
import { ContextCache, type CachedContext } from './context-cache.js';
import { fastCommit, isUniqueViolationRaw, loadContext } from './prisma-fast-path.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { PgOutboxGroup } from './pg-outbox-group.js';
import type { Provider } from './prisma-stats.js';
import { mapStorageError, TRANSACTION_OPTIONS, type Db, type Tx } from './prisma-client.js';
import { parsePending, toJson } from './rows.js';

export interface PrismaEngineOptions {
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

/** The next outbox of a conversation, as OutboxStore.writeOutbox is given it. */
export interface NextOutbox {
  pending: PendingReply[];
  dueAt: Date | null;
  deadLetters: DeadLetter[];
}

export class PrismaEngine {
  readonly reclaimer: Reclaimer;
  private readonly cache = new ContextCache(5_000);
  /** SQLite: warm steps and acknowledgements of many conversations share a transaction (sqlite-group-commit.ts). */
  private readonly group: SqliteGroupCommit | null;
  /** PostgreSQL: acknowledgements of many conversations in one statement (pg-outbox-group.ts). */
  private readonly pgAcks: PgOutboxGroup | null;

  constructor(
    readonly db: Db,
    readonly options: PrismaEngineOptions,
  ) {
    this.reclaimer = new Reclaimer(db, options.provider);
    this.group = options.provider === 'sqlite' ? new SqliteGroupCommit(db) : null;
    this.pgAcks = options.provider === 'postgresql' ? new PgOutboxGroup(db) : null;
  }

  /** One operation: in a transaction on SQLite (see serialiseAll), a plain query on PostgreSQL. */
  async run<T>(doing: string, fn: (tx: Tx) => Promise<T>, transactionOptions = TRANSACTION_OPTIONS): Promise<T> {
    try {
      return this.options.serialiseAll ? await this.db.$transaction(fn, transactionOptions) : await fn(this.db);
    } catch (err) {
      throw mapStorageError(err, doing);
    }
  }

  /** Always one transaction, whatever the provider: for work that must be atomic. */
  async transact<T>(doing: string, fn: (tx: Tx) => Promise<T>, transactionOptions = TRANSACTION_OPTIONS): Promise<T> {
    try {
      return await this.db.$transaction(fn, transactionOptions);
    } catch (err) {
      throw mapStorageError(err, doing);
    }
  }

  /**
   * Organisers' decisions, notices, unreachable marks and purges change what cached conversations
   * hold: this instance forgets them all (these are rare). Another process's changes are caught
   * by the fast commit's fingerprint check instead.
   */
  async forgettingCache<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } finally {
      this.cache.clear();
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

  /**
   * The fast commit when it applies, else null after forgetting the cached conversation (the
   * caller then commits in a transaction). It keeps the cached fingerprint afterwards, so it is
   * only for steps that leave the fingerprinted data as it was: no data effects, and no
   * unreachable mark to clear.
   */
  async commitFast(commit: StepCommit): Promise<CommitResult | null> {
    const cached = this.cache.get(commit.conversationKey);
    const conversation = cached?.loaded.conversation;
    if (cached && conversation && commit.expectedVersion === conversation.version && commit.effects.length === 0 && !cached.loaded.participant?.unreachableAt) {
      return this.writeFast(commit, cached, conversation.version);
    }
    // Data effects change what the cache holds: the next message reads afresh.
    this.cache.delete(commit.conversationKey);
    return null;
  }

  /** A step without data effects on a cached conversation: one non-interactive write (prisma-fast-path.ts). */
  private async writeFast(c: StepCommit, cached: CachedContext, expectedVersion: number): Promise<CommitResult> {
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

  /**
   * Writes an outbox: `inTransaction` when dead letters go with it; else the happy path (all
   * delivered, nothing dead) grouped with other conversations' (SQLite: one transaction;
   * PostgreSQL: one statement), or `plain`. The cache follows what was written.
   */
  async writeOutbox(
    conversationKey: string,
    expectedVersion: number,
    next: NextOutbox,
    write: { inTransaction(): Promise<number | null>; plain(): Promise<number | null> },
  ): Promise<number | null> {
    let version: number | null;
    try {
      if (next.deadLetters.length > 0) version = await write.inTransaction();
      else if (this.group) version = (await this.group.outbox(conversationKey, expectedVersion, next)) ? expectedVersion + 1 : null;
      else if (this.pgAcks) version = (await this.pgAcks.outbox(conversationKey, expectedVersion, next)) ? expectedVersion + 1 : null;
      else version = await write.plain();
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

  async close(): Promise<void> {
    this.cache.clear();
    await this.reclaimer.idle();
    await this.db.$disconnect();
  }
}
