/**
 * Messages the bot starts — a review decision, a request for a revision, an announcement — as
 * opposed to replies. Each is stored first, then sent in the person's own language on their own
 * platform. A platform may forbid starting a conversation at some times (Messenger: only within 24
 * hours of the person's last message): the notice is then held, and sent when the person writes
 * again.
 */
import type { Reply } from '../flow/replies.js';
import type { ParticipantRecord } from '../domain/records.js';
import type { BotStore } from './ports.js';
import type { ConversationRef, OutboundMessage, Platform } from './types.js';
import type { Renderer, TextVars } from './render.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

/** Whether the bot may start a message to this person now. */
export type InitiationPolicy = (participant: ParticipantRecord, now: Date) => boolean;

export type NoticeOutcome = 'sent' | 'held' | 'failed' | 'gone';

export interface NotifierDeps {
  store: BotStore;
  renderer: Renderer;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  sender: (platform: Platform) => ((ref: ConversationRef, m: OutboundMessage) => Promise<void>) | undefined;
  /** Values every text may use on that platform (how commands are typed there). */
  vars: (platform: Platform) => TextVars;
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

  async notify(participantId: string, notice: Reply): Promise<NoticeOutcome> {
    const { store } = this.deps;
    const participant = await store.participantById(participantId);
    if (!participant || participant.erasedAt) return 'gone';
    const now = this.deps.clock();
    const allowed = this.policies.get(participant.platform)?.(participant, now) ?? true;
    const id = await store.enqueueNotice({ participantId, notice, status: allowed ? 'pending' : 'held', at: now });
    if (id === '') return 'gone';
    if (!allowed) {
      this.deps.metrics.inc('notices_total', { platform: participant.platform, outcome: 'held' });
      return 'held';
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
    for (const n of held) if ((await this.send(participant, n.id, n.notice as Reply)) === 'sent') sent++;
    return sent;
  }

  private async send(participant: ParticipantRecord, id: string, notice: Reply): Promise<NoticeOutcome> {
    const { store, renderer, logger, metrics } = this.deps;
    const sender = this.deps.sender(participant.platform);
    const now = this.deps.clock();
    try {
      if (!sender) throw new Error(`no sender for ${participant.platform}`);
      await sender(privateRef(participant), { ...renderer.reply(notice, participant.locale, this.deps.vars(participant.platform)), initiated: true });
      await store.markNotice(id, 'sent', now);
      metrics.inc('notices_total', { platform: participant.platform, outcome: 'sent' });
      return 'sent';
    } catch (err) {
      // Kept as failed: sent again with the held ones when the person next writes.
      await store.markNotice(id, 'failed', now).catch(() => undefined);
      metrics.inc('notices_total', { platform: participant.platform, outcome: 'failed' });
      logger.warn('notice not sent', { platform: participant.platform, err });
      return 'failed';
    }
  }
}
