/**
 * The background start of the platforms (src/server/platform-start.ts): retries with a doubling
 * pause up to a cap, readiness per platform, the webhook gate, a configuration error not retried,
 * and stop() ending the retries. The pauses are recorded by an injected sleep, never waited.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/core/adapter.js';
import { AppError } from '../src/core/errors.js';
import { createLogger } from '../src/core/log.js';
import type { Sleep } from '../src/core/retry.js';
import { PlatformStarter } from '../src/server/platform-start.js';

/** Lets the starter's promise chains run until `ok` holds (bounded: no timing involved). */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setImmediate(r));
  expect(ok()).toBe(true);
}

const request: WebhookRequest = { method: 'POST', path: '/telegram', query: new URLSearchParams(), headers: {}, rawBody: Buffer.from('{}') };

function rig(failures: number, opts: { fatal?: boolean } = {}) {
  const lines: Record<string, unknown>[] = [];
  const sleeps: number[] = [];
  const fatal: unknown[] = [];
  let release: () => void = () => undefined;
  let tries = 0;
  const sleep: Sleep = (ms) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const done = new Promise<void>((r) => (release = r));
  const telegram = {
    name: 'telegram' as const,
    async start() {
      tries++;
      if (opts.fatal) throw new AppError('CONFIG_INVALID', 'Telegram did not accept TELEGRAM_BOT_TOKEN');
      if (tries <= failures) throw new Error('Network request for getMe failed');
      release();
    },
  };
  const messenger = { name: 'messenger' as const };
  const starter = new PlatformStarter({
    adapters: [telegram, messenger],
    logger: createLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
    onFatal: (err) => {
      fatal.push(err);
      release();
    },
    sleep,
    maxBackoffMs: 8000,
  });
  return { starter, lines, sleeps, fatal, done, tries: () => tries };
}

describe('starting the platforms in the background', () => {
  it('tries again with a doubling pause up to the cap, warning each time, and is ready after', async () => {
    const r = rig(5);
    const gated = r.starter.gate('telegram', { path: '/telegram', methods: ['POST'], handle: async () => ({ status: 200 }) });
    expect(r.starter.notReady()).toEqual(['telegram', 'messenger']);
    expect((await gated.handle(request)).status).toBe(503);
    r.starter.start();
    await until(() => r.starter.isReady('telegram'));
    expect(r.sleeps).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(r.lines.filter((l) => l.msg === 'platform not reachable at start; trying again').map((l) => [l.level, l.platform, l.attempt])).toEqual(
      [1, 2, 3, 4, 5].map((n) => ['warn', 'telegram', n]),
    );
    expect(r.starter.notReady()).toEqual([]);
    expect(r.starter.isReady('telegram')).toBe(true);
    expect((await gated.handle(request)).status).toBe(200);
  });

  it('does not retry a configuration error: it goes to onFatal', async () => {
    const r = rig(0, { fatal: true });
    r.starter.start();
    await r.done;
    expect(r.tries()).toBe(1);
    expect(r.fatal).toHaveLength(1);
    expect(r.starter.notReady()).toEqual(['telegram']);
  });

  it('stop() ends the retries', async () => {
    let tries = 0;
    let pausing = false;
    const starter = new PlatformStarter({
      adapters: [{ name: 'slack', start: () => (tries++, Promise.reject(new Error('down'))) }],
      logger: createLogger('silent'),
      onFatal: () => undefined,
      // The pause lasts until stop() aborts it.
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          pausing = true;
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    starter.start();
    await until(() => pausing);
    starter.stop();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(tries).toBe(1);
    expect(starter.notReady()).toEqual(['slack']);
  });
});
