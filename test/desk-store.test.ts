/**
 * The desk's store on SQLite and PostgreSQL: the list's filters, sorts, keyset pages and search
 * give what a plain reading of every row gives; invites are used once; sessions end on revoke.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeskListQuery, DeskListRow } from '../src/core/desk-ports.js';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaDeskStore } from '../src/storage/prisma-desk.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { connectRaw, type RawConnection, type RawTarget } from '../src/storage/raw-connection.js';
import { seedCall } from './helpers/seed.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';

const CALL = 'icssi-2019';
const dir = mkdtempSync(join(tmpdir(), 'icssi-desk-store-'));
const pgName = `icssi_desk_${process.pid}`;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

interface Row extends DeskListRow {
  id: string;
  text: string;
}

async function open(provider: 'sqlite' | 'postgresql'): Promise<{ store: PrismaStore; raw: RawConnection }> {
  let target: RawTarget;
  if (provider === 'sqlite') target = { provider, file: join(dir, 'desk.db') };
  else {
    const admin = await connectRaw({ provider, url: pgUrl() });
    await admin.exec(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE "${pgName}"`);
    await admin.close();
    target = { provider, url: siblingUrl(pgUrl(), pgName) };
    cleanups.push(async () => {
      const a = await connectRaw({ provider: 'postgresql', url: pgUrl() });
      await a.exec(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
      await a.close();
    });
  }
  const store = await openStore(target.provider === 'sqlite' ? `file:${target.file}` : target.url);
  const raw = await connectRaw(target);
  cleanups.push(async () => {
    await raw.close();
    await store.close();
  });
  return { store, raw };
}

/** Every contribution with its latest text, read plainly. */
async function everything(raw: RawConnection): Promise<Row[]> {
  const rows = await raw.query<Record<string, unknown>>(`
    SELECT c."id", c."code", c."topic", c."language", c."state", c."platform", c."wordCount", c."createdAt", r."text"
    FROM "Contribution" c JOIN "ContributionRevision" r ON r."contributionId" = c."id" AND r."number" = c."revision"`);
  return rows.map((r) => ({
    id: String(r.id), code: String(r.code), topic: Number(r.topic), language: r.language as Row['language'], state: r.state as Row['state'],
    platform: r.platform as Row['platform'], wordCount: Number(r.wordCount), createdAt: new Date(String(r.createdAt instanceof Date ? r.createdAt.toISOString() : r.createdAt)), text: String(r.text),
  }));
}

async function allPages(desk: PrismaDeskStore, q: Omit<DeskListQuery, 'limit' | 'callId'>): Promise<string[]> {
  const codes: string[] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await desk.list({ ...q, callId: CALL, limit: 7, after });
    codes.push(...page.rows.map((r) => r.code));
    if (!page.next) return codes;
    after = page.next;
  }
  throw new Error('too many pages');
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`the desk's store on ${provider}`, () => {
    it('lists, filters, sorts, pages and searches as a plain reading of every row does', async () => {
      const { store, raw } = await open(provider);
      await seedCall(raw, provider, { callId: CALL, participants: 60, contributions: 120, seed: 7 });
      const desk = store.desk;
      const rows = await everything(raw);
      const byNewest = (a: Row, b: Row) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : 1);
      const byWords = (a: Row, b: Row) => b.wordCount - a.wordCount || (b.id < a.id ? -1 : 1);
      const from = new Date('2026-10-01T00:00:00Z');
      const to = new Date('2026-10-20T00:00:00Z');
      const cases: [Omit<DeskListQuery, 'limit' | 'callId'>, (r: Row) => boolean, (a: Row, b: Row) => number][] = [
        [{ sort: 'newest' }, () => true, byNewest],
        [{ sort: 'oldest', state: 'submitted' }, (r) => r.state === 'submitted', (a, b) => -byNewest(a, b)],
        [{ sort: 'words', topic: 2, language: 'ar' }, (r) => r.topic === 2 && r.language === 'ar', byWords],
        [{ sort: 'fewest', platform: 'telegram' }, (r) => r.platform === 'telegram', (a, b) => -byWords(a, b)],
        [{ sort: 'newest', from, to }, (r) => r.createdAt >= from && r.createdAt < to, byNewest],
        [{ sort: 'newest', search: 'TEXT 1' }, (r) => r.text.toLowerCase().includes('text 1'), byNewest],
      ];
      for (const [q, keep, order] of cases) {
        const expected = rows.filter(keep).sort(order).map((r) => r.code);
        expect(expected.length, JSON.stringify(q)).toBeGreaterThan(3);
        expect(await allPages(desk, q), JSON.stringify(q)).toEqual(expected);
        const first = await desk.list({ ...q, callId: CALL, limit: 7 });
        expect(first.total).toBe(q.search ? null : expected.length);
      }
      // LIKE's wildcards are searched for, not used: no text holds a % or an _.
      expect((await desk.list({ callId: CALL, sort: 'newest', search: '%', limit: 7 })).rows).toEqual([]);
      expect((await desk.list({ callId: CALL, sort: 'newest', search: '_', limit: 7 })).rows).toEqual([]);
      // A cursor from a URL that is not ours starts from the first page.
      expect((await desk.list({ callId: CALL, sort: 'newest', after: 'not-a-cursor', limit: 7 })).rows.map((r) => r.code)).toEqual(rows.sort(byNewest).slice(0, 7).map((r) => r.code));
    }, 60_000);

    it('uses an invite once, and revoking ends sessions and unused invites', async () => {
      const { store } = await open(provider === 'sqlite' ? 'sqlite' : 'postgresql');
      const desk = store.desk;
      const at = new Date('2026-12-01T10:00:00Z');
      const later = new Date(at.getTime() + 86_400_000);
      await desk.createInvite({ tokenHash: 'h1', name: 'Layla', role: 'reader', createdBy: 't', at, expiresAt: later });
      const [a, b] = await Promise.all([desk.consumeInvite('h1', at), desk.consumeInvite('h1', at)]);
      expect([a, b].filter(Boolean)).toEqual([{ name: 'Layla', role: 'reader' }]);
      await desk.createInvite({ tokenHash: 'h2', name: 'Layla', role: 'reader', createdBy: 't', at, expiresAt: later });
      expect(await desk.consumeInvite('h2', new Date(later.getTime() + 1))).toBeNull();
      await desk.createInvite({ tokenHash: 'h3', name: 'Layla', role: 'organiser', createdBy: 't', at, expiresAt: later });
      await desk.createSession({ tokenHash: 's1', name: 'Layla', role: 'reader', at, expiresAt: later });
      expect((await desk.session('s1', at))?.name).toBe('Layla');
      expect(await desk.session('s1', later)).toBeNull();
      expect(await desk.revoke('Layla')).toBe(1);
      expect(await desk.session('s1', at)).toBeNull();
      expect(await desk.inviteValid('h3', at)).toBeNull();
    });
  });
}
