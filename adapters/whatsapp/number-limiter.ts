/**
 * The business number's throughput: 80 messages per second by default (20 for a number also used
 * in the WhatsApp Business app), error 130429 beyond. One limiter per number in this process, on
 * the one path every request to /messages takes — replies, announcements, read marks — so they
 * share the number's second instead of each assuming it has it all.
 *
 * A sliding window, counted as Meta can only count it: by arrival. A request arrives somewhere
 * between leaving and its answer, so a request's place in the window is held until it is answered
 * and counted from the answer: the `rate`-th request after one leaves no sooner than a second
 * after that one was answered. Replies and read marks leave in call order, before any
 * announcement copy waiting (acquire's `bulk`), so a person chatting is not kept waiting by an
 * announcement: it takes what is left of each second.
 */
import { realSleep, type Sleep } from '../../src/core/index.js';

export interface NumberLimiterOptions {
  ratePerSecond: number;
  nowMs?: () => number;
  sleep?: Sleep;
}

/** Call once the request is answered (or failed). */
export type Done = () => void;

interface Slot {
  at: number;
  answered: Promise<void> | null;
}

/** Longest a request's answer holds its place (a client without a time limit must not stop all). */
const ANSWER_WAIT_MS = 30_000;

export class NumberLimiter {
  private readonly ring: Slot[] = [];
  private head = 0;
  private pausedUntil = 0;
  private readonly urgent: ((done: Done) => void)[] = [];
  private readonly bulk: ((done: Done) => void)[] = [];
  private pumping = false;
  private readonly nowMs: () => number;
  private readonly sleep: Sleep;
  private readonly cap: number;

  constructor(private readonly opts: NumberLimiterOptions) {
    if (!(opts.ratePerSecond >= 1)) throw new Error('ratePerSecond must be at least 1');
    this.cap = Math.floor(opts.ratePerSecond);
    this.nowMs = opts.nowMs ?? (() => performance.now());
    this.sleep = opts.sleep ?? realSleep;
  }

  /**
   * Resolves when a request may leave; call the returned function when it is answered. `bulk`
   * (announcement copies) waits behind every reply and read mark waiting: a person chatting with
   * the bot is answered first, an announcement takes what is left of the second.
   */
  acquire(opts: { bulk?: boolean } = {}): Promise<Done> {
    return new Promise<Done>((resolve) => {
      (opts.bulk ? this.bulk : this.urgent).push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  /** Gives out slots one at a time, replies before bulk, each when the window allows. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        if (this.urgent.length === 0 && this.bulk.length === 0) return;
        await this.nextSlot();
        const waiter = this.urgent.shift() ?? this.bulk.shift()!;
        waiter(this.take());
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Waits until the window and any pause allow one more request. */
  private async nextSlot(): Promise<void> {
    for (;;) {
      const oldest = this.ring.length >= this.cap ? this.ring[this.head]! : null;
      if (oldest?.answered) {
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = await Promise.race([oldest.answered.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), ANSWER_WAIT_MS)))]);
        clearTimeout(timer);
        if (gaveUp && oldest.answered) {
          oldest.at = this.nowMs();
          oldest.answered = null;
        }
        continue;
      }
      const now = this.nowMs();
      const at = Math.max(now, oldest ? oldest.at + 1000 : 0, this.pausedUntil);
      if (at - now <= 1e-3) return;
      await this.sleep(at - now);
    }
  }

  private take(): Done {
    let answer!: () => void;
    const slot: Slot = { at: this.nowMs(), answered: new Promise<void>((r) => (answer = r)) };
    if (this.ring.length < this.cap) this.ring.push(slot);
    else {
      this.ring[this.head] = slot;
      this.head = (this.head + 1) % this.cap;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      slot.at = Math.max(slot.at, this.nowMs());
      slot.answered = null;
      answer();
    };
  }

  /** WhatsApp answered 130429 anyway: nothing leaves for `ms`. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.nowMs() + ms);
  }
}
