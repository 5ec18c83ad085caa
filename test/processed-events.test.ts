/**
 * Processed-event claims: stored as keyed hashes (no id that names a person), still recognised on
 * redelivery, and forgotten after PROCESSED_EVENTS_MAX_AGE_DAYS by the maintenance job (clock
 * injected: nothing waits).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config/env.js';
import { isAppError } from '../src/core/errors.js';
import { createLogger } from '../src/core/log.js';
import { DAY_MS, Maintenance } from '../src/core/maintenance.js';
import { Metrics } from '../src/core/metrics.js';
import type { InboundEvent } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { makeBot, refOf } from './helpers/harness.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-events-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const event = (id: string): InboundEvent => ({ kind: 'command', command: 'start', args: '', id, platform: 'messenger', conversation: refOf('6543210987654321'), receivedAt: new Date(), raw: null });

describe('processed-event claims', () => {
  it('are stored as keyed hashes, and a redelivery is still processed once', async () => {
    const file = path.join(dir, 'claims.db');
    const store = await openStore(`file:${file}`);
    const bot = await makeBot(store);
    const id = 'data-deletion:6543210987654321:1795000000';
    expect((await bot.dispatcher.handle(event(id))).outcome).toBe('processed');
    expect((await bot.dispatcher.handle(event(id))).outcome).toBe('duplicate');
    await store.close();
    const raw = await connectRaw({ provider: 'sqlite', file });
    const rows = await raw.query<{ platform: string; eventId: string }>('SELECT platform, "eventId" FROM "ProcessedEvent"');
    await raw.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.platform).toBe('messenger');
    expect(rows[0]!.eventId).not.toContain('6543210987654321');
    expect(rows[0]!.eventId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('are pruned by the maintenance job once older than the configured age, at start and then periodically', async () => {
    const store = await openStore(`file:${path.join(dir, 'prune.db')}`);
    const bot = await makeBot(store);
    expect((await bot.dispatcher.handle(event('m_1'))).outcome).toBe('processed');
    const clock = { now: new Date(Date.now() + 6 * DAY_MS) };
    let tasks = 0;
    const maintenance = new Maintenance({
      store, clock: () => clock.now, processedEventMaxAgeMs: 7 * DAY_MS, logger: createLogger('silent'), metrics: new Metrics(),
      tasks: [async () => tasks++, async () => Promise.reject(new Error('a platform is down'))],
    });
    expect(await maintenance.start()).toBe(0); // six days old: kept
    expect((await bot.dispatcher.handle(event('m_1'))).outcome).toBe('duplicate');
    clock.now = new Date(Date.now() + 8 * DAY_MS);
    expect(await maintenance.runOnce()).toBe(1);
    expect(tasks).toBe(2); // a failing task does not stop the next pass
    await maintenance.stop();
    await store.close();
  });

  it('PROCESSED_EVENTS_MAX_AGE_DAYS defaults to 7 and refuses less than a day', () => {
    const base = { ICSSI_SECRET: 'a-secret-of-16-characters' };
    expect(readConfig(base).processedEventsMaxAgeDays).toBe(7);
    expect(readConfig({ ...base, PROCESSED_EVENTS_MAX_AGE_DAYS: '30' }).processedEventsMaxAgeDays).toBe(30);
    for (const bad of ['0.5', 'soon', '-3']) {
      const err = (() => {
        try {
          readConfig({ ...base, PROCESSED_EVENTS_MAX_AGE_DAYS: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
    }
  });
});
