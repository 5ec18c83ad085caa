/**
 * Sends announcements. Every recipient's copy is stored before anything is sent
 * (AnnouncementDelivery rows); each copy is claimed (pending → sending, with the sender's token)
 * just before its send and marked after it. A live sender renews its claims every few seconds (a
 * lease): a process killed mid-way leaves at most the copies in flight in `sending`, and once
 * their lease has run out any sender marks them `uncertain` and never sends them again — the
 * platforms offer no idempotency key, and a person getting the same announcement twice is worse
 * than one missed copy. Copies a live sender holds are never taken from it: two processes resuming
 * the same announcement share its pending copies and each records what it sent. Each platform has
 * its own pacer and loop, so a slow platform (Slack) does not hold up a fast one (Telegram).
 */
import { randomUUID } from 'node:crypto';
import { realSleep, type Sleep } from '../core/retry.js';
import type { CoreTexts } from '../core/bot-core.js';
import type { Logger } from '../core/log.js';
import type { ConversationRef, OutboundMessage, Platform } from '../core/types.js';
import { buildPreview, type Preview } from './preview.js';
import { classifySendFailure } from '../core/errors.js';
import { withinWindow, type Pacing, type SendAccepted, type SendContext, type SendingWindow } from '../core/adapter.js';
import { DailyLimit, hasDailyLimit, reachedBy } from './daily-limit.js';
import type { AcceptedSend } from '../core/receipts.js';
import { isWindowRefusal, storedReach, type AnnouncementInput, type ReachContext } from './audience.js';
import { announcementMessage } from './message.js';
import { Pacer, type Release } from './pacer.js';
import type { AnnouncementKind, AnnouncementRecord, AnnouncementStore, Candidate, Counts, DeliveryJob, DeliveryStatus } from './types.js';

/**
 * How announcements reach one platform: its adapter's send, which throws the core's PlatformError
 * (refusals decided from the platform's codes by each adapter) when a copy is not delivered, and
 * what its adapter declares (AdapterCapabilities): its window and its pacing.
 */
export interface Channel {
  platform: Platform;
  /** What the platform named the copy (SendAccepted), when it names it: its receipt is kept. */
  send(ref: ConversationRef, message: OutboundMessage, context?: SendContext): Promise<SendAccepted | void>;
  /** How commands are typed there ("/icssi " on Slack). */
  commandPrefix?: string;
  /** Absent: the platform lets the bot write to anyone at any time. */
  window?: SendingWindow;
  /** The platform's rates, unless `pacers` gives this platform's pacer. */
  pacing: Pacing;
}

export interface Progress {
  done: number;
  total: number;
  /** Copies left pending for a platform's daily limit on people reached outside its window. */
  waiting: number;
}

export interface AnnouncementsDeps {
  store: AnnouncementStore;
  renderer: Pick<CoreTexts, 'text' | 'dir'>;
  channels: Channel[];
  clock: () => Date;
  logger: Logger;
  pacers?: Partial<Record<Platform, Pacer>>;
  /** Sends in flight at once per platform (the pacer spaces their starts). */
  concurrency?: number;
  /**
   * Tries per copy when a send fails in passing (a network failure, a 5xx), with a doubling pause
   * (RETRY_BACKOFF_MS) between them; a 429 is not counted here (up to MAX_RATE_LIMITED more tries).
   */
  maxAttempts?: number;
  /** Waits the pauses between a copy's tries (injected in tests). */
  sleep?: Sleep;
  /** How long a claim lasts without being renewed (CLAIM_LEASE_MS); the real clock counts it. */
  claimLeaseMs?: number;
  /**
   * Keeps the receipt of a copy the platform accepted under an id it named (the dispatcher's
   * rememberSent): a failure the platform reports later counts the copy unreachable. Never throws.
   */
  onAccepted?: (sent: AcceptedSend) => Promise<void>;
}

/** A claim not renewed for this long belongs to a stopped sender; renewed every third of it. */
export const CLAIM_LEASE_MS = 10_000;
/** The first pause before a failed copy is tried again (then 4 s, 8 s…). */
export const RETRY_BACKOFF_MS = 2000;
/** 429s one copy may meet before it counts as failed (each paused the whole platform). */
const MAX_RATE_LIMITED = 10;

/** `waiting`: put back to pending for the platform's daily limit (see DailyLimit). */
type Outcome = Extract<DeliveryStatus, 'sent' | 'held' | 'failed' | 'unreachable'> | 'waiting';

type Verdict = { to: 'retry'; waitMs: number } | { to: 'held' | 'unreachable' | 'failed'; reason: string };

/**
 * A send's failure, as the outbox and the notifier read it (classifySendFailure: the adapters'
 * PlatformError, decided from platform codes, never message text):
 * - a refusal of the recipient (Telegram 403, Messenger 551/2018108/2018109, Slack
 *   channel_not_found…) → unreachable, and stored on the participant; except the platform's
 *   "outside the window" (its window's refusalReason: Messenger's 24 hours) on a platform that
 *   holds, which passes when they write → held;
 * - a refusal of the message (Telegram 400, Graph #100, Slack msg_too_long…) → failed, with its code;
 * - a 429 (Telegram retry_after, Slack Retry-After, Graph's rate-limit codes) → wait and retry;
 * - any other passing failure (network, 5xx; the announcement channels make one request per
 *   try) → failed, unless tried again (sendClaimed).
 */
function classify(err: unknown, window: SendingWindow | undefined): Verdict {
  const f = classifySendFailure(err);
  if (f.kind === 'refused') {
    if (f.refusal === 'message') return { to: 'failed', reason: f.reason };
    return { to: isWindowRefusal(window, f.reason) ? 'held' : 'unreachable', reason: f.reason };
  }
  if (f.retryAfterMs !== undefined) return { to: 'retry', waitMs: f.retryAfterMs };
  return { to: 'failed', reason: f.reason };
}

/** The platform refused the message or the recipient: trying again would change nothing. */
function isRefusal(err: unknown): boolean {
  return classifySendFailure(err).kind === 'refused';
}

const refOf = (c: Candidate): ConversationRef => ({ platform: c.platform, chatId: c.platformUserId, userId: c.platformUserId });

export class Announcements {
  private readonly channels = new Map<Platform, Channel>();
  private readonly pacers = new Map<Platform, Pacer>();
  /** Rendered copies per announcement, language and command prefix (the same for thousands). */
  private readonly rendered = new Map<string, OutboundMessage>();
  /** Announcements this process is sending now: a resume does not start a second pass of its own. */
  private readonly active = new Set<string>();

  constructor(private readonly deps: AnnouncementsDeps) {
    for (const c of deps.channels) this.channels.set(c.platform, c);
    for (const c of deps.channels) this.pacers.set(c.platform, deps.pacers?.[c.platform] ?? new Pacer(c.pacing));
  }

  get store(): AnnouncementStore {
    return this.deps.store;
  }

  pacer(platform: Platform): Pacer | undefined {
    return this.pacers.get(platform);
  }

  reachContext(): ReachContext {
    const windows = new Map<Platform, SendingWindow>();
    for (const c of this.channels.values()) if (c.window) windows.set(c.platform, c.window);
    return { now: this.deps.clock(), platforms: new Set(this.channels.keys()), windows };
  }

  /** The reach context with, for platforms with a daily limit, the people it already counts. */
  private async reachContextWithLimits(): Promise<ReachContext> {
    const ctx = this.reachContext();
    const reached = new Map<Platform, ReadonlySet<string>>();
    for (const [platform, window] of ctx.windows) {
      if (hasDailyLimit(window)) reached.set(platform, await reachedBy(this.deps.store, platform, ctx.now));
    }
    return { ...ctx, reached };
  }

  /** Whether copies to this platform may be held until the person writes (its window says so). */
  holdsCopies(platform: Platform): boolean {
    return this.channels.get(platform)?.window?.outside === 'hold';
  }

  async preview(callId: string, input: AnnouncementInput, kind: AnnouncementKind = 'announcement'): Promise<Preview> {
    const candidates = await this.deps.store.candidates(callId, input.audience);
    return buildPreview(candidates, input.texts, kind, await this.reachContextWithLimits());
  }

  /** Stores the announcement and every recipient's copy; nothing is sent yet. */
  async create(callId: string, input: AnnouncementInput, createdBy: string, kind: AnnouncementKind = 'announcement', uniqueKey?: string): Promise<{ id: string; created: boolean }> {
    const made = await this.deps.store.create({ callId, kind, uniqueKey, texts: input.texts, audience: input.audience, expiresAt: input.expiresAt, createdBy, at: this.deps.clock() });
    if (made.created) await this.writeRecipients((await this.deps.store.get(made.id))!);
    return made;
  }

  private async writeRecipients(a: AnnouncementRecord): Promise<void> {
    if (a.recipientsWritten) return;
    const preview = await this.preview(a.callId, a, a.kind);
    const rows = preview.statuses.map((s) => ({ participantId: s.candidate.participantId, platform: s.candidate.platform, status: s.status }));
    await this.deps.store.writeRecipients(a.id, rows, this.deps.clock());
  }

  /**
   * Sends every pending copy. `resume`: this process starts over after another stopped (a crash,
   * a restart): copies it left in flight become `uncertain` once their claim has lapsed. Another
   * process sending the same announcement at the same time keeps its claims (they are renewed);
   * the announcement is done when no copy is left `sending`.
   */
  async send(id: string, opts: { resume?: boolean; onProgress?: (p: Progress) => void } = {}): Promise<Counts | null> {
    const a = await this.deps.store.get(id);
    if (!a) return null;
    this.active.add(id);
    try {
      return await this.sendPass(a, opts);
    } finally {
      this.active.delete(id);
    }
  }

  /**
   * The announcement is done when no copy is left pending or sending. Copies waiting for a
   * platform's daily limit stay pending and the announcement unfinished: resumeIdle (the server
   * calls it every few minutes) sends them once the limit has freed.
   */
  private async sendPass(a: AnnouncementRecord, opts: { resume?: boolean; onProgress?: (p: Progress) => void }): Promise<Counts> {
    const { id } = a;
    if (opts.resume) await this.abandonStale(id);
    await this.writeRecipients(a);
    const before = await this.deps.store.counts(id);
    const total = Object.values(before).reduce((s, p) => s + (p.pending ?? 0), 0);
    const progress: Progress = { done: 0, total, waiting: 0 };
    opts.onProgress?.(progress);
    await Promise.all(
      [...this.channels.keys()].map((platform) =>
        this.sendPlatform(a, platform, (outcome) => {
          if (outcome === 'waiting') progress.waiting++;
          else progress.done++;
          opts.onProgress?.(progress);
        }),
      ),
    );
    await this.awaitOtherSenders(id);
    const after = await this.deps.store.counts(id);
    if (Object.values(after).every((row) => !row.pending)) await this.deps.store.finish(id);
    return after;
  }

  private get leaseMs(): number {
    return this.deps.claimLeaseMs ?? CLAIM_LEASE_MS;
  }

  /** Copies whose claim has not been renewed within the lease: their sender stopped. */
  private async abandonStale(id: string): Promise<void> {
    const n = await this.deps.store.abandonSending(id, new Date(Date.now() - this.leaseMs));
    if (n > 0) this.deps.logger.warn('announcement copies left in flight by a stopped process are not sent again', { announcement: id, count: n });
  }

  /**
   * Copies still `sending` belong to another sender: wait until it marks them, or until its lease
   * runs out (it stopped) and they become uncertain. Only then is the announcement done.
   */
  private async awaitOtherSenders(id: string): Promise<void> {
    const sleep = this.deps.sleep ?? realSleep;
    for (;;) {
      const counts = await this.deps.store.counts(id);
      if (Object.values(counts).every((row) => !row.sending)) return;
      await sleep(this.leaseMs / 3);
      await this.abandonStale(id);
    }
  }

  /**
   * One platform's loop. Copies are claimed a few at a time — about a quarter second's worth at
   * the platform's rate, so a crash leaves few uncertain — and marked sent in batches (one
   * statement each: per-copy transactions would cap SQLite far below Telegram's rate). A copy
   * sent but not yet marked when the process dies stays `sending`, then `uncertain`: never resent.
   */
  private async sendPlatform(a: AnnouncementRecord, platform: Platform, tick: (outcome: Outcome) => void): Promise<void> {
    const { store } = this.deps;
    const pacer = this.pacers.get(platform)!;
    const token = randomUUID();
    // The lease: this sender's claims renewed while it runs, so no other sender takes them.
    const renew = setInterval(() => {
      store.renewClaims(a.id, token, new Date()).catch((err: unknown) => this.deps.logger.warn('announcement claims not renewed', { announcement: a.id, err }));
    }, this.leaseMs / 3);
    renew.unref();
    try {
      await this.sendClaimedJobs(a, platform, pacer, token, tick);
    } finally {
      clearInterval(renew);
    }
  }

  /** Whether the copy would start a conversation outside the person's window (an approved template). */
  private outsideWindow(p: Candidate): boolean {
    const window = this.channels.get(p.platform)?.window;
    return window?.outside === 'template' && !withinWindow(window, p.lastInboundAt, this.deps.clock());
  }

  /**
   * Whether the copy needs a place within the daily limit: it would go as a template outside the
   * window. One for an erased person or one stored unreachable is recorded without a send (sendClaimed).
   */
  private needsPlace(p: DeliveryJob['participant']): boolean {
    return !p.erased && storedReach(p, this.channels.get(p.platform)?.window) === null && this.outsideWindow(p);
  }

  /** A copy that would only wait for the daily limit is not claimed at all this pass. */
  private waitsForLimit(job: DeliveryJob, limit: DailyLimit | null): boolean {
    return limit !== null && limit.waits(job.participant.participantId) && this.needsPlace(job.participant);
  }

  private async sendClaimedJobs(a: AnnouncementRecord, platform: Platform, pacer: Pacer, token: string, tick: (outcome: Outcome) => void): Promise<void> {
    const { store, clock } = this.deps;
    const limit = await DailyLimit.forPass(this.deps.store, platform, this.channels.get(platform)?.window, this.deps.clock());
    const concurrency = this.deps.concurrency ?? 16;
    const claimSize = Math.max(1, Math.min(50, Math.ceil(pacer.ratePerSecond / 4)));
    const inFlight = new Set<Promise<void>>();
    const sent: number[] = [];
    const flush = async () => {
      if (sent.length > 0) await store.transitionMany(sent.splice(0), 'sending', 'sent', clock());
    };
    // Claims run one chunk ahead of the sends (a producer), so the database's round trips are
    // never in the pacer's way; at most two chunks are claimed and unsent at any moment.
    const claimedJobs = this.claimAhead(a.id, platform, claimSize, token, flush, (job) => this.waitsForLimit(job, limit));
    for await (const job of claimedJobs) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      // Past the platform's daily limit on people reached outside the window, the copy waits
      // (pending again) for a later pass: it is neither failed nor the person unreachable, and
      // takes no slot of the pacer.
      if (limit && this.needsPlace(job.participant) && !(await limit.reserve(job.id, job.participant.participantId, clock()))) {
        await store.requeue(job.id, clock());
        tick('waiting');
        continue;
      }
      const slot = await pacer.acquire(job.participant.platformUserId);
      const task: Promise<void> = this.sendClaimed(a, job, slot, false, limit)
        .then((outcome) => {
          if (outcome === 'sent') sent.push(job.id);
          tick(outcome);
        })
        .catch((err: unknown) => this.deps.logger.error('announcement copy not recorded', { announcement: a.id, err }))
        // Released once the send is answered; again here (a no-op then) if it failed before it left.
        .finally(() => {
          slot();
          inFlight.delete(task);
        });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
    await flush();
  }

  /**
   * Pending copies of one platform, claimed a chunk at a time, one chunk ahead of the consumer;
   * those `skip` says would only wait (the daily limit is reached) are left pending, unclaimed.
   */
  private async *claimAhead(id: string, platform: Platform, size: number, token: string, flush: () => Promise<void>, skip: (job: DeliveryJob) => boolean): AsyncGenerator<DeliveryJob> {
    const { store } = this.deps;
    const chunks = async function* () {
      let after = 0;
      for (;;) {
        const batch = await store.deliveries(id, platform, 'pending', after, 200);
        if (batch.length === 0) return;
        after = batch.at(-1)!.id;
        const wanted = batch.filter((j) => !skip(j));
        for (let i = 0; i < wanted.length; i += size) yield wanted.slice(i, i + size);
      }
    };
    const claim = async (chunk: DeliveryJob[]) => {
      await flush();
      // On the real clock, as the lease is counted.
      const won = await store.claim(chunk.map((j) => j.id), token, new Date());
      return chunk.filter((j) => won.has(j.id));
    };
    const source = chunks();
    let next = await source.next();
    let pending = next.done ? null : claim(next.value);
    while (pending) {
      const current = await pending;
      next = await source.next();
      pending = next.done ? null : claim(next.value);
      // Settled later by the loop above; a failure here must not go unhandled meanwhile.
      pending?.catch(() => undefined);
      yield* current;
    }
  }

  /**
   * Sends one claimed copy (status `sending`) and records the outcome — except `sent` when
   * `markSent` is false (the caller marks those in batches). `slot`: the pacer's slot already
   * taken for the first try. Every try goes through the pacer: a 429 pauses the whole platform for
   * exactly its wait, and a failure in passing waits its backoff (this copy only) before its next
   * slot.
   */
  private async sendClaimed(a: AnnouncementRecord, job: DeliveryJob, slot: Release | null, markSent: boolean, limit: DailyLimit | null = null): Promise<Outcome> {
    const { store, clock } = this.deps;
    const p = job.participant;
    const channel = this.channels.get(p.platform)!;
    const finish = async (to: Outcome) => {
      if (to === 'waiting') await store.requeue(job.id, clock());
      else if (to !== 'sent' || markSent) await store.transition(job.id, 'sending', to, clock());
      return to;
    };
    // Stored unreachable since the copy was written (another copy's refusal, my_chat_member
    // "kicked"): no attempt — Telegram would only answer 403 again.
    const stored = p.erased ? 'unreachable' : storedReach(p, channel.window);
    if (stored) {
      slot?.();
      return finish(stored);
    }
    const message = this.messageFor(a, p.locale, channel.commandPrefix);
    const pacer = this.pacers.get(p.platform)!;
    const attempts = this.deps.maxAttempts ?? 5;
    let failures = 0;
    let limited = 0;
    // A platform that sends an approved template outside its window is told when the person is.
    const context: SendContext | undefined = this.outsideWindow(p) ? { outsideWindow: true } : undefined;
    for (;;) {
      const release = slot ?? (await pacer.acquire(p.platformUserId));
      slot = null;
      let v: Verdict;
      let error: unknown;
      try {
        const accepted = await channel.send(refOf(p), message, context);
        // The pacer's slot is free once the platform answered (release is idempotent); the
        // receipt is stored before the copy is marked sent, so a failure reported later finds it.
        release();
        await this.deps.onAccepted?.({ platform: p.platform, accepted, participantId: p.participantId, deliveryId: job.id }).catch((e: unknown) => this.deps.logger.warn('send receipt not stored', { platform: p.platform, err: e }));
        return await finish('sent');
      } catch (err) {
        error = err;
        // The platform's own refusal for its daily limit (it counts more than we do: another
        // number of the same account, a lower limit than configured): wait, like one past it.
        if (context && limit?.refusedFor(classifySendFailure(err).reason)) {
          this.deps.logger.warn('announcement copies wait: the platform refused for its daily limit on new people', { announcement: a.id, platform: p.platform });
          return finish('waiting');
        }
        v = classify(err, channel.window);
        // Wait what the platform asked, from its answer, for the whole platform: its limit is
        // per bot, and every other send would run into the same wait (and lengthen it).
        if (v.to === 'retry') pacer.pause(v.waitMs);
      } finally {
        release();
      }
      if (v.to === 'retry' && ++limited <= MAX_RATE_LIMITED) continue;
      if (v.to === 'failed' && !isRefusal(error) && ++failures < attempts) {
        await (this.deps.sleep ?? realSleep)(RETRY_BACKOFF_MS * 2 ** (failures - 1));
        continue;
      }
      if (v.to === 'unreachable') {
        // Stored on the participant, as the outbox does: later announcements, replies and notices
        // make no attempt until they write again (which clears it).
        await store
          .setUnreachable({ platform: p.platform, userId: p.platformUserId, reason: v.reason, at: clock() })
          .catch((e: unknown) => this.deps.logger.warn('unreachable not stored', { platform: p.platform, err: e }));
      }
      const outcome: Outcome = v.to === 'retry' ? 'failed' : v.to;
      if (outcome === 'failed') this.deps.logger.warn('announcement copy not sent', { announcement: a.id, platform: p.platform, reason: v.to === 'retry' ? 'retries-exhausted' : v.reason, err: error });
      return finish(outcome);
    }
  }

  private messageFor(a: AnnouncementRecord, locale: Candidate['locale'], prefix: string | undefined): OutboundMessage {
    const key = `${a.id}\u0000${locale}\u0000${prefix ?? '/'}`;
    let m = this.rendered.get(key);
    if (!m) {
      if (this.rendered.size > 1000) this.rendered.clear();
      m = announcementMessage(this.deps.renderer, a.texts, locale, prefix);
      this.rendered.set(key, m);
    }
    return m;
  }

  /**
   * The person wrote: their held copies go now (their platform's window is open again), except
   * those whose announcement expired, which are dropped.
   */
  async releaseFor(participantId: string): Promise<number> {
    const held = await this.deps.store.heldFor(participantId);
    let sent = 0;
    for (const { job, announcement } of held) {
      const now = this.deps.clock();
      if (announcement.expiresAt && announcement.expiresAt <= now) {
        await this.deps.store.transition(job.id, 'held', 'dropped', now);
        continue;
      }
      const channel = this.channels.get(job.participant.platform);
      if (!channel || !withinWindow(channel.window, job.participant.lastInboundAt, now)) continue;
      if (!(await this.deps.store.transition(job.id, 'held', 'sending', now))) continue;
      if ((await this.sendClaimed(announcement, job, null, true)) === 'sent') sent++;
    }
    return sent;
  }

  /**
   * Unfinished announcements (a restart; copies waiting for a daily limit): copies left in flight
   * become uncertain, the rest go. One this process is sending already is left to that pass.
   */
  async resumeAll(): Promise<void> {
    for (const a of await this.deps.store.unfinished()) if (!this.active.has(a.id)) await this.send(a.id, { resume: true });
  }

  /**
   * Unfinished announcements no sender is working on — none of their copies in flight — resumed:
   * those whose copies wait for a platform's daily limit (sent as it frees). One another process
   * is sending (the CLI's) has copies in flight and is left to it, so that two pacers do not
   * share one platform's rate.
   */
  async resumeIdle(): Promise<void> {
    for (const a of await this.deps.store.unfinished()) {
      if (this.active.has(a.id)) continue;
      const counts = await this.deps.store.counts(a.id);
      if (Object.values(counts).some((row) => row.sending)) continue;
      await this.send(a.id, { resume: true });
    }
  }
}
