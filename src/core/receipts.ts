/**
 * Delivery receipts. Some platforms accept a message, name it (the adapter returns the id:
 * SendAccepted), and only later report that it could not be delivered (outside the window,
 * undeliverable). A notice or an announcement copy the platform accepted is counted `sent` at
 * once; its receipt — the platform's id as a keyed hash, never the id itself (an id may encode
 * the person's phone number) — lets that later report correct it: the notice is held again and
 * goes when the person next writes, the copy is counted unreachable, so the organisers' figures
 * tell the truth. Replies get no receipt (a write per reply): their late failures are only counted.
 */
import { createHmac } from 'node:crypto';
import type { SendAccepted } from './adapter.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { ReceiptFailure, ReceiptStore } from './ports.js';
import type { Platform } from './types.js';

/** A platform's report that a message it had accepted was not delivered. */
export interface DeliveryFailure {
  platform: Platform;
  /** The id the platform gave the message when it accepted it. */
  platformId: string;
  /** The platform's code (`<platform>:<code>`), stored as the notice's reason. */
  reason: string;
}

/** The stored key of a receipt: a keyed hash of the platform's message id. */
export function receiptKey(secret: string, platform: Platform, platformId: string): string {
  return createHmac('sha256', secret).update(`receipt\0${platform}\0${platformId}`).digest('base64url').slice(0, 32);
}

/** What was sent, for whom, and what the platform named it. */
export interface AcceptedSend {
  platform: Platform;
  accepted: SendAccepted | void;
  participantId: string;
  noticeId?: string;
  deliveryId?: number;
}

export interface ReceiptsDeps {
  store: ReceiptStore;
  secret: string;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}

export class Receipts {
  constructor(private readonly deps: ReceiptsDeps) {}

  /**
   * Stores a receipt per id the platform gave (nothing when it gave none). Never throws: the
   * message went out, and a receipt not stored only leaves a later failure uncorrected (logged).
   */
  async remember(input: AcceptedSend): Promise<void> {
    const ids = input.accepted?.platformIds ?? [];
    if (ids.length === 0) return;
    const keys = ids.map((id) => receiptKey(this.deps.secret, input.platform, id));
    await this.deps.store
      .rememberReceipts({ keys, participantId: input.participantId, noticeId: input.noticeId, deliveryId: input.deliveryId, at: this.deps.clock() })
      .catch((err: unknown) => this.deps.logger.warn('send receipt not stored', { platform: input.platform, err }));
  }

  /**
   * The platform says a message it accepted failed. Idempotent: the receipt is used once, so a
   * redelivered report (or one for a notice since sent again under another id) changes nothing.
   */
  async failed(input: DeliveryFailure): Promise<ReceiptFailure> {
    const key = receiptKey(this.deps.secret, input.platform, input.platformId);
    const outcome = await this.deps.store.failReceipt(key, input.reason, this.deps.clock());
    const kind = outcome === 'none' ? 'reply' : outcome === 'unchanged' ? null : outcome;
    if (kind) this.deps.metrics.inc('deliveries_failed_after_send_total', { platform: input.platform, kind });
    if (outcome === 'notice' || outcome === 'announcement') this.deps.logger.info('a message counted as sent was not delivered', { platform: input.platform, kind: outcome, reason: input.reason });
    return outcome;
  }
}
