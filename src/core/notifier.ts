/**
 * Messages the bot starts — a review decision, a request for a revision, an announcement — as
 * opposed to replies. Each is stored first, then sent in the person's own language on their own
 * platform. A platform may forbid starting a conversation at some times (Messenger: only within 24
 * hours of the person's last message): the notice is then held, and sent when the person writes
 * again. So is a notice for a person the platform says cannot be reached (they blocked the bot):
 * it is held, never marked sent, and goes out when they next write.
 *
 * For other features that start messages (announcements, reminders): call `notify` per person and
 * read its outcome; `releaseHeld` runs by itself after each message a person sends.
 */
import type { Reply } from '../flow/replies.js';
import type { ParticipantRecord } from '../domain/records.js';
import type { NoticeStore } from './ports.js';
import type { ConversationRef, OutboundMessage, Platform } from './types.js';
import type { Renderer, TextVars } from './render.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { classifySendFailure } from './errors.js';
import type { SendAccepted } from './adapter.js';
import type { AcceptedSend } from './receipts.js';

/** Whether the bot may start a message to this person now. */
export type InitiationPolicy = (participant: ParticipantRecord, now: Date) => boolean;

/**
 * sent · held (a platform window: told when they write) · unreachable (the platform says the
 * person cannot be reached now, e.g. blocked the bot: held, told when they write) · failed (a
 * passing failure: sent again when they write) · refused (the platform refused this message for
 * good) · gone (erased or unknown: nothing stored).
 */
export type NoticeOutcome = 'sent' | 'held' | 'unreachable' | 'failed' | 'refused' | 'gone';

export interface NoticeResult {
  outcome: NoticeOutcome;
  /** Why it was not sent: a platform code (telegram:403), `window` or `unreachable`. */
  reason?: string;
}

/** Notice reasons that are not a platform's code. */
export const HELD_BY_WINDOW = 'window';
export const HELD_UNREACHABLE = 'unreachable';

export interface NotifierDeps {
  store: NoticeStore;
  renderer: Renderer;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  sender: (platform: Platform) => ((ref: ConversationRef, m: OutboundMessage) => Promise<SendAccepted | void>) | undefined;
  /**
   * Keeps the receipt of a notice the platform accepted under an id it named (src/core/receipts.ts):
   * a failure it reports later holds the notice again. Never throws.
   */
  onAccepted?: (sent: AcceptedSend) => Promise<void>;
  /** Values every text may use on that platform (how commands are typed there). */
  vars: (platform: Platform) => TextVars;
  /** The platform refused the person for good: store it on them (the dispatcher does). */
  onUnreachable: (ref: ConversationRef, reason: string) => Promise<void>;
}

/** A participant's private conversation is addressed by their platform user id on every platform. */
export function privateRef(p: ParticipantRecord): ConversationRef {
  return { platform: p.platform, chatId: p.platformUserId, userId: p.platformUserId };
}

export class Notifier {
  private readonly policies = new Map<Platform, InitiationPolicy>();

  constructor(private readonly deps: NotifierDeps) {}

  setPolicy(platform: Platform, policy: InitiationPolicy): void {
    this.policies.set(platform, policy);
  }

  /** Stores the notice, then sends it or holds it. */
  async notify(participantId: string, notice: Reply): Promise<NoticeOutcome> {
    return (await this.notifyDetailed(participantId, notice)).outcome;
  }

  /** The same, with the reason a notice was held, failed or refused (a platform code, `window`, `unreachable`). */
  async notifyDetailed(participantId: string, notice: Reply): Promise<NoticeResult> {
    const { store } = this.deps;
    const participant = await store.participantById(participantId);
    if (!participant || participant.erasedAt) return { outcome: 'gone' };
    const now = this.deps.clock();
    // Known unreachable (stored, by any instance): do not even try — a blocked Telegram chat only
    // earns 403s. Held until they write, which clears the mark.
    const unreachable = Boolean(participant.unreachableAt);
    const allowed = !unreachable && (this.policies.get(participant.platform)?.(participant, now) ?? true);
    const reason = unreachable ? HELD_UNREACHABLE : allowed ? null : HELD_BY_WINDOW;
    const id = await store.enqueueNotice({ participantId, notice, status: allowed ? 'pending' : 'held', reason, at: now });
    if (id === '') return { outcome: 'gone' };
    if (!allowed) {
      this.deps.metrics.inc('notices_total', { platform: participant.platform, outcome: unreachable ? 'unreachable' : 'held' });
      return { outcome: unreachable ? 'unreachable' : 'held', reason: reason ?? undefined };
    }
    return this.send(participant, id, notice);
  }

  /**
   * Sends what waits for this person — held by a platform window, or failed before (their
   * platform was down, or not configured where the decision was made). Called after they wrote:
   * a window is open again and their platform answers.
   */
  async releaseHeld(participant: ParticipantRecord): Promise<number> {
    const held = await this.deps.store.noticesFor(participant.id, ['held', 'failed']);
    let sent = 0;
    for (const n of held) {
      const { outcome } = await this.send(participant, n.id, n.notice as Reply);
      if (outcome === 'sent') sent++;
      // Unreachable again: the rest would only be refused too; they stay held.
      if (outcome === 'unreachable') break;
    }
    return sent;
  }

  private async send(participant: ParticipantRecord, id: string, notice: Reply): Promise<NoticeResult> {
    const { store, renderer, logger, metrics } = this.deps;
    const sender = this.deps.sender(participant.platform);
    const now = this.deps.clock();
    try {
      if (!sender) throw new Error(`no sender for ${participant.platform}`);
      const accepted = await sender(privateRef(participant), { ...renderer.reply(notice, participant.locale, this.deps.vars(participant.platform)), initiated: true });
      // The receipt before the mark: a failure the platform reports later finds the notice.
      await this.deps.onAccepted?.({ platform: participant.platform, accepted, participantId: participant.id, noticeId: id });
      await store.markNotice(id, 'sent', now, null);
      metrics.inc('notices_total', { platform: participant.platform, outcome: 'sent' });
      return { outcome: 'sent' };
    } catch (err) {
      const f = classifySendFailure(err);
      logger.warn('notice not sent', { platform: participant.platform, reason: f.reason, err });
      if (f.kind === 'refused' && f.refusal === 'recipient') {
        // Never `sent`: held (with the platform's code) until the person writes again.
        await store.markNotice(id, 'held', now, f.reason).catch(() => undefined);
        await this.deps.onUnreachable(privateRef(participant), f.reason).catch(() => undefined);
        metrics.inc('notices_total', { platform: participant.platform, outcome: 'unreachable' });
        return { outcome: 'unreachable', reason: f.reason };
      }
      if (f.kind === 'refused') {
        await store.markNotice(id, 'refused', now, f.reason).catch(() => undefined);
        metrics.inc('notices_total', { platform: participant.platform, outcome: 'refused' });
        return { outcome: 'refused', reason: f.reason };
      }
      // Kept as failed: sent again with the held ones when the person next writes.
      await store.markNotice(id, 'failed', now, f.reason).catch(() => undefined);
      metrics.inc('notices_total', { platform: participant.platform, outcome: 'failed' });
      return { outcome: 'failed', reason: f.reason };
    }
  }
}
