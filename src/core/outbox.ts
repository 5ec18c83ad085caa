/**
 * The outbox: replies are committed with the step that produced them (Conversation.pending), then
 * sent. Its rules, so that a reply is never stuck and never repeated without need:
 *
 * - Each pending reply has an id and is acknowledged by id as soon as it is sent, whoever moved
 *   the conversation on meanwhile; a reply split into parts remembers the parts already sent.
 * - The process that commits (or re-reads and claims) replies holds a lease on them, naming itself
 *   (src/core/lease-holders.ts): nobody else sends them until it ends or the holder stops beating.
 *   A second instance that lost the race for an event, a redelivery and the periodic flush
 *   therefore never send what a live process is sending right now; a dead one's replies are
 *   taken over within seconds.
 * - Replies go in order: a claim stops at the first reply that must wait (held by another live
 *   process, a backoff, a retry_after), and the holder, once done, sends what was queued behind it.
 * - A platform's refusal for good is dead-lettered at once with its code (no text is kept); a
 *   refusal of the recipient (blocked, gone, outside a window) dead-letters the rest of the batch
 *   and marks the person unreachable, so nothing waits behind it.
 * - A passing failure is retried by the periodic flush with a growing backoff (and never before a
 *   platform's retry_after), and dead-lettered after `maxAttempts`. A wait the platform or the
 *   adapter's pacer orders (retryAfterMs) is no attempt: the reply keeps its place and is sent
 *   when the wait ends (the dispatcher's wake, outbox-wakes.ts).
 *
 * A reply can still go out twice: if a process dies (or stalls past its lease) after the platform
 * accepted a reply but before the acknowledgement was stored. That is the at-least-once promise.
 */
import { randomUUID } from 'node:crypto';
import type { DeadLetter, OutboxMeta, OutboxStore, PendingReply } from './ports.js';
import type { ConversationRef, OutboundMessage, Platform } from './types.js';
import type { SendAccepted } from './adapter.js';
import { classifySendFailure } from './errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { HolderView } from './lease-holders.js';

/** An adapter's send; what the platform named the message (SendAccepted) is read by the notifier only. */
export type Sender = (ref: ConversationRef, message: OutboundMessage) => Promise<SendAccepted | void>;

export interface OutboxPolicy {
  /**
   * How long a process may take to send what it claimed before others may send it (default 2 min),
   * while it is alive; a holder that stops beating has its replies taken over sooner (lease-holders.ts).
   */
  leaseMs: number;
  /** Failed attempts after which a reply is dead-lettered (default 8: about two hours of retries). */
  maxAttempts: number;
  /** Backoff after the 2nd failure (the 1st is retried at the next flush), doubled each time. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = { leaseMs: 120_000, maxAttempts: 8, backoffMs: 60_000, maxBackoffMs: 3_600_000 };

export interface OutboxDeps {
  store: OutboxStore;
  clock: () => Date;
  metrics: Metrics;
  logger: Logger;
  sender: (platform: Platform) => Sender | undefined;
  /** The platform refused the recipient for good: mark them unreachable (stored). */
  onUnreachable: (ref: ConversationRef, reason: string) => Promise<void>;
  policy?: Partial<OutboxPolicy>;
  /**
   * A reply of this conversation waits until `at` (a platform's or a pacer's wait): flush it then,
   * in the conversation's queue. Absent: the periodic flush sends it.
   */
  wake?: (key: string, at: Date) => void;
  /** This process's holder id and who else is alive (default: a view of its own, knowing nobody). */
  holders?: HolderView;
}

/** The replies of a conversation after a claim: what to store, and which ids this process sends. */
export interface Claimed {
  pending: PendingReply[];
  claimed: string[];
  dueAt: Date | null;
}

type Outcome = { sent: true } | { dead: DeadLetter } | { failed: OutboxMeta & { fromPart: number } } | { released: true };

const after = (iso: string | undefined, now: Date) => iso !== undefined && Date.parse(iso) > now.getTime();

/** A reply as stored, with an id (replies stored before ids existed get one here). */
function withId(r: PendingReply): PendingReply & { outbox: OutboxMeta } {
  return r.outbox?.id ? (r as PendingReply & { outbox: OutboxMeta }) : { ...r, outbox: { ...r.outbox, id: randomUUID() } };
}

/** What an adapter is given: the message without the outbox's bookkeeping. */
function toMessage(r: PendingReply): OutboundMessage {
  const { outbox: _meta, ...message } = r;
  return message;
}

export class Outbox {
  readonly policy: OutboxPolicy;
  readonly holders: HolderView;

  constructor(private readonly deps: OutboxDeps) {
    this.policy = { ...DEFAULT_OUTBOX_POLICY, ...deps.policy };
    this.holders = deps.holders ?? new HolderView(deps.clock);
  }

  /**
   * Whether another live process is sending this reply. Our own lease is never in flight here:
   * everything that sends runs in the conversation's queue, one at a time (a lease of ours left
   * by an acknowledgement that could not be stored is taken again).
   */
  private heldElsewhere(meta: OutboxMeta, now: Date): boolean {
    if (!after(meta.lease, now)) return false;
    if (meta.holder === undefined) return true; // stored before holders: waited out
    return meta.holder !== this.holders.self && this.holders.alive(meta.holder);
  }

  /**
   * Claims, in order, the replies this process may send now: not leased by another live process,
   * not under a platform's retry_after, and (for the periodic flush) past their backoff. Claiming
   * stops at the first reply that must wait, so later replies never overtake it (a fresh reply
   * behind one that another process is sending is sent by that process when it is done).
   */
  claim(stored: PendingReply[], fresh: OutboundMessage[], opts: { backoff: boolean; takeOver?: boolean }): Claimed {
    const now = this.deps.clock();
    const lease = new Date(now.getTime() + this.policy.leaseMs).toISOString();
    const pending: PendingReply[] = [];
    const claimed: string[] = [];
    let waiting = false;
    for (const r of [...stored, ...fresh.map((m) => ({ ...m, outbox: { id: randomUUID() } }))]) {
      const item = withId(r);
      const meta = item.outbox;
      if (waiting || (!opts.takeOver && this.heldElsewhere(meta, now)) || after(meta.waitUntil, now) || (opts.backoff && after(meta.retryAt, now))) {
        waiting = true;
        pending.push(item);
      } else {
        pending.push({ ...item, outbox: { ...meta, lease, holder: this.holders.self } });
        claimed.push(meta.id);
      }
    }
    return { pending, claimed, dueAt: this.dueAt(pending, now) };
  }

  /**
   * The earliest time the flush should look again: when the first reply is due (after its lease,
   * backoff and wait); the others go in order behind it. A dead holder's lease is taken over
   * before that by the lease keeper (lease-holders.ts).
   */
  private dueAt(pending: PendingReply[], now: Date): Date | null {
    const m = pending[0]?.outbox;
    if (!pending[0]) return null;
    return new Date(Math.max(now.getTime(), ...[m?.lease, m?.retryAt, m?.waitUntil].filter((x): x is string => x !== undefined).map(Date.parse)));
  }

  /**
   * Sends the claimed replies in order (the others are another process's), then stores what
   * happened. `version` is the conversation's version at which `pending` is stored. True when
   * every claimed reply was delivered.
   */
  async deliver(key: string, ref: ConversationRef, version: number, pending: PendingReply[], claimed: string[]): Promise<boolean> {
    if (claimed.length === 0) return true;
    const { metrics, logger } = this.deps;
    const mine = new Set(claimed);
    const outcomes = new Map<string, Outcome>();
    const sender = this.deps.sender(ref.platform);
    // After a reply fails: 'transient' keeps the rest for later, in order; 'dead' gives up on the
    // rest of the batch too (the recipient is refused, or the platform failed past the cap).
    let stop: 'transient' | 'dead' | null = null;
    let unreachable = false;
    let stopReason = '';
    let wakeAt: Date | null = null;
    for (const r of pending) {
      const meta = r.outbox!;
      if (!mine.has(meta.id)) continue;
      if (stop === 'dead') {
        outcomes.set(meta.id, { dead: this.deadLetter(key, ref, r, stopReason) });
        continue;
      }
      if (stop === 'transient') {
        outcomes.set(meta.id, { released: true });
        continue;
      }
      try {
        if (!sender) throw new Error(`no sender for ${ref.platform}`);
        const sending = performance.now();
        await sender(ref, toMessage(r));
        metrics.observe('platform_send_seconds', { platform: ref.platform }, (performance.now() - sending) / 1000);
        outcomes.set(meta.id, { sent: true });
      } catch (err) {
        const f = classifySendFailure(err);
        if (f.kind === 'refused') {
          outcomes.set(meta.id, { dead: this.deadLetter(key, ref, r, f.reason) });
          if (f.refusal === 'recipient') {
            stop = 'dead';
            stopReason = f.reason;
            unreachable = true;
          }
          continue;
        }
        if (f.retryAfterMs !== undefined) {
          // The platform (or the adapter's pacer, ahead of it) asked for a wait: a rate limit, an
          // account paused. Nothing failed — the reply waits exactly that long, keeps its place
          // (the rest wait behind it), and the wait is not an attempt: a person who writes fast,
          // or a blocked account, must not see replies dead-lettered for it.
          const until = new Date(this.deps.clock().getTime() + f.retryAfterMs);
          outcomes.set(meta.id, { failed: { id: meta.id, ...(meta.attempts ? { attempts: meta.attempts } : {}), fromPart: f.partsSent, retryAt: until.toISOString(), waitUntil: until.toISOString() } });
          logger.info('send waits as the platform asks', { platform: ref.platform, conversation: key, reason: f.reason, waitMs: f.retryAfterMs });
          wakeAt = until;
          stop = 'transient';
          continue;
        }
        metrics.inc('send_failures_total', { platform: ref.platform });
        const attempts = (meta.attempts ?? 0) + 1;
        if (attempts >= this.policy.maxAttempts) {
          stopReason = `gave-up:${f.reason}`;
          outcomes.set(meta.id, { dead: this.deadLetter(key, ref, r, stopReason, attempts) });
          logger.warn('send failed too often; reply given up', { platform: ref.platform, conversation: key, reason: f.reason, attempts, err });
          stop = 'dead';
          continue;
        } else {
          const now = this.deps.clock().getTime();
          const backoff = attempts <= 1 ? 0 : Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (attempts - 2));
          outcomes.set(meta.id, {
            failed: {
              id: meta.id,
              attempts,
              fromPart: f.partsSent,
              retryAt: new Date(now + backoff).toISOString(),
              ...(f.retryAfterMs !== undefined ? { waitUntil: new Date(now + f.retryAfterMs).toISOString() } : {}),
            },
          });
        }
        logger.warn('send failed; reply kept for a retry', { platform: ref.platform, conversation: key, reason: f.reason, attempts, err });
        // Later replies wait behind this one: the person must read them in order.
        stop = 'transient';
      }
    }
    if (unreachable) {
      await this.deps.onUnreachable(ref, stopReason).catch((err: unknown) => logger.warn('could not mark the person unreachable', { err }));
    }
    const queuedBehind = await this.settle(key, version, pending, outcomes);
    // A short wait is not left to the periodic flush (every 30 s): the reply goes when it ends.
    if (wakeAt) this.deps.wake?.(key, wakeAt);
    const delivered = [...outcomes.values()].every((o) => 'sent' in o);
    // Another process stored replies behind ours meanwhile (they waited for our lease): ours are
    // out, so theirs go now, in order, instead of at the next periodic flush.
    if (delivered && queuedBehind) await this.flush(key, { backoff: true });
    return delivered;
  }

  /**
   * Re-reads the outbox (call it inside the conversation's queue) and sends what may be sent now.
   * The periodic flush honours backoffs; a redelivered event does not (the platform is answering).
   * `takeOver` ignores leases: only for a process that knows it is the only one (the console).
   */
  async flush(key: string, opts: { backoff: boolean; takeOver?: boolean }): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.deps.store.readOutbox(key);
      if (!row?.ref || row.pending.length === 0) return false;
      // A platform not configured in this process (the console next to a server, a platform
      // switched off): leave its replies to a process that can send them.
      if (!this.deps.sender(row.ref.platform)) return false;
      const c = this.claim(row.pending, [], opts);
      if (c.claimed.length === 0) return false;
      const version = await this.deps.store.writeOutbox(key, row.version, { pending: c.pending, dueAt: c.dueAt, deadLetters: [] });
      if (version === null) continue; // someone wrote meanwhile: read again
      return this.deliver(key, row.ref, version, c.pending, c.claimed);
    }
    return false;
  }

  /** Gives up on every reply nobody else is sending (the person blocked the bot). */
  async abandon(key: string, ref: ConversationRef, reason: string): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.deps.store.readOutbox(key);
      if (!row || row.pending.length === 0) return 0;
      const c = this.claim(row.pending, [], { backoff: false });
      const outcomes = new Map<string, Outcome>();
      for (const r of c.pending) if (c.claimed.includes(r.outbox!.id)) outcomes.set(r.outbox!.id, { dead: this.deadLetter(key, ref, r, reason) });
      if (outcomes.size === 0) return 0;
      const next = this.apply(row.pending, outcomes);
      if ((await this.deps.store.writeOutbox(key, row.version, next)) !== null) return outcomes.size;
    }
    return 0;
  }

  private deadLetter(key: string, ref: ConversationRef, r: PendingReply, reason: string, attempts?: number): DeadLetter {
    this.deps.metrics.inc('replies_dead_lettered_total', { platform: ref.platform });
    this.deps.logger.warn('reply dead-lettered', { platform: ref.platform, conversation: key, reason });
    return { conversationKey: key, platform: ref.platform, reason, replyKey: r.key ?? null, attempts: attempts ?? (r.outbox?.attempts ?? 0) + 1, createdAt: this.deps.clock() };
  }

  /** The stored list with the outcomes applied by id; replies this process did not claim are kept as they are. */
  private apply(list: PendingReply[], outcomes: Map<string, Outcome>): { pending: PendingReply[]; dueAt: Date | null; deadLetters: DeadLetter[] } {
    const pending: PendingReply[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const r of list) {
      const id = r.outbox?.id;
      const o = id ? outcomes.get(id) : undefined;
      if (!o) pending.push(r);
      else if ('dead' in o) deadLetters.push(o.dead);
      else if ('failed' in o) {
        const { fromPart, ...meta } = o.failed;
        pending.push({ ...r, ...(fromPart > 0 ? { fromPart } : {}), outbox: meta });
      } else if ('released' in o) pending.push({ ...r, outbox: { ...r.outbox!, lease: undefined, holder: undefined } });
    }
    return { pending, dueAt: this.dueAt(pending, this.deps.clock()), deadLetters };
  }

  /**
   * Stores the outcomes. First against the version we wrote (one statement when nobody moved the
   * conversation on); if someone did, re-read and apply the outcomes by id to what is stored now.
   * True when replies we did not claim are still stored after ours (someone queued them meanwhile).
   */
  private async settle(key: string, version: number, pending: PendingReply[], outcomes: Map<string, Outcome>): Promise<boolean> {
    let list = pending;
    let at = version;
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const next = this.apply(list, outcomes);
        if ((await this.deps.store.writeOutbox(key, at, next)) !== null) return attempt > 0 && next.pending.length > 0;
        const row = await this.deps.store.readOutbox(key);
        if (!row) return false; // erased meanwhile: nothing left to acknowledge
        list = row.pending;
        at = row.version;
      } catch (err) {
        // The replies stay pending under their lease; when it ends the flush sends them again.
        this.deps.logger.warn('could not store delivery outcomes', { conversation: key, err });
        return false;
      }
    }
    this.deps.logger.warn('could not store delivery outcomes: the conversation kept changing', { conversation: key });
    return false;
  }
}
