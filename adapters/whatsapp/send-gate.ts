/**
 * What every message to a person passes before it leaves, and what its refusal teaches: the
 * account's pause (368, 190: sending-pause.ts), the person's bucket (131056: pair-pacer.ts) and
 * the number's second (130429: number-limiter.ts, applied by CloudApi to every request).
 *
 * A message that must wait for the person's bucket is not held here: it is handed back at once
 * as a PlatformError. A reply's says how long (retryAfterMs): the outbox keeps it, in order, and
 * sends it then, so the webhook and other people's replies never wait for it. An announcement
 * copy's says nothing: the announcement tries that copy again after its own short backoff,
 * whereas a wait would pause the whole platform's announcement for one busy person.
 */
import type { Logger } from '../../src/core/index.js';
import { CloudError, CODES } from './cloud-api.js';
import { NumberLimiter } from './number-limiter.js';
import { PairPacer } from './pair-pacer.js';
import type { WhatsAppPacing } from './pacing-config.js';
import { SendingPause } from './sending-pause.js';

export class SendGate {
  readonly pair: PairPacer;
  readonly number: NumberLimiter;
  readonly pause: SendingPause;
  /** Messages handed back to wait for a person's bucket (for tests and the benchmark). */
  deferred = 0;

  private readonly pairIntervalMs: number;

  /** `nowMs`: the core's clock, so a person's bucket refills on the time the outbox waits by. */
  constructor(pacing: WhatsAppPacing, logger: Logger, nowMs?: () => number) {
    this.pairIntervalMs = pacing.pairIntervalMs;
    this.pair = new PairPacer({ intervalMs: pacing.pairIntervalMs, burst: pacing.pairBurst, nowMs });
    this.number = new NumberLimiter({ ratePerSecond: pacing.ratePerSecond });
    this.pause = new SendingPause({ pauseMs: pacing.pauseMs, logger });
  }

  /**
   * Sends one message to `chat` through `send`. `reply`: the outbox's send (a wait is handed back
   * with its length); else an announcement copy's.
   */
  async message<T>(chat: string, reply: boolean, send: () => Promise<T>): Promise<T> {
    const trying = await this.pause.admit();
    try {
      const wait = this.pair.take(chat);
      if (wait > 0) {
        this.deferred++;
        throw new CloudError('paced', null, undefined, reply ? wait : undefined);
      }
      const result = await send();
      this.pause.succeeded();
      return result;
    } catch (err) {
      if (!(err instanceof CloudError)) throw err;
      // Meta counted more than we did (another instance, or a stricter count): learn from it.
      // The person's bucket is empty now: their next message may go in one interval.
      if (err.waCode === CODES.pairRate) {
        this.pair.exhausted(chat);
        throw new CloudError('rate-limited', err.httpStatus, err.waCode, this.pairIntervalMs);
      }
      if (err.waCode === CODES.throughput) this.number.pause(1_000);
      throw this.pause.failed(err);
    } finally {
      if (trying) this.pause.settle();
    }
  }
}
