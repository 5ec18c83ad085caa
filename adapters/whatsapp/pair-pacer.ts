/**
 * WhatsApp's pair rate limit, kept per person: about one message every 6 s from the business
 * number to one person (error 131056). Meta lets a burst through — up to about 45 messages in 6 s
 * — but counts it as time borrowed: the person then cannot be written to until the burst is paid
 * back at one per 6 s. That is a token bucket, and this is one per person: `burst` messages at
 * once (a reply of two or three parts goes out together), then one per `intervalMs`.
 *
 * The bucket never waits: `take` says at once whether a message may leave now, or how long until
 * it may. Replies are sent by the outbox, in the person's conversation queue; a reply that must
 * wait is handed back with that wait (the outbox keeps it, in order, and sends it then), so
 * neither the webhook nor anyone else's replies wait for one person's bucket.
 *
 * Memory is bounded: a bucket that has filled up again is the same as no bucket, so idle people
 * are forgotten (swept as the map grows).
 */
export interface PairPacerOptions {
  /** One message per this long to one person, on average (Meta: 6 s). */
  intervalMs: number;
  /** Messages that may go at once to a person who was quiet (ours stays well under Meta's 45). */
  burst: number;
  nowMs?: () => number;
  /** People remembered before the idle ones are swept (default 10,000). */
  sweepAt?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class PairPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly nowMs: () => number;
  private sweepAt: number;

  constructor(private readonly opts: PairPacerOptions) {
    if (!(opts.intervalMs > 0) || !(opts.burst >= 1)) throw new Error('PairPacer needs a positive interval and a burst of at least 1');
    this.nowMs = opts.nowMs ?? (() => performance.now());
    this.sweepAt = opts.sweepAt ?? 10_000;
  }

  /** The bucket of `chat` now (refilled for the time passed), or a full one. */
  private bucket(chat: string, now: number): Bucket {
    const b = this.buckets.get(chat);
    if (!b) return { tokens: this.opts.burst, at: now };
    const tokens = Math.min(this.opts.burst, b.tokens + (now - b.at) / this.opts.intervalMs);
    return { tokens, at: now };
  }

  /** 0 when a message to `chat` may leave now (it is counted); else the ms to wait (nothing counted). */
  take(chat: string): number {
    const now = this.nowMs();
    const b = this.bucket(chat, now);
    if (b.tokens < 1) return this.waitOf(b.tokens);
    b.tokens -= 1;
    this.buckets.set(chat, b);
    if (this.buckets.size > this.sweepAt) this.sweep(now);
    return 0;
  }

  /** How long until a message to `chat` may leave (0: now), without taking anything. */
  waitFor(chat: string): number {
    const b = this.bucket(chat, this.nowMs());
    return b.tokens >= 1 ? 0 : this.waitOf(b.tokens);
  }

  /** Whole milliseconds until the next token (a hair of float error is not a millisecond more). */
  private waitOf(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) * this.opts.intervalMs - 1e-6));
  }

  /**
   * WhatsApp answered 131056 anyway (another instance wrote to them, or Meta counts more
   * strictly): the person's bucket is empty, so the next message waits a whole interval.
   */
  exhausted(chat: string): void {
    this.buckets.set(chat, { tokens: 0, at: this.nowMs() });
  }

  /** People with a bucket not yet full again (for tests and the benchmark). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [chat, b] of this.buckets) {
      if (b.tokens + (now - b.at) / this.opts.intervalMs >= this.opts.burst) this.buckets.delete(chat);
    }
    // Everyone busy at once: remember more rather than forget someone mid-burst.
    this.sweepAt = Math.max(this.opts.sweepAt ?? 10_000, this.buckets.size * 2);
  }
}
