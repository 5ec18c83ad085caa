/**
 * Fills a database with many participants, conversations and contributions, fast (plain driver,
 * multi-row inserts), for the regression tests and benches that need a large call. The data is
 * varied and deterministic: topics, languages, platforms, states, second revisions, erased people,
 * and creation times over two months that cross a change of summer time in Europe.
 */
import { randomUUID } from 'node:crypto';
import type { RawConnection, RawTarget } from '../../src/storage/raw-connection.js';
import { seeded } from './prng.js';

export interface SeedOptions {
  callId: string;
  participants: number;
  contributions: number;
  /** Prefix of the seeded platform user ids (so that seeded people never meet live ones). */
  userPrefix?: string;
  seed?: number;
}

const PLATFORMS = ['telegram', 'messenger', 'slack', 'console'];
const LANGUAGES = ['ar', 'ar', 'ckb', 'en'];
const STATES = ['submitted', 'submitted', 'submitted', 'accepted', 'declined', 'revision_requested', 'withdrawn'];
const START = Date.parse('2026-09-20T00:00:00Z');
const SPAN_MS = 60 * 24 * 3600_000;

async function insert(raw: RawConnection, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const batch = Math.max(1, Math.floor(6000 / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    let n = 0;
    const values = chunk.map((r) => `(${r.map(() => `$${++n}`).join(', ')})`).join(', ');
    await raw.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`, chunk.flat());
  }
}

/** Seeds through `raw` (opened on `target`; tables migrated). Returns how many rows of each kind. */
export async function seedCall(raw: RawConnection, target: RawTarget['provider'], o: SeedOptions): Promise<{ participants: number; contributions: number }> {
  const rnd = seeded(o.seed ?? 12);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // SQLite holds DateTime as ISO 8601 text with "+00:00" (the Prisma adapter's format).
  const time = (ms: number): unknown => (target === 'sqlite' ? new Date(ms).toISOString().replace('Z', '+00:00') : new Date(ms));
  const prefix = o.userPrefix ?? 'seed';
  const people: { id: string; platform: string; erased: boolean }[] = [];
  const participantRows: unknown[][] = [];
  const conversationRows: unknown[][] = [];
  for (let i = 0; i < o.participants; i++) {
    const id = randomUUID();
    const platform = pick(PLATFORMS);
    const erased = rnd() < 0.02;
    const at = START + Math.floor(rnd() * SPAN_MS);
    people.push({ id, platform, erased });
    participantRows.push([
      id, platform, erased ? `erased:${id}` : `${prefix}-${i}`, pick(LANGUAGES), time(at), rnd() < 0.8 ? time(at + 60_000) : null,
      time(at + 120_000), erased ? time(at + 3600_000) : null, erased ? null : `Person ${i}`, time(at),
    ]);
    if (!erased) conversationRows.push([`${prefix}-conv-${i}`, '{"v":1,"step":"menu"}', 3, '[]', null, time(at), time(at + 120_000)]);
  }
  const contributionRows: unknown[][] = [];
  const revisionRows: unknown[][] = [];
  for (let i = 0; i < o.contributions && people.length > 0; i++) {
    const person = people[i % people.length]!;
    const id = randomUUID();
    const at = START + Math.floor(rnd() * SPAN_MS);
    const revisions = rnd() < 0.1 ? 2 : 1;
    const state = person.erased ? 'withdrawn' : pick(STATES);
    const counts = Array.from({ length: revisions }, () => 150 + Math.floor(rnd() * 201));
    contributionRows.push([id, `${prefix.toUpperCase()}-${i.toString(36).toUpperCase()}`, o.callId, person.id, 1 + Math.floor(rnd() * 3), state, pick(LANGUAGES), person.platform, revisions, counts.at(-1), time(at), time(at)]);
    counts.forEach((words, r) => {
      revisionRows.push([id, r + 1, person.erased ? '' : `Seeded text ${i}.${r + 1}`, words, person.erased ? null : `Person ${i}`, time(at + r + 1)]);
    });
  }
  if (target === 'sqlite') await raw.exec('BEGIN');
  await insert(raw, 'Participant', ['id', 'platform', 'platformUserId', 'locale', 'consentAt', 'draftedAt', 'lastInboundAt', 'erasedAt', 'name', 'createdAt'], participantRows);
  await insert(raw, 'Conversation', ['key', 'state', 'version', 'pending', 'pendingRef', 'createdAt', 'updatedAt'], conversationRows);
  await insert(raw, 'Contribution', ['id', 'code', 'callId', 'participantId', 'topic', 'state', 'language', 'platform', 'revision', 'wordCount', 'createdAt', 'updatedAt'], contributionRows);
  await insert(raw, 'ContributionRevision', ['contributionId', 'number', 'text', 'wordCount', 'name', 'createdAt'], revisionRows);
  if (target === 'sqlite') await raw.exec('COMMIT');
  // PostgreSQL's autovacuum would have vacuumed and analysed a long-running database; SQLite never does by itself.
  if (target === 'postgresql') await raw.exec('VACUUM ANALYZE');
  return { participants: participantRows.length, contributions: contributionRows.length };
}
