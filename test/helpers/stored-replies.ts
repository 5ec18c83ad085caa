/**
 * What the database holds in the outbox per chat, read with a plain connection (no Prisma, no
 * app): what the crash tests and bench compare with what the platform received after a kill -9.
 */
import { connectRaw, type RawTarget } from '../../src/storage/raw-connection.js';
import { parsePending, parseRef } from '../../src/storage/rows.js';

export async function storedReplies(target: RawTarget): Promise<Map<string, string[]>> {
  const db = await connectRaw(target);
  try {
    const rows = await db.query<{ pending: string; pendingRef: string }>(`SELECT "pending", "pendingRef" FROM "Conversation" WHERE "pendingRef" IS NOT NULL`);
    return new Map(rows.map((r) => [parseRef(r.pendingRef).chatId, parsePending(r.pending).map((p) => p.text)]));
  } finally {
    await db.close();
  }
}
