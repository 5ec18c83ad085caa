/**
 * Announcement tests: a real SQLite file per test, participants stored through the store's own
 * commit (as the flow's effects would), and a fake clock/sleep for the pacers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BotStore, DataEffect } from '../../src/core/ports.js';
import type { Platform } from '../../src/core/types.js';
import type { Locale } from '../../src/domain/records.js';
import { openStore } from '../../src/storage/open-store.js';
import type { PrismaStore } from '../../src/storage/prisma-store.js';
import type { PrismaAnnouncementStore } from '../../src/storage/prisma-announcements.js';
import { Pacer } from '../../src/announcements/pacer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-announce-test-'));
let n = 0;

async function open(file: string): Promise<{ store: PrismaStore; announcements: PrismaAnnouncementStore; file: string }> {
  const store = await openStore(`file:${file}`);
  return { store, announcements: store.announcements, file };
}

/** A fresh SQLite file with the migrations applied; `reopen` opens an existing one again. */
export const sqliteStore = Object.assign(() => open(path.join(dir, `a-${process.pid}-${++n}.db`)), { reopen: open });

export interface Person {
  platform: Platform;
  userId: string;
  locale: Locale;
  /** When they last wrote (and consented). */
  at: Date;
  drafted?: boolean;
  contribution?: { topic: number; withdrawn?: boolean };
  stopped?: boolean;
}

let event = 0;
let codes = 0;

/** Stores a person as the flow's effects would: consent, a draft, a contribution, /stop. */
export async function seed(store: BotStore, p: Person): Promise<void> {
  const ref = { platform: p.platform, chatId: p.userId, userId: p.userId };
  const effects: DataEffect[] = [{ type: 'participant.consent', locale: p.locale, at: p.at }];
  if (p.drafted || p.contribution) effects.push({ type: 'participant.drafted', at: p.at });
  const code = `ICS-T${String(++codes).padStart(5, '0')}`;
  if (p.contribution) {
    effects.push({
      type: 'contribution.create', code, callId: 'icssi-2019', topic: p.contribution.topic, language: p.locale, at: p.at,
      revision: { text: 'words '.repeat(200), wordCount: 200, details: { name: 'N', organisation: null, country: null, email: null } },
    });
    if (p.contribution.withdrawn) effects.push({ type: 'contribution.withdraw', code, at: p.at });
  }
  if (p.stopped) effects.push({ type: 'participant.announcements', on: false, at: p.at });
  const r = await store.commit({
    event: { platform: p.platform, id: `seed-${++event}` }, conversationKey: `seed-${p.platform}-${p.userId}`, ref,
    expectedVersion: null, state: {}, pending: [], effects, receivedAt: p.at,
  });
  if (r.status !== 'committed') throw new Error(`seed failed: ${r.status}`);
}

/**
 * A clock that only moves when slept on, and the pacer built on it. `settle`: what must finish
 * before time moves on — the sends in flight, so that on this clock a request is answered the
 * moment it leaves (the pacer counts a send at its answer).
 */
export function fakeTime(startMs = 0, settle?: () => Promise<unknown>) {
  const t = { now: startMs, sleeps: [] as number[] };
  const sleep = async (ms: number) => {
    await settle?.();
    t.sleeps.push(ms);
    t.now += ms;
  };
  const pacer = (ratePerSecond: number, perChatMs = 1000) => new Pacer({ ratePerSecond, perChatMs, nowMs: () => t.now, sleep });
  return { t, sleep, pacer };
}
