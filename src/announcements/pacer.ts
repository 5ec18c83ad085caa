/**
 * Keeps one platform under its rate limits, as the platform counts them: requests arriving. At
 * most `rate` sends in any window of one second (a sliding window, as platforms count), one
 * chat's sends at least `perChatMs` apart, and nothing at all while the platform asked us to wait
 * (a 429's retry_after / Retry-After, waited exactly, for the whole platform: the limits are per
 * bot, not per request).
 *
 * A send counts from the moment it leaves until it is answered, at the answer: a request arrives
 * somewhere in between, and only the answer bounds when. So the `rate`-th send after one leaves
 * no sooner than a second after that one was answered — however late it reached the platform (a
 * fresh process's first requests take far longer than the next ones: counted when picked, they
 * let the next second's sends overlap their own, and a first second carried 31 requests at 28/s).
 * Before its answer, a send holds its place in the window. The cost is one round trip per second
 * of sending, small against a 429.
 *
 * A send also waits for the previous one's answer when that left less than 1/rate ago, so a 429
 * reaches the pacer before the next request leaves (a request already on its way when the
 * platform orders a wait arrives inside it); with answers slower than that, it waits no longer.
 *
 * Slots are at least a quarter of 1/rate apart, so a late timer catches up in a short, bounded
 * burst instead of losing the time for good. The clock and the sleep are injected: tests and the
 * benchmark decide what time it is.
 */

import { realSleep, type Sleep } from '../core/retry.js';
export interface PacerOptions {
  /** Messages per second for the whole platform. */
  ratePerSecond: number;
  /** Least time between two messages to one chat (Telegram, Slack: about one per second). */
  perChatMs: number;
  nowMs?: () => number;
  sleep?: Sleep;
}

/** A send in the window: when it left, or when it was answered; `answered` until then. */
interface Entry {
  at: number;
  answered: Promise<void> | null;
}

/** The longest a send's answer holds its place in the window (real time). */
const ANSWER_WAIT_MS = 30_000;

/** Call when the platform answered (or the request failed): the send counts from that moment. */
export type Release = () => void;

export class Pacer {
  private lastSlot = -Infinity;
  private pausedUntil = 0;
  /** The last `cap` sends, oldest first (a ring). */
  private readonly ring: Entry[] = [];
  private head = 0;
  /** The latest send. */
  private last: Entry | null = null;
  private readonly cap: number;
  private readonly windowMs: number;
  private readonly chatNext = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly nowMs: () => number;
  private readonly sleep: Sleep;
  /** Slots given out and pauses honoured, for tests and the benchmark. */
  readonly stats = { slots: 0, pauses: [] as number[] };

  constructor(private readonly opts: PacerOptions) {
    if (!(opts.ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    this.nowMs = opts.nowMs ?? (() => performance.now());
    this.sleep = opts.sleep ?? realSleep;
    // `cap` slots per window; for a rate under 1/s the window grows (cap 1 per 1/rate seconds).
    this.cap = Math.max(1, Math.floor(opts.ratePerSecond));
    this.windowMs = (1000 * this.cap) / opts.ratePerSecond;
  }

  get ratePerSecond(): number {
    return this.opts.ratePerSecond;
  }

  /**
   * Resolves when a message to `chat` may leave, with the function to call once it is answered;
   * slots are taken in call order. The request must leave at once.
   */
  acquire(chat: string): Promise<Release> {
    const take = async (): Promise<Release> => {
      const minGap = 1000 / this.opts.ratePerSecond / 4;
      // Loop: a pause may be ordered (a 429 elsewhere) while this one waits.
      let now: number;
      for (;;) {
        now = this.nowMs();
        const oldest = this.ring.length >= this.cap ? this.ring[this.head]! : null;
        // The oldest send of the window is not answered yet: it may still be on its way, so the
        // window cannot move on before its answer.
        if (oldest?.answered) {
          // Bounded: a request that never ends (a platform client without a time limit) must not
          // stop the platform's announcements; after this long it counts as answered now.
          let timer: NodeJS.Timeout | undefined;
          const gaveUp = await Promise.race([oldest.answered.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ANSWER_WAIT_MS)))]);
          clearTimeout(timer);
          if (gaveUp && oldest.answered) {
            oldest.at = this.nowMs();
            oldest.answered = null;
          }
          continue;
        }
        // The latest send not answered yet and left less than 1/rate ago: wait for its answer
        // (up to then), so that a 429 reaches the pacer before the next request leaves — a
        // request already on its way when the platform ordered a wait arrives inside it.
        const last = this.last;
        const lastDue = last?.answered ? last.at + 1000 / this.opts.ratePerSecond - now : 0;
        if (last?.answered && lastDue > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([last.answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, lastDue)))]);
          clearTimeout(timer);
          continue;
        }
        const windowFull = oldest ? oldest.at + this.windowMs : 0;
        const at = Math.max(now, this.lastSlot + minGap, windowFull, this.pausedUntil, this.chatNext.get(chat) ?? 0);
        // Within a microsecond counts as reached (a clock summing sleeps rounds), and the slot is
        // then taken at `at` itself, so the gaps it guarantees hold exactly.
        if (at - now <= 1e-3) {
          now = Math.max(now, at);
          break;
        }
        await this.sleep(at - now);
      }
      this.lastSlot = now;
      let answer!: () => void;
      const entry: Entry = { at: now, answered: new Promise<void>((resolve) => (answer = resolve)) };
      this.last = entry;
      if (this.ring.length < this.cap) this.ring.push(entry);
      else {
        this.ring[this.head] = entry;
        this.head = (this.head + 1) % this.cap;
      }
      if (this.opts.perChatMs > 0) {
        this.chatNext.set(chat, now + this.opts.perChatMs);
        if (this.chatNext.size > 10_000) this.forgetOld(now);
      }
      this.stats.slots++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // Counted from the answer: the latest moment the request can have reached the platform.
        const answeredAt = Math.max(entry.at, this.nowMs());
        entry.at = answeredAt;
        entry.answered = null;
        answer();
      };
    };
    const next = this.chain.then(take, take);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The platform said to wait `ms` (a 429): nothing goes out before then, to any chat. */
  pause(ms: number): void {
    this.stats.pauses.push(ms);
    this.pausedUntil = Math.max(this.pausedUntil, this.nowMs() + ms);
  }

  private forgetOld(now: number): void {
    for (const [chat, t] of this.chatNext) if (t <= now) this.chatNext.delete(chat);
  }
}
