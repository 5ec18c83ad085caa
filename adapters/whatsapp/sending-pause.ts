/**
 * When WhatsApp says that sending itself is impossible for a while, every send of this number
 * stops, replies and announcements alike, instead of each one asking again and being refused:
 * - 368, the account temporarily blocked for a policy violation: more messages now can only make
 *   it worse. Sending pauses for `pauseMs`; then one send tries again (and pauses again if still
 *   blocked).
 * - 190, the access token expired or was revoked: nothing can go until the operator renews
 *   WHATSAPP_TOKEN (and restarts). Paused the same way.
 * While paused, a send is refused at once with the time left as its wait (a PlatformError with
 * retryAfterMs): the outbox keeps the reply, in order, and sends it when the pause ends; the
 * announcements' pacer pauses the platform. When it ends, one send tries first; the rest follow
 * its answer. The operator is told once per pause, at error level,
 * not once per message: a busy bot would otherwise write hundreds of identical alerts.
 */
import type { Logger } from '../../src/core/index.js';
import { CloudError } from './cloud-api.js';

export interface SendingPauseOptions {
  /** How long sending stops after a 368 or a 190 (default 10 minutes). */
  pauseMs: number;
  logger: Logger;
  nowMs?: () => number;
}

type Why = 'blocked' | 'auth';

export class SendingPause {
  private until = 0;
  private why: Why | null = null;
  /** The cause of the alert last written; cleared by a send that goes through. */
  private alerted: Why | null = null;
  private readonly nowMs: () => number;
  /** The one send trying after a pause, answered when it settles. */
  private probe: Promise<void> | null = null;
  private endProbe: (() => void) | null = null;
  /** Alerts written (for tests and the benchmark). */
  alerts = 0;

  constructor(private readonly opts: SendingPauseOptions) {
    this.nowMs = opts.nowMs ?? (() => Date.now());
  }

  /**
   * Before a send: throws the pause's own error (with the time left) while sending is paused.
   * When a pause has just ended, one send tries first (true: call `settle` once it is answered)
   * and the others wait for its answer, instead of all asking a blocked account at once.
   */
  async admit(): Promise<boolean> {
    for (;;) {
      const left = this.until - this.nowMs();
      if (this.why && left > 0) throw this.errorFor(this.why, left);
      if (!this.why) return false;
      if (!this.probe) break;
      await this.probe;
    }
    this.probe = new Promise<void>((resolve) => (this.endProbe = resolve));
    return true;
  }

  /** The trying send was answered (whatever the answer: `failed` has set a new pause if needed). */
  settle(): void {
    this.probe = null;
    this.endProbe?.();
    this.endProbe = null;
  }

  /** A send went through: the pause is over, and the next refusal is a new burst, worth a new alert. */
  succeeded(): void {
    this.why = null;
    this.alerted = null;
  }

  /**
   * A send failed: a 368 or a 190 starts a pause, and the error returned carries its length as the
   * wait (the outbox keeps the reply for then, and counts no attempt); others pass unchanged.
   */
  failed(err: CloudError): CloudError {
    const why: Why | null = err.kind === 'blocked' ? 'blocked' : err.kind === 'auth' ? 'auth' : null;
    if (!why) return err;
    this.until = this.nowMs() + this.opts.pauseMs;
    this.why = why;
    if (this.alerted !== why) {
      this.alerted = why;
      this.alerts++;
      const minutes = Math.round(this.opts.pauseMs / 6_000) / 10;
      // An operator alert: error level, once per burst, naming what to do.
      if (why === 'auth') this.opts.logger.error('whatsapp token refused (190): renew WHATSAPP_TOKEN and restart; sending paused, replies kept', { code: err.waCode, pauseMinutes: minutes });
      else this.opts.logger.error('whatsapp account temporarily blocked (368): all sending paused, replies kept; see the WhatsApp Manager for the policy notice', { code: err.waCode, pauseMinutes: minutes });
    }
    return this.errorFor(why, this.opts.pauseMs, err.httpStatus, err.waCode);
  }

  private errorFor(why: Why, waitMs: number, status: number | null = null, code?: number): CloudError {
    return new CloudError(why, status, code, Math.max(1, Math.ceil(waitMs)));
  }
}
