/**
 * Who an event is about when the platform names the person in more than one way, and events that
 * no conversation step commits:
 * - receipts (WhatsApp's delivery statuses) are handled once per event id: the platform
 *   redelivers them for days, and a redelivered failure must not mark, count or log again;
 * - aliases: another id the platform knows a participant by (WhatsApp: the phone number beside
 *   the BSUID), stored as a keyed hash only, so that an event naming only the alias (a failed
 *   status with `recipient_id` alone) reaches the participant;
 * - a change of id (WhatsApp: a new BSUID after a change of number) moves the participant and
 *   the conversation to the new id.
 * The Dispatcher exposes these as BotCore operations; it knows no platform.
 */
import type { IdChange, IdentityStore, ConversationStore } from './ports.js';
import type { ConversationRef, Platform } from './types.js';
import { AppError } from './errors.js';
import { aliasKey, conversationKey, eventClaim } from './conversation-key.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface IdentitiesDeps {
  store: IdentityStore & Pick<ConversationStore, 'eventProcessed' | 'claimEvent'>;
  secret: string;
  /** The dispatcher's queue: a change of id waits for the events in progress on both ids. */
  queue: KeyedQueue;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  /** How many confirmed alias links are remembered, so a person's next messages write nothing. */
  remembered?: number;
}

const storageError = (doing: string) => (err: unknown) => {
  throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', `could not ${doing}`, { cause: err });
};

export class Identities {
  /** userKey → aliasKey already stored: most messages carry the same pair again. Bounded, LRU. */
  private readonly linked = new Map<string, string>();

  constructor(private readonly deps: IdentitiesDeps) {}

  /**
   * Runs `run` once per receipt: false, running nothing, when the event was handled before. The
   * claim is written after `run` succeeds, so a failure (the database down: the webhook answers
   * 503) leaves it unclaimed and the redelivery runs it again; a crash between the two runs it
   * again too (at least once). Two deliveries at the same time wait for each other.
   */
  onceForEvent(platform: Platform, eventId: string, run: () => Promise<void>): Promise<boolean> {
    const claim = { platform, id: eventClaim(this.deps.secret, platform, eventId) };
    return this.deps.queue.run(`receipt\0${claim.id}`, async () => {
      if (await this.deps.store.eventProcessed(claim).catch(storageError('read the event claims'))) {
        this.deps.metrics.inc('redeliveries_total', { platform, kind: 'receipt' });
        return false;
      }
      await run();
      await this.deps.store.claimEvent(claim).catch(storageError('claim the event'));
      return true;
    });
  }

  /**
   * Links `alias` to the participant behind `ref` (nothing before they consented). In the
   * conversation's queue: an erasure (/delete, a step there) never runs between the store's
   * look at the participant and its write, so no alias outlives the person.
   */
  async rememberAlias(ref: ConversationRef, alias: string): Promise<void> {
    const userKey = conversationKey(this.deps.secret, ref);
    const key = aliasKey(this.deps.secret, ref.platform, alias);
    if (this.linked.get(userKey) === key) return;
    const stored = await this.deps.queue.run(userKey, () =>
      this.deps.store.linkAlias({ platform: ref.platform, userId: ref.userId, aliasKey: key, at: this.deps.clock() }).catch(storageError('link an alias')),
    );
    if (!stored) return;
    this.linked.delete(userKey);
    this.linked.set(userKey, key);
    if (this.linked.size > (this.deps.remembered ?? 10_000)) this.linked.delete(this.linked.keys().next().value!);
  }

  /** The person behind `ref` was erased: their next consent links the alias afresh. */
  forget(ref: ConversationRef): void {
    this.linked.delete(conversationKey(this.deps.secret, ref));
  }

  /** The user id of the participant `alias` is linked to, or null. */
  userIdByAlias(platform: Platform, alias: string): Promise<string | null> {
    return this.deps.store.userIdByAlias(platform, aliasKey(this.deps.secret, platform, alias)).catch(storageError('read an alias'));
  }

  /**
   * The person's id changed from `from` to `to` (both user ids of a private chat): their
   * participant and conversation move, in the queues of both conversations so no event of either
   * is half-processed meanwhile. Idempotent: a redelivery finds nothing under the old id.
   */
  changeUserId(platform: Platform, from: string, to: string): Promise<IdChange> {
    const fromRef: ConversationRef = { platform, chatId: from, userId: from };
    const toRef: ConversationRef = { platform, chatId: to, userId: to };
    const fromKey = conversationKey(this.deps.secret, fromRef);
    const toKey = conversationKey(this.deps.secret, toRef);
    if (fromKey === toKey) return Promise.resolve('unknown');
    return this.deps.queue.run(fromKey, () =>
      this.deps.queue.run(toKey, async () => {
        const outcome = await this.deps.store.changeUserId({ from: fromRef, to: toRef, fromKey, toKey, at: this.deps.clock() }).catch(storageError('change a user id'));
        this.deps.metrics.inc('user_id_changes_total', { platform, outcome });
        // The pseudonymous keys only: both ids name the person.
        if (outcome !== 'unknown') this.deps.logger.info('user id changed', { from: fromKey, to: toKey, outcome });
        this.linked.delete(fromKey);
        return outcome;
      }),
    );
  }
}
