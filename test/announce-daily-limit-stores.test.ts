/**
 * The daily limit on people reached outside a platform's window, as the store keeps it: places
 * reserved at the same moment — by two instances on one PostgreSQL database, by concurrent sends
 * of one instance on a SQLite file — never exceed the limit; a person already reached costs no new
 * place; a copy put back to pending frees its place; places older than 24 hours no longer count.
 * (Two SQLite stores cannot share one process: better-sqlite3 waits for the other connection's
 * lock synchronously, blocking the very event loop that would release it.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';
import { seed } from './helpers/announce.js';

const HOUR = 3600_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-daily-stores-'));
const pgName = `icssi_daily_${process.pid}`;
const opened: PrismaStore[] = [];

afterAll(async () => {
  for (const s of opened) await s.close();
  const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
  await admin.exec(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  await admin.close();
});

async function twoInstances(url: string): Promise<[PrismaStore, PrismaStore]> {
  const a = await openStore(url);
  const b = await openStore(url);
  opened.push(a, b);
  return [a, b];
}

async function reservations(first: PrismaStore, second: PrismaStore): Promise<void> {
  const at = new Date('2026-12-01T09:00:00Z');
  for (let i = 0; i < 12; i++) await seed(first, { platform: 'whatsapp', userId: `IQ.30000000000000000${String(i).padStart(2, '0')}`, locale: 'en', at: new Date(at.getTime() - 30 * HOUR) });
  const all = await first.announcements.candidates('icssi-2019', { who: 'consented' });
  const make = async () => {
    const { id } = await first.announcements.create({ callId: 'icssi-2019', kind: 'announcement', texts: { en: 'x' }, audience: { who: 'consented' }, expiresAt: null, createdBy: 't', at });
    await first.announcements.writeRecipients(id, all.map((c) => ({ participantId: c.participantId, platform: c.platform, status: 'pending' as const })), at);
    return (await first.announcements.deliveries(id, 'whatsapp', 'pending', 0, 100)).map((j) => j.id);
  };
  const ids = await make();
  // Each instance claims half and reserves places for its copies, all at the same time.
  const half = ids.length / 2;
  await first.announcements.claim(ids.slice(0, half), 'a', at);
  await second.announcements.claim(ids.slice(half), 'b', at);
  const since = new Date(at.getTime() - 24 * HOUR);
  const won = await Promise.all(ids.map((id, i) => (i < half ? first : second).announcements.reserveInitiation(id, 5, since, at)));
  expect(won.filter(Boolean)).toHaveLength(5);
  expect((await second.announcements.initiatedSince('whatsapp', since)).size).toBe(5);

  // A copy put back to pending (refused for the limit) frees its place for someone else.
  const reserved = ids.filter((_, i) => won[i]);
  const refused = ids.filter((_, i) => !won[i]);
  expect(await first.announcements.requeue(reserved[0]!, at)).toBe(true);
  expect((await first.announcements.initiatedSince('whatsapp', since)).size).toBe(4);
  await first.announcements.claim([refused[0]!], 'a3', at);
  expect(await first.announcements.reserveInitiation(refused[0]!, 5, since, at)).toBe(true);

  // A second announcement the same day: the 5 already reached cost no new place, the others wait.
  const again = await make();
  await first.announcements.claim(again, 'a2', at);
  const wonAgain = await Promise.all(again.map((id) => first.announcements.reserveInitiation(id, 5, since, at)));
  expect(wonAgain.filter(Boolean)).toHaveLength(5);
  expect((await first.announcements.initiatedSince('whatsapp', since)).size).toBe(5);

  // 24 hours later none of these counts any more.
  expect((await first.announcements.initiatedSince('whatsapp', new Date(at.getTime() + 1))).size).toBe(0);
}

describe('the daily limit in the store, two instances at once', () => {
  it('SQLite: one file, concurrent reservations', async () => {
    const store = await openStore(`file:${path.join(dir, `s-${process.pid}.db`)}`);
    opened.push(store);
    await reservations(store, store);
  });

  it('PostgreSQL: one database, two stores', async () => {
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    await admin.exec(`CREATE DATABASE "${pgName}"`);
    await admin.close();
    const [a, b] = await twoInstances(siblingUrl(pgUrl(), pgName));
    await reservations(a, b);
  });
});
