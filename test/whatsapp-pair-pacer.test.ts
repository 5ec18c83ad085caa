/**
 * The parts of WhatsApp's pacing that need no network, on an injected clock: the per-person
 * bucket (a burst, then one per interval; a 131056 empties it; idle people forgotten, so memory
 * stays bounded however many people write), the pause after 368/190 (one alert per burst, one
 * send trying first when it ends), and the environment's limits refused when they make no sense.
 */
import { describe, expect, it } from 'vitest';
import { CloudError } from '../adapters/whatsapp/cloud-api.js';
import { DEFAULT_PACING, readWhatsAppPacing } from '../adapters/whatsapp/pacing-config.js';
import { PairPacer } from '../adapters/whatsapp/pair-pacer.js';
import { SendingPause } from '../adapters/whatsapp/sending-pause.js';
import { createLogger } from '../src/core/log.js';

describe('the per-person bucket', () => {
  it('lets a burst through, then one message per interval; a 131056 empties it', () => {
    let now = 0;
    const pacer = new PairPacer({ intervalMs: 6_000, burst: 3, nowMs: () => now });
    expect([pacer.take('a'), pacer.take('a'), pacer.take('a')]).toEqual([0, 0, 0]);
    expect(pacer.take('a')).toBe(6_000);
    // Someone else is not held up by a's bucket.
    expect(pacer.take('b')).toBe(0);
    now = 4_000;
    expect(pacer.take('a')).toBe(2_000);
    now = 6_000;
    expect(pacer.take('a')).toBe(0);
    expect(pacer.waitFor('a')).toBe(6_000);
    now = 60_000;
    pacer.exhausted('a');
    expect(pacer.take('a')).toBe(6_000);
  });

  it('forgets people whose bucket has filled again, so memory stays bounded', () => {
    let now = 0;
    const pacer = new PairPacer({ intervalMs: 1_000, burst: 2, nowMs: () => now, sweepAt: 100 });
    for (let i = 0; i < 100; i++) pacer.take(`p${i}`);
    expect(pacer.size).toBe(100);
    // Two intervals later they are all full again: the next newcomer sweeps them away.
    now = 2_000;
    pacer.take('late');
    expect(pacer.size).toBe(1);
    // 100,000 people, a few at a time, never make it hold more than the sweep bound and the busy.
    for (let i = 0; i < 100_000; i++) {
      now += 50;
      pacer.take(`q${i}`);
    }
    expect(pacer.size).toBeLessThanOrEqual(101);
  });
});

describe('the pause after 368 and 190', () => {
  it('refuses every send while paused, with the time left; alerts once per burst; one send tries first after it', async () => {
    let now = 0;
    const logs: string[] = [];
    const pause = new SendingPause({ pauseMs: 10_000, logger: createLogger('debug', (l) => logs.push(l)), nowMs: () => now });
    expect(await pause.admit()).toBe(false);
    const first = pause.failed(new CloudError('blocked', 400, 368));
    expect(first.retryAfterMs).toBe(10_000);
    now = 4_000;
    const paused = await pause.admit().then(() => null, (e: unknown) => e as CloudError);
    expect(paused?.retryAfterMs).toBe(6_000);
    // Over: one send tries; another waits for its answer.
    now = 10_000;
    expect(await pause.admit()).toBe(true);
    let second: boolean | null = null;
    const waiting = pause.admit().then((x) => (second = x), () => (second = false));
    await Promise.resolve();
    expect(second).toBeNull();
    // Still blocked: paused again, and no second alert for the same burst.
    pause.failed(new CloudError('blocked', 400, 368));
    pause.settle();
    await waiting;
    expect(second).toBe(false);
    expect(logs.filter((l) => JSON.parse(l).level === 'error')).toHaveLength(1);
    // A send that goes through ends the burst: the next refusal alerts again.
    now = 20_000;
    expect(await pause.admit()).toBe(true);
    pause.succeeded();
    pause.settle();
    expect(await pause.admit()).toBe(false);
    pause.failed(new CloudError('auth', 401, 190));
    const errors = logs.filter((l) => JSON.parse(l).level === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/WHATSAPP_TOKEN/);
    // Other failures pass unchanged and pause nothing.
    const other = new CloudError('server', 500, 1);
    expect(pause.failed(other)).toBe(other);
  });
});

describe('the limits from the environment', () => {
  it("defaults to Meta's, reads seconds with decimals, and refuses nonsense", () => {
    expect(readWhatsAppPacing({})).toEqual(DEFAULT_PACING);
    expect(readWhatsAppPacing({ WHATSAPP_MESSAGES_PER_SECOND: '20', WHATSAPP_PAIR_SECONDS: '1.5', WHATSAPP_PAIR_BURST: '4', WHATSAPP_PAUSE_SECONDS: '60' })).toEqual({ ratePerSecond: 20, pairIntervalMs: 1_500, pairBurst: 4, pauseMs: 60_000 });
    for (const env of [{ WHATSAPP_MESSAGES_PER_SECOND: '0' }, { WHATSAPP_PAIR_SECONDS: 'six' }, { WHATSAPP_PAIR_BURST: '0.5' }, { WHATSAPP_PAUSE_SECONDS: '-1' }]) {
      expect(() => readWhatsAppPacing(env)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
