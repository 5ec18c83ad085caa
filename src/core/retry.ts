/**
 * The one bounded retry loop of the platform senders (Telegram's Bot API transformer, the Graph
 * client, Slack's Web API calls). Each platform says what is worth another attempt and how long it
 * asked to wait (retry_after, Retry-After); everything else is the same: a bounded number of
 * attempts, a doubling pause when the platform names none, a cap on waits kept in place (a longer
 * wait fails at once, and the core's outbox keeps it instead of holding a conversation's queue),
 * an injectable sleep so tests wait for nothing, and an AbortSignal that stops the waiting.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export type RetryDecision = { retry: false } | { retry: true; waitMs?: number };

export interface RetryOptions {
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** Pause before the second attempt when the platform names no wait; doubled each time. */
  backoffMs: number;
  /** The longest wait kept in place; a longer one rethrows at once (default: no cap). */
  maxWaitMs?: number;
  sleep?: Sleep;
  /** Stops retrying (and the pause in progress): the last error is thrown. */
  signal?: AbortSignal;
  /** Whether this failure is worth another attempt, and the wait the platform asked for. */
  decide: (err: unknown) => RetryDecision;
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= o.attempts || o.signal?.aborted) throw err;
      const d = o.decide(err);
      if (!d.retry) throw err;
      const wait = d.waitMs ?? o.backoffMs * 2 ** (attempt - 1);
      if (o.maxWaitMs !== undefined && wait > o.maxWaitMs) throw err;
      o.onRetry?.(err, attempt, wait);
      try {
        await (o.sleep ?? realSleep)(wait, o.signal);
      } catch {
        throw err; // aborted while waiting: the failure stands
      }
    }
  }
}
