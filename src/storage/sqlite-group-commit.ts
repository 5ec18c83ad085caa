/**
 * Group commit on SQLite: the fast commits and outbox acknowledgements of many conversations,
 * written in ONE transaction of a few statements over a JSON list of rows (json_each), instead
 * of one transaction (and its statements through Prisma) per write. SQLite has one writer at a
 * time anyway; what this saves is the per-transaction and per-statement cost, which is most of
 * a warm message's storage time.
 *
 * Each write keeps its own guarantees and its own answer:
 *   - a step's conversation row is written only where its version, the person's data fingerprint
 *     (prisma-fast-path.ts) and "event not claimed yet" all still hold; the claim and the
 *     participant's lastInboundAt are written for exactly the rows that were (RETURNING tells
 *     which, inside the same transaction). The others answer 'duplicate' when their event is
 *     claimed, else 'conflict' — without undoing anyone else's write;
 *   - an acknowledgement is the outbox's compare-and-set on the version, per row.
 * A caller's promise settles when the transaction holding its write has committed, so "stored
 * before sent" and "acknowledged before handle() returns" hold as with one transaction each.
 * A group holds at most one write per conversation and per event; later ones wait for the next.
 */
import { Prisma } from '../../generated/prisma-sqlite/client.js';
import type { PendingReply, StepCommit } from '../core/ports.js';
import { TRANSACTION_OPTIONS, type Db, type Tx } from './prisma-client.js';
import { fingerprintOf } from './prisma-fast-path.js';
import { outboxColumns, toJson } from './rows.js';

export type StepResult = 'committed' | 'conflict' | 'duplicate';

interface StepWrite {
  kind: 'step';
  key: string;
  claim: string;
  row: Record<string, unknown>;
  done: (r: StepResult) => void;
  fail: (err: unknown) => void;
}

interface OutboxWrite {
  kind: 'outbox';
  key: string;
  row: Record<string, unknown>;
  done: (written: boolean) => void;
  fail: (err: unknown) => void;
}

type Write = StepWrite | OutboxWrite;

/** The most writes in one transaction: bounds its JSON parameter and the time it holds the lock. */
const MAX_GROUP = 256;
/** A date as the SQLite driver adapter stores it (ISO 8601 with an explicit offset). */
const sqliteDate = (d: Date | null) => (d === null ? null : d.toISOString().replace('Z', '+00:00'));

const col = (name: string) => Prisma.raw(`json_extract(value, '$.${name}')`);

/** The rows of a JSON list as a table `j` with the named columns. */
function rows(list: Record<string, unknown>[], names: string[]): Prisma.Sql {
  return Prisma.sql`(SELECT ${Prisma.join(names.map((n) => Prisma.sql`${col(n)} AS ${Prisma.raw(`"${n}"`)}`))} FROM json_each(${JSON.stringify(list)})) AS j`;
}

const STEP_COLUMNS = ['key', 'version', 'fp', 'state', 'pending', 'pendingRef', 'pendingDueAt', 'ep', 'eid', 'platform', 'userId', 'at'];
const OUTBOX_COLUMNS = ['key', 'version', 'pending', 'pendingDueAt', 'clearRef'];

export class SqliteGroupCommit {
  private queue: Write[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  /** A step without data effects (the fast commit), against the cached version and fingerprint. */
  step(c: StepCommit, expectedVersion: number, fingerprint: string): Promise<StepResult> {
    const { pending, pendingRef, pendingDueAt } = outboxColumns(c.pending, c.ref, c.dueAt === undefined ? c.receivedAt : c.dueAt);
    const row = {
      key: c.conversationKey,
      version: expectedVersion,
      fp: fingerprint,
      state: toJson(c.state),
      pending,
      pendingRef,
      pendingDueAt: sqliteDate(pendingDueAt),
      ep: c.event.platform,
      eid: c.event.id,
      platform: c.ref.platform,
      userId: c.ref.userId,
      at: sqliteDate(c.receivedAt),
    };
    return new Promise((done, fail) => this.add({ kind: 'step', key: c.conversationKey, claim: `${c.event.platform}\u0000${c.event.id}`, row, done, fail }));
  }

  /** The outbox's compare-and-set without dead letters (prisma-outbox.ts writeOutbox): true when written. */
  outbox(key: string, expectedVersion: number, next: { pending: PendingReply[]; dueAt: Date | null }): Promise<boolean> {
    const { pending, pendingDueAt } = outboxColumns(next.pending, null, next.dueAt);
    // The ref is kept as stored while replies wait (same conversation), forgotten when none do.
    const row = { key, version: expectedVersion, pending, pendingDueAt: sqliteDate(pendingDueAt), clearRef: next.pending.length === 0 ? 1 : 0 };
    return new Promise((done, fail) => this.add({ kind: 'outbox', key, row, done, fail }));
  }

  private add(w: Write): void {
    this.queue.push(w);
    // Writes queued in the same turn of the event loop, and all those queued while a group is
    // being written, go together.
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.take();
      try {
        const answers = await this.db.$transaction((tx) => this.write(tx, group), TRANSACTION_OPTIONS);
        group.forEach((w, i) => (w.kind === 'step' ? w.done(answers[i] as StepResult) : w.done(answers[i] as boolean)));
      } catch (err) {
        for (const w of group) w.fail(err);
      }
    }
    this.running = false;
  }

  /** The next group: queue order, one write per conversation and per event claim. */
  private take(): Write[] {
    const group: Write[] = [];
    const rest: Write[] = [];
    const keys = new Set<string>();
    const claims = new Set<string>();
    for (const w of this.queue) {
      if (group.length >= MAX_GROUP || keys.has(w.key) || (w.kind === 'step' && claims.has(w.claim))) {
        rest.push(w);
        continue;
      }
      keys.add(w.key);
      if (w.kind === 'step') claims.add(w.claim);
      group.push(w);
    }
    this.queue = rest;
    return group;
  }

  /** Writes a group; answers in the group's order. */
  private async write(tx: Tx, group: Write[]): Promise<(StepResult | boolean)[]> {
    const now = new Date();
    const steps = group.filter((w): w is StepWrite => w.kind === 'step');
    const acks = group.filter((w): w is OutboxWrite => w.kind === 'outbox');
    const won = new Set<string>();
    const duplicates = new Set<string>();
    if (steps.length > 0) {
      const list = steps.map((w) => w.row);
      const updated = await tx.$queryRaw<{ key: string }[]>`
        UPDATE "Conversation" AS c SET "state" = j."state", "pending" = j."pending", "pendingRef" = j."pendingRef", "pendingDueAt" = j."pendingDueAt",
          "version" = j."version" + 1, "updatedAt" = ${now}
        FROM ${rows(list, STEP_COLUMNS)}
        WHERE c."key" = j."key" AND c."version" = j."version" AND ${fingerprintOf(Prisma.sql`j."platform"`, Prisma.sql`j."userId"`)} = j."fp"
          AND NOT EXISTS (SELECT 1 FROM "ProcessedEvent" e WHERE e."platform" = j."ep" AND e."eventId" = j."eid")
        RETURNING "key"`;
      for (const r of updated) won.add(r.key);
      const winners = list.filter((r) => won.has(r.key as string));
      if (winners.length > 0) {
        await tx.$executeRaw`
          INSERT INTO "ProcessedEvent" ("platform", "eventId", "processedAt") SELECT j."ep", j."eid", ${now} FROM ${rows(winners, ['ep', 'eid'])}`;
        // The person wrote: they can be reached again (as in the single commit). The unary + keeps
        // the planner off the erasedAt index, which would scan every participant for each row.
        await tx.$executeRaw`
          UPDATE "Participant" AS p SET "lastInboundAt" = j."at", "unreachableAt" = NULL, "unreachableReason" = NULL
          FROM ${rows(winners, ['platform', 'userId', 'at'])}
          WHERE p."platform" = j."platform" AND p."platformUserId" = j."userId" AND +p."erasedAt" IS NULL`;
      }
      const losers = list.filter((r) => !won.has(r.key as string));
      if (losers.length > 0) {
        const claimed = await tx.$queryRaw<{ key: string }[]>`
          SELECT j."key" AS "key" FROM ${rows(losers, ['key', 'ep', 'eid'])}
          WHERE EXISTS (SELECT 1 FROM "ProcessedEvent" e WHERE e."platform" = j."ep" AND e."eventId" = j."eid")`;
        for (const r of claimed) duplicates.add(r.key);
      }
    }
    const acked = new Set<string>();
    if (acks.length > 0) {
      const updated = await tx.$queryRaw<{ key: string }[]>`
        UPDATE "Conversation" AS c SET "pending" = j."pending", "pendingDueAt" = j."pendingDueAt",
          "pendingRef" = CASE WHEN j."clearRef" = 1 THEN NULL ELSE c."pendingRef" END, "version" = j."version" + 1, "updatedAt" = ${now}
        FROM ${rows(acks.map((w) => w.row), OUTBOX_COLUMNS)}
        WHERE c."key" = j."key" AND c."version" = j."version"
        RETURNING "key"`;
      for (const r of updated) acked.add(r.key);
    }
    return group.map((w) => (w.kind === 'outbox' ? acked.has(w.key) : won.has(w.key) ? 'committed' : duplicates.has(w.key) ? 'duplicate' : 'conflict'));
  }
}
