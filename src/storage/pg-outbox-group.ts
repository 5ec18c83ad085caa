/**
 * PostgreSQL: the outbox acknowledgements (the compare-and-set after replies were sent, without
 * dead letters) of many conversations in ONE statement, instead of one statement and one commit
 * each. Every row keeps its own check: it is written only where the version is still the one the
 * acknowledgement was computed against, and RETURNING says which were; a conflict in one row
 * leaves the others written. The rows are locked in key order first, so two instances grouping
 * the same conversations cannot deadlock. A caller's promise settles once the statement has
 * committed: an acknowledgement is stored before handle() returns, as before.
 */
import type { PendingReply } from '../core/ports.js';
import type { Db } from './prisma-client.js';
import { outboxColumns } from './rows.js';

interface Ack {
  key: string;
  row: { key: string; version: number; pending: string; pendingDueAt: string | null; clearRef: number };
  done: (written: boolean) => void;
  fail: (err: unknown) => void;
}

/** The most acknowledgements in one statement. */
const MAX_GROUP = 256;

export class PgOutboxGroup {
  private queue: Ack[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  /** True when written (prisma-outbox.ts writeOutbox, without dead letters). */
  outbox(key: string, expectedVersion: number, next: { pending: PendingReply[]; dueAt: Date | null }): Promise<boolean> {
    const { pending, pendingDueAt } = outboxColumns(next.pending, null, next.dueAt);
    // TIMESTAMP(3) holds UTC without a zone, as Prisma writes it: the ISO text's zone is dropped by the cast.
    const row = { key, version: expectedVersion, pending, pendingDueAt: pendingDueAt?.toISOString() ?? null, clearRef: next.pending.length === 0 ? 1 : 0 };
    return new Promise((done, fail) => {
      this.queue.push({ key, row, done, fail });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group: Ack[] = [];
      const rest: Ack[] = [];
      const keys = new Set<string>();
      for (const a of this.queue) {
        if (group.length >= MAX_GROUP || keys.has(a.key)) rest.push(a);
        else {
          keys.add(a.key);
          group.push(a);
        }
      }
      this.queue = rest;
      try {
        const written = await this.write(group);
        for (const a of group) a.done(written.has(a.key));
      } catch (err) {
        for (const a of group) a.fail(err);
      }
    }
    this.running = false;
  }

  private async write(group: Ack[]): Promise<Set<string>> {
    const rows = await this.db.$queryRaw<{ key: string }[]>`
      WITH j AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(group.map((a) => a.row))}::jsonb)
          AS x("key" text, "version" integer, "pending" text, "pendingDueAt" timestamp(3), "clearRef" integer)
      ), locked AS (
        SELECT c."key" FROM "Conversation" c JOIN j ON c."key" = j."key" AND c."version" = j."version"
        ORDER BY c."key" FOR UPDATE OF c
      )
      UPDATE "Conversation" AS c SET "pending" = j."pending", "pendingDueAt" = j."pendingDueAt",
        "pendingRef" = CASE WHEN j."clearRef" = 1 THEN NULL ELSE c."pendingRef" END, "version" = j."version" + 1, "updatedAt" = ${new Date()}
      FROM j
      WHERE c."key" = j."key" AND c."version" = j."version" AND c."key" IN (SELECT "key" FROM locked)
      RETURNING c."key" AS "key"`;
    return new Set(rows.map((r) => r.key));
  }
}
