/**
 * DeskStore over the store's engine (prisma-engine.ts: one pool; on SQLite every operation runs in
 * a transaction, for the reason given there). SQLite and PostgreSQL alike.
 */
import { DESK_ACTIONS, DESK_ROLES, type DeskAction, type DeskActivityRecord, type DeskContribution, type DeskListQuery, type DeskListRow, type DeskPerson, type DeskRole, type DeskSessionRecord, type DeskStore } from '../core/desk-ports.js';
import { normaliseCode } from '../domain/codes.js';
import { Prisma } from '../../generated/prisma-sqlite/client.js';
import type { Tx } from './prisma-client.js';
import { timeParam, type Provider } from './prisma-stats.js';
import type { PrismaEngine } from './prisma-engine.js';
import { contributionLanguage, contributionPlatform, contributionState, toStateChange } from './rows.js';
import { oneOf } from './parse-row.js';

const deskRole = oneOf(DESK_ROLES, 'DeskSession.role', 'a desk role');
const deskAction = oneOf(DESK_ACTIONS, 'DeskActivity.action', 'a desk action');

interface ListCols {
  id: string;
  code: string;
  topic: number;
  language: string;
  state: string;
  platform: string;
  wordCount: number;
  createdAt: Date;
}

function toRow(r: ListCols): DeskListRow {
  return {
    code: r.code,
    topic: r.topic,
    language: contributionLanguage(r.language),
    state: contributionState(r.state),
    platform: contributionPlatform(r.platform),
    wordCount: r.wordCount,
    createdAt: r.createdAt,
  };
}

/** The keyset cursor: the last row's sort key and id, so the next page starts after it on an index. */
interface Cursor {
  k: number | string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** A cursor from a URL is untrusted: anything malformed starts from the first page. */
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return (typeof c.k === 'number' || typeof c.k === 'string') && typeof c.id === 'string' ? c : null;
  } catch {
    return null;
  }
}

const SORTS = {
  newest: { field: 'createdAt', dir: 'desc' },
  oldest: { field: 'createdAt', dir: 'asc' },
  words: { field: 'wordCount', dir: 'desc' },
  fewest: { field: 'wordCount', dir: 'asc' },
} as const;

/** LIKE's wildcards in a search are searched for, not used as wildcards (escaped with !). */
function likePattern(s: string): string {
  return `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * The list's WHERE, in SQL shared by SQLite and PostgreSQL (Prisma's count() wraps its query in a
 * subquery that no index covers, and its `some` reads every revision before sorting: measured 10x
 * slower at 100,000). Text search is a correlated EXISTS on the latest revision, so a scan in the
 * sort's index order stops at the page's last match.
 */
function conditions(q: DeskListQuery, provider: Provider): { where: Prisma.Sql[]; searchesText: boolean } {
  const where: Prisma.Sql[] = [Prisma.sql`c."callId" = ${q.callId}`];
  if (q.topic !== undefined) where.push(Prisma.sql`c."topic" = ${q.topic}`);
  if (q.language) where.push(Prisma.sql`c."language" = ${q.language}`);
  if (q.state) where.push(Prisma.sql`c."state" = ${q.state}`);
  if (q.platform) where.push(Prisma.sql`c."platform" = ${q.platform}`);
  if (q.from) where.push(Prisma.sql`c."createdAt" >= ${timeParam(provider, q.from)}`);
  if (q.to) where.push(Prisma.sql`c."createdAt" < ${timeParam(provider, q.to)}`);
  const search = q.search?.trim();
  // Only what starts like a code is taken as one: a six-letter word is text to look for.
  const code = search && /^ics/i.test(search) ? normaliseCode(search) : null;
  if (code) where.push(Prisma.sql`c."code" = ${code}`);
  else if (search) {
    // LIKE is case-insensitive for Latin letters on SQLite; ILIKE does the same on PostgreSQL.
    const like = Prisma.raw(provider === 'postgresql' ? 'ILIKE' : 'LIKE');
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "ContributionRevision" r WHERE r."contributionId" = c."id" AND r."number" = c."revision" AND r."text" ${like} ${likePattern(search)} ESCAPE '!')`);
  }
  return { where, searchesText: Boolean(search) && !code };
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

export class PrismaDeskStore implements DeskStore {
  constructor(private readonly engine: PrismaEngine) {}

  private run<T>(doing: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.engine.run(doing, fn);
  }

  async createInvite(input: DeskPerson & { tokenHash: string; createdBy: string; at: Date; expiresAt: Date }): Promise<void> {
    await this.run('desk invite', (tx) =>
      tx.deskInvite.create({ data: { tokenHash: input.tokenHash, name: input.name, role: input.role, createdBy: input.createdBy, createdAt: input.at, expiresAt: input.expiresAt } }),
    );
  }

  async inviteValid(tokenHash: string, at: Date): Promise<DeskPerson | null> {
    const row = await this.run('desk invite', (tx) => tx.deskInvite.findFirst({ where: { tokenHash, usedAt: null, expiresAt: { gt: at } } }));
    return row ? { name: row.name, role: deskRole(row.role) } : null;
  }

  async consumeInvite(tokenHash: string, at: Date): Promise<DeskPerson | null> {
    return this.run('desk sign-in', async (tx) => {
      // A compare-and-set: of two requests with the same link, one changes the row, the other none.
      const { count } = await tx.deskInvite.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: at } }, data: { usedAt: at } });
      if (count !== 1) return null;
      const row = await tx.deskInvite.findUnique({ where: { tokenHash } });
      return row ? { name: row.name, role: deskRole(row.role) } : null;
    });
  }

  async createSession(input: DeskPerson & { tokenHash: string; at: Date; expiresAt: Date }): Promise<void> {
    await this.run('desk session', async (tx) => {
      // Expired sessions are forgotten as new ones are made: the table stays small without a timer.
      await tx.deskSession.deleteMany({ where: { expiresAt: { lte: input.at } } });
      await tx.deskSession.create({ data: { tokenHash: input.tokenHash, name: input.name, role: input.role, createdAt: input.at, expiresAt: input.expiresAt } });
    });
  }

  async session(tokenHash: string, at: Date): Promise<DeskSessionRecord | null> {
    const row = await this.run('desk session', (tx) => tx.deskSession.findUnique({ where: { tokenHash } }));
    if (!row || row.expiresAt <= at) return null;
    return { id: row.id, name: row.name, role: deskRole(row.role), expiresAt: row.expiresAt };
  }

  async endSession(tokenHash: string): Promise<void> {
    await this.run('desk sign-out', (tx) => tx.deskSession.deleteMany({ where: { tokenHash } }));
  }

  async revoke(name: string): Promise<number> {
    return this.run('desk revoke', async (tx) => {
      await tx.deskInvite.deleteMany({ where: { name, usedAt: null } });
      return (await tx.deskSession.deleteMany({ where: { name } })).count;
    });
  }

  async record(input: { at: Date; actor: string; action: DeskAction; subject?: string | null; detail?: string | null }): Promise<number> {
    const row = await this.run('desk activity', (tx) =>
      tx.deskActivity.create({ data: { at: input.at, actor: input.actor, action: input.action, subject: input.subject ?? null, detail: input.detail ?? null }, select: { id: true } }),
    );
    return row.id;
  }

  async activity(input: { beforeId?: number; limit: number }): Promise<DeskActivityRecord[]> {
    const rows = await this.run('desk activity', (tx) =>
      tx.deskActivity.findMany({ where: input.beforeId ? { id: { lt: input.beforeId } } : {}, orderBy: { id: 'desc' }, take: input.limit }),
    );
    return rows.map((r) => ({ ...r, action: deskAction(r.action) }));
  }

  async list(q: DeskListQuery): Promise<{ rows: DeskListRow[]; next: string | null; total: number | null }> {
    const provider = this.engine.options.provider;
    const sort = SORTS[q.sort];
    const { where, searchesText } = conditions(q, provider);
    const cursor = decodeCursor(q.after);
    const field = Prisma.raw(`c."${sort.field}"`);
    const op = Prisma.raw(sort.dir === 'desc' ? '<' : '>');
    const dir = Prisma.raw(sort.dir === 'desc' ? 'DESC' : 'ASC');
    const page = [...where];
    if (cursor) {
      const key = sort.field === 'createdAt' ? new Date(String(cursor.k)) : Number(cursor.k);
      const valid = key instanceof Date ? !Number.isNaN(key.getTime()) : Number.isFinite(key);
      if (valid) {
        const k = key instanceof Date ? timeParam(provider, key) : Prisma.sql`${key}`;
        page.push(Prisma.sql`(${field} ${op} ${k} OR (${field} = ${k} AND c."id" ${op} ${cursor.id}))`);
      }
    }
    return this.run('desk list', async (tx) => {
      const rows = await tx.$queryRaw<ListCols[]>`
        SELECT c."id", c."code", c."topic", c."language", c."state", c."platform", c."wordCount", c."createdAt"
        FROM "Contribution" c
        WHERE ${Prisma.join(page, ' AND ')}
        ORDER BY ${field} ${dir}, c."id" ${dir}
        LIMIT ${q.limit + 1}`;
      // The total reads an index (a few ms at 100,000), except for a text search, which would read
      // every text: there the pages say only whether there are more.
      const total = searchesText
        ? null
        : Number((await tx.$queryRaw<{ n: unknown }[]>`SELECT COUNT(*) AS n FROM "Contribution" c WHERE ${Prisma.join(where, ' AND ')}`)[0]?.n ?? 0);
      const more = rows.length > q.limit;
      const shown = rows.slice(0, q.limit).map((r) => ({ ...r, topic: Number(r.topic), wordCount: Number(r.wordCount), createdAt: toDate(r.createdAt) }));
      const last = shown.at(-1);
      const next = more && last ? encodeCursor({ k: sort.field === 'createdAt' ? last.createdAt.toISOString() : last.wordCount, id: last.id }) : null;
      return { rows: shown.map(toRow), next, total };
    });
  }

  async contribution(code: string): Promise<DeskContribution | null> {
    return this.run('desk contribution', async (tx) => {
      const row = await tx.contribution.findUnique({
        where: { code },
        include: {
          participant: { select: { erasedAt: true } },
          revisions: { orderBy: { number: 'desc' } },
          stateChanges: { orderBy: { id: 'asc' } },
        },
      });
      if (!row) return null;
      const notes = await tx.deskNote.findMany({ where: { contributionId: row.id }, orderBy: { id: 'asc' } });
      return {
        row: { ...toRow(row), revision: row.revision, updatedAt: row.updatedAt, erased: row.participant.erasedAt !== null },
        revisions: row.revisions.map((r) => ({
          number: r.number,
          text: r.text,
          wordCount: r.wordCount,
          details: { name: r.name ?? '', organisation: r.organisation, country: r.country, email: r.email },
          createdAt: r.createdAt,
        })),
        history: row.stateChanges.map((s) => toStateChange(code, s)),
        notes: notes.map((n) => ({ id: n.id, author: n.author, text: n.text, createdAt: n.createdAt })),
      };
    });
  }

  async addNote(input: { code: string; author: string; text: string; at: Date }): Promise<boolean> {
    return this.run('desk note', async (tx) => {
      const c = await tx.contribution.findUnique({ where: { code: input.code }, select: { id: true, participant: { select: { erasedAt: true } } } });
      // Notes on an erased author's contribution would outlive the erasure: refused.
      if (!c || c.participant.erasedAt) return false;
      await tx.deskNote.create({ data: { contributionId: c.id, author: input.author, text: input.text, createdAt: input.at } });
      return true;
    });
  }
}

export type { DeskRole };
