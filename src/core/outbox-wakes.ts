/**
 * Wakes a conversation's outbox when the wait a reply was given ends (a platform's retry_after, an
 * adapter's pacer saying "this person in 6 s"), instead of leaving it to the periodic flush (every
 * 30 s): a person who writes fast gets the rest of the answer seconds later, not half a minute.
 * One timer per conversation (the earliest wait), never holding the process open. Bounded: past
 * `maxTimers` conversations, or a wait longer than `maxWaitMs`, the periodic flush sends them.
 */
import type { Logger } from './log.js';

export interface OutboxWakesOptions {
  /** Sends what the conversation may send now (in its queue). */
  run: (key: string) => Promise<unknown>;
  clock: () => Date;
  logger: Logger;
  maxTimers?: number;
  maxWaitMs?: number;
}

export class OutboxWakes {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(private readonly opts: OutboxWakesOptions) {}

  /** Flush `key` at `at` (on the dispatcher's clock); an earlier wake already set is kept. */
  schedule(key: string, at: Date): void {
    const delay = Math.max(0, at.getTime() - this.opts.clock().getTime());
    if (delay > (this.opts.maxWaitMs ?? 10 * 60_000)) return;
    const set = this.timers.get(key);
    if (set && set.at <= at.getTime()) return;
    if (!set && this.timers.size >= (this.opts.maxTimers ?? 10_000)) return;
    if (set) clearTimeout(set.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.opts.run(key).catch((err: unknown) => this.opts.logger.warn('sending waiting replies failed', { conversation: key, err }));
      // A millisecond more: the reply's wait is compared with the clock at whole milliseconds.
    }, delay + 1);
    timer.unref();
    this.timers.set(key, { at: at.getTime(), timer });
  }

  /** Shutdown: no wake fires any more (the replies stay stored; the next start's flush sends them). */
  cancelAll(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
