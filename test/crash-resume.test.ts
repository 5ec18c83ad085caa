/**
 * kill -9 while replies are on their way (the Bot API holds them), on SQLite and on PostgreSQL:
 * a restarted process sends every reply the dead one had stored and leased within seconds, not
 * after the two-minute lease, exactly once more, in order (on SQLite, the only server, before it
 * even listens; on PostgreSQL once the dead holder has been silent for 5 s); and a person who
 * presses the button again meanwhile gets those replies, never "That button is from an earlier
 * message" before them. The bot is a real process (src/main.ts) serving Telegram's webhook; the
 * Bot API is the fake.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { connectRaw, type RawTarget } from '../src/storage/raw-connection.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';
import { crashRun } from './helpers/crash-run.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-crash-'));
const pgName = `icssi_crash_${randomBytes(4).toString('hex')}`;
const api = new FakeBotApi();
beforeAll(() => api.start());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
  await admin.exec(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  await admin.close();
});

/** The promise: within 10 s of the restart (measured from the spawn, start-up included). */
const RESUME_WITHIN_MS = 10_000;

async function check(databaseUrl: string, target: RawTarget, firstId: number, opts: { atStart?: boolean } = {}) {
  // Wait past the promise (so a slow run shows its figure), but far less than the 2-minute lease.
  const r = await crashRun({ api, databaseUrl, target, people: 4, firstId, deadlineMs: 30_000 });
  console.log(`resumed ${[...r.stored.values()].flat().length} stored replies ${Math.round(r.deliveredMs)} ms after the restart (listening after ${Math.round(r.listeningMs)} ms)`);
  // Every person had replies stored and leased when the process died.
  expect(r.stored.size).toBe(4);
  for (const texts of r.stored.values()) expect(texts.length).toBeGreaterThan(0);
  // Each received exactly what was stored, in order: nothing lost, nothing overtaking, no notice.
  expect(r.wrong).toEqual([]);
  expect(r.lost).toBe(0);
  expect(r.noticeBeforeReplies).toBe(false);
  expect(r.deliveredMs).toBeLessThan(RESUME_WITHIN_MS);
  // SQLite has one server process: what the dead one held is taken over before the new one listens.
  if (opts.atStart) expect(r.deliveredMs).toBeLessThan(r.listeningMs);
}

describe('after kill -9 the replies held by the dead process resume within seconds', () => {
  it('on SQLite', async () => {
    await check(`file:${join(dir, 'crash.db')}`, { provider: 'sqlite', file: join(dir, 'crash.db') }, 6500000001, { atStart: true });
  }, 90_000);

  it('on PostgreSQL', async () => {
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    await admin.exec(`CREATE DATABASE "${pgName}"`);
    await admin.close();
    const url = siblingUrl(pgUrl(), pgName);
    await check(url, { provider: 'postgresql', url }, 6500000101);
  }, 90_000);
});
