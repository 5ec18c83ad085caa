/**
 * The senders' one retry loop: bounded attempts, the platform's wait honoured exactly (or the
 * doubling backoff), a wait beyond the cap left to the outbox, and a stop that ends the waiting.
 * The sleep is injected: nothing here waits.
 */
import { describe, expect, it } from 'vitest';
import { withRetry } from '../src/core/retry.js';

class Busy extends Error {
  constructor(readonly waitMs?: number) {
    super('busy');
  }
}
const decide = (err: unknown) => (err instanceof Busy ? { retry: true as const, waitMs: err.waitMs } : { retry: false as const });

describe('withRetry', () => {
  it('retries with the platform’s wait, else a doubling pause, up to the attempts', async () => {
    const sleeps: number[] = [];
    const failures = [new Busy(), new Busy(7000), new Busy()];
    const out = await withRetry(async (attempt) => {
      const f = failures.shift();
      if (f) throw f;
      return attempt;
    }, { attempts: 4, backoffMs: 100, decide, sleep: async (ms) => void sleeps.push(ms) });
    expect(out).toBe(4);
    expect(sleeps).toEqual([100, 7000, 400]);
  });

  it('gives up after the attempts, at once on what is not worth a retry, and on a wait beyond the cap', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Busy(); }, { attempts: 3, backoffMs: 10, decide, sleep })).rejects.toBeInstanceOf(Busy);
    expect(calls).toBe(3);
    await expect(withRetry(async () => { throw new Error('refused'); }, { attempts: 3, backoffMs: 10, decide, sleep })).rejects.toThrow('refused');
    await expect(withRetry(async () => { throw new Busy(60_000); }, { attempts: 3, backoffMs: 10, maxWaitMs: 15_000, decide, sleep })).rejects.toMatchObject({ waitMs: 60_000 });
    expect(sleeps).toEqual([10, 20]);
  });

  it('an abort ends the pause in progress and the last failure stands', async () => {
    const stop = new AbortController();
    const run = withRetry(async () => { throw new Busy(3_600_000); }, { attempts: 5, backoffMs: 10, decide, signal: stop.signal });
    stop.abort();
    await expect(run).rejects.toBeInstanceOf(Busy);
  });
});
