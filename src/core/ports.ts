/**
 * What the core and the parts around it need from storage, as ports sized to their users (see
 * below). Prisma implements them in src/storage; an in-memory version serves the tests; one
 * contract suite (test/storage-contract.ts) runs against every one.
 */
import type { ConversationRef, OutboundMessage, Platform } from './types.js';
import type { StatsAggregates } from '../domain/stats.js';
import type {
  ContributionFact,
  ContributionRecord,
  ContributionState,
  ExportRecord,
  FunnelCounts,
  ParticipantRecord,
} from '../domain/records.js';

/** The conversation as stored: the flow's state (versioned JSON) and replies not yet delivered. */
export interface StoredConversation {
  /** The flow's state; the flow validates it when it reads it. */
  state: unknown;
  /** Incremented by every commit; a commit names the version it read (optimistic locking). */
  version: number;
  /** Replies committed but not yet confirmed delivered (an outbox; see src/core/outbox.ts). */
  pending: PendingReply[];
}

/**
 * What the outbox keeps beside each pending reply (in the same JSON). Replies stored before this
 * existed have none: they get an id when next read.
 */
export interface OutboxMeta {
  /** Unique per reply: acknowledgements remove replies by id, whoever moved the version since. */
  id: string;
  /** ISO time until which the process that claimed the reply is sending it: nobody else may. */
  lease?: string;
  /**
   * The process holding the lease (its instance id, src/core/lease-holders.ts). When it stops
   * beating, others take the reply over before `lease` ends. Leases stored without it are waited out.
   */
  holder?: string;
  /** ISO time before which the periodic flush does not retry it (our backoff after a failure). */
  retryAt?: string;
  /** ISO time before which nobody sends it: the platform asked to wait (retry_after). */
  waitUntil?: string;
  /** Failed attempts so far; at the cap the reply is dead-lettered. */
  attempts?: number;
}

export type PendingReply = OutboundMessage & { outbox?: OutboxMeta };

/** The outbox of one conversation, read fresh (the flush re-reads it inside the conversation's queue). */
export interface OutboxRow {
  version: number;
  /** Where to send; null only for rows written before refs were kept. */
  ref: ConversationRef | null;
  pending: PendingReply[];
}

/** A reply given up on. No text and no platform id (see the DeadLetter model). */
export interface DeadLetter {
  conversationKey: string;
  platform: Platform;
  reason: string;
  replyKey: string | null;
  attempts: number;
  createdAt: Date;
}

export interface LoadedContext {
  conversation: StoredConversation | null;
  /** The participant for (platform, userId), if they consented at some point and were not erased. */
  participant: ParticipantRecord | null;
  /** Their contributions to every call, newest first. */
  contributions: ContributionRecord[];
  /**
   * Whether notices wait for this person (held by a platform window or an unreachable mark, or
   * failed), or announcement copies held by a platform window. Absent when the store does not
   * say: the dispatcher then asks on every message.
   */
  noticesWaiting?: boolean;
}

/** Changes to the person's data that a flow step asks for (defined in the domain, where the flow makes them). */
export type { DataEffect } from '../domain/effects.js';
import type { DataEffect } from '../domain/effects.js';

export interface StepCommit {
  /** The platform event being processed; claimed (unique per platform) in the same transaction. */
  event: { platform: Platform; id: string };
  /** Pseudonymous key of the conversation (a keyed hash of platform and chat id). */
  conversationKey: string;
  ref: ConversationRef;
  /** The version read before the step; null when there was no stored conversation. */
  expectedVersion: number | null;
  state: unknown;
  pending: PendingReply[];
  /** When the periodic flush may look at `pending` (see OutboxRow); default: now if any, else null. */
  dueAt?: Date | null;
  effects: DataEffect[];
  /** When the person wrote; stored on the participant, if there is one. */
  receivedAt: Date;
}

export type CommitResult =
  | { status: 'committed'; version: number }
  /** The event id was claimed before: nothing was changed. */
  | { status: 'duplicate' }
  /** Someone else committed since the state was read: read again and redo the step. */
  | { status: 'conflict' }
  /** A contribution code collided with an existing one: redo the step with a new code. */
  | { status: 'code-taken' };

export interface StateChange {
  code: string;
  from: ContributionState | null;
  to: ContributionState;
  actor: string;
  note: string | null;
  at: Date;
}

/** An organiser's decision on a contribution. */
export type Decision = 'accepted' | 'declined' | 'revision_requested';

export type DecisionResult =
  | { status: 'recorded'; contribution: ContributionRecord; participant: ParticipantRecord }
  | { status: 'not-found' }
  /** Withdrawn (by its author or by erasure): no decision can be recorded on it. */
  | { status: 'withdrawn' };

/**
 * pending (being sent) · held (waiting for the person to write: a platform window, or they cannot
 * be reached now) · sent · failed (a passing failure; sent again when they write) · refused (the
 * platform refused this message for good; never retried).
 */
export const NOTICE_STATUSES = ['pending', 'held', 'sent', 'failed', 'refused'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/**
 * A message the bot starts (a decision, a reminder, an announcement), stored before it is sent.
 * `notice` is the flow's Reply as JSON: rendered in the person's language when it is sent.
 */
export interface StoredNotice {
  id: string;
  participantId: string;
  notice: unknown;
  status: NoticeStatus;
  /** Why it is held, failed or refused (see the Notice model); null when sent or pending. */
  reason: string | null;
  createdAt: Date;
}

/** A message the bot posted about a contribution (the Slack admin channel), kept so erasure can rewrite it. */
export interface PlatformPost {
  id: string;
  platform: Platform;
  /** The contribution's code: not personal, and it tells organisers which one was erased. */
  code: string;
  channel: string;
  ts: string;
}

/** What `purge` erases for a call (see PurgeStore.purgeCounts). */
export interface PurgeCounts {
  participants: number;
  contributions: number;
  conversations: number;
}

/*
 * The store's ports, each sized to the part that uses it: a part declares the port it needs, so
 * its type says what it may touch and a test double has only that much to provide. BotStore, at
 * the end, is all of them: what the Prisma store implements and the composition (src/app.ts) holds.
 */

/** Whether a person can be reached: the dispatcher, the outbox and announcements all store it. */
export interface ReachabilityStore {
  /**
   * Marks the participant behind (platform, userId) unreachable with the platform's reason, or
   * reachable again (reason null). False when no live participant matches.
   */
  setUnreachable(input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean>;
}

/** The conversation, per event (src/core/dispatcher.ts): read the person's context, commit a step. */
export interface ConversationStore extends ReachabilityStore {
  load(conversationKey: string, ref: ConversationRef): Promise<LoadedContext>;
  /** Claims the event (processed once), stores the state, the effects and the replies in one transaction. */
  commit(commit: StepCommit): Promise<CommitResult>;
  /**
   * Whether the event (as StepCommit.event names it) was claimed already: a redelivered document
   * is then not fetched and read again before its commit finds it a duplicate.
   */
  eventProcessed(event: { platform: Platform; id: string }): Promise<boolean>;
  /**
   * Claims an event that no step commits (a delivery receipt: src/core/identities.ts), as the
   * commit claims the others: true the first time, false when it was claimed already.
   */
  claimEvent(event: { platform: Platform; id: string }): Promise<boolean>;
  /** Keys of conversations whose outbox the flush may look at by `now` (due time reached), oldest first. */
  listDue(now: Date, limit: number): Promise<string[]>;
}

/** The outbox (src/core/outbox.ts holds its rules; storage only reads and compare-and-sets). */
export interface OutboxStore {
  readOutbox(conversationKey: string): Promise<OutboxRow | null>;
  /**
   * Replaces the outbox if the conversation is still at `expectedVersion`, and bumps the version
   * (so a step computed on the old outbox conflicts and is redone, and two writers never both
   * win); dead letters are stored in the same transaction. An empty `pending` forgets the ref.
   * Returns the new version, or null when someone else wrote first (read again).
   */
  writeOutbox(
    conversationKey: string,
    expectedVersion: number,
    next: { pending: PendingReply[]; dueAt: Date | null; deadLetters: DeadLetter[] },
  ): Promise<number | null>;
}

/** What the outbox holds and gave up, for inspection (operators, metrics and tests). */
export interface OutboxInspection {
  /**
   * Conversations with replies still waiting, oldest first (the flush uses listDue). The ref is
   * kept only while replies wait: emptying the outbox forgets it with them.
   */
  listPending(
    limit: number,
  ): Promise<{ conversationKey: string; ref: ConversationRef; version: number; pending: PendingReply[] }[]>;
  /** Dead letters, newest first. */
  deadLetters(limit: number): Promise<DeadLetter[]>;
}

/** Messages the bot starts (src/core/notifier.ts): stored before they are sent. */
export interface NoticeStore {
  participantById(id: string): Promise<ParticipantRecord | null>;
  /**
   * Stores a notice for a participant (not erased) and returns its id. Returns '' when the
   * participant is erased or unknown: nothing is stored.
   */
  enqueueNotice(input: { participantId: string; notice: unknown; status: 'pending' | 'held'; reason?: string | null; at: Date }): Promise<string>;
  /** The participant's notices in the given states, oldest first. */
  noticesFor(participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]>;
  /** Sets a notice's status and reason (null clears it). */
  markNotice(id: string, status: NoticeStatus, at: Date, reason?: string | null): Promise<void>;
}

/**
 * Who is alive among the processes that lease replies (src/core/lease-holders.ts): each beats
 * every second; one that stopped has its leased replies taken over.
 */
export interface LeaseHolderStore {
  /** Records that `id` is alive at `at` (insert or update). */
  beatHolder(id: string, at: Date): Promise<void>;
  listHolders(): Promise<{ id: string; beatAt: Date }[]>;
  /** Keys of conversations with a reply leased by `holder` (at most `limit`). */
  listHeldBy(holder: string, limit: number): Promise<string[]>;
  /** Forgets a holder, unless it beat again since `beatAt` (it was only slow). */
  forgetHolder(id: string, beatAt: Date): Promise<void>;
}

/** What became of a person's change of id (IdentityStore.changeUserId). */
export type IdChange = 'moved' | 'unknown' | 'taken';

/**
 * Other ids a platform knows a person by, and ids that change (src/core/identities.ts). WhatsApp:
 * a failed status may name only the phone number, while the person is keyed on the BSUID; and a
 * change of number gives the person a new BSUID.
 */
export interface IdentityStore {
  /**
   * Links an alias (a keyed hash, never the id itself) to the live participant (platform, userId).
   * False when there is no such participant (before consent nothing is stored). An alias linked to
   * someone else before (a phone number that changed hands) moves to this participant.
   */
  linkAlias(input: { platform: Platform; userId: string; aliasKey: string; at: Date }): Promise<boolean>;
  /** The user id of the live participant the alias is linked to, or null. */
  userIdByAlias(platform: Platform, aliasKey: string): Promise<string | null>;
  /**
   * The platform gave the person a new id: their participant (so their submissions and notices)
   * and their conversation (its key is a hash of the id: the draft, the state, the outbox) move to
   * it, in one transaction. A conversation already stored under the new key without a participant
   * (the person wrote from the new id before the platform said so) gives way to the moved one.
   * 'unknown': nothing was stored under the old id (or it moved already: a redelivery); 'taken':
   * the new id has a participant of its own, and nothing is merged.
   */
  changeUserId(input: { from: ConversationRef; to: ConversationRef; fromKey: string; toKey: string; at: Date }): Promise<IdChange>;
}

/**
 * What a failed delivery receipt did to the message its receipt names: a notice still `sent` is
 * held again (`notice`), an announcement copy still `sent` (or being marked so) is counted
 * unreachable (`announcement`); `unchanged` when the receipt was used before or its message moved
 * on; `none` when no receipt has that key (a reply: they get none).
 */
export type ReceiptFailure = 'notice' | 'announcement' | 'unchanged' | 'none';

/**
 * Receipts of notices and announcement copies a platform accepted (src/core/receipts.ts), each
 * under a keyed hash of the id the platform gave the message: never the id itself.
 */
export interface ReceiptStore {
  /** One receipt per key, naming the notice or the announcement copy (and its person, for erasure). */
  rememberReceipts(input: { keys: string[]; participantId: string; noticeId?: string; deliveryId?: number; at: Date }): Promise<void>;
  /**
   * In one transaction: the receipt is marked failed (once), and its notice still `sent` becomes
   * `held` with `reason`, or its copy still `sent`/`sending` becomes `unreachable`.
   */
  failReceipt(key: string, reason: string, at: Date): Promise<ReceiptFailure>;
}

/** What the dispatcher needs: its own port and those of the outbox, the notifier, identities and receipts. */
export type DispatcherStore = ConversationStore & OutboxStore & NoticeStore & IdentityStore & ReceiptStore;

/** Housekeeping (src/core/maintenance.ts). */
export interface MaintenanceStore {
  /** Forgets event claims made before `before` (platforms redeliver within hours); returns how many. */
  pruneProcessedEvents(before: Date): Promise<number>;
  /** Forgets send receipts made before `before`; returns how many. */
  pruneReceipts(before: Date): Promise<number>;
  /**
   * Finishes reclaiming erased bytes that an erasure could not reclaim at once (SQLite: a
   * checkpoint left partial by another process reading). True if there was something to do.
   */
  reclaimErased(): Promise<boolean>;
}

/** Notices held for a platform's window, counted (the organisers' figures and a gauge). */
export interface HeldCounts {
  /** How many notices are held, per platform (Messenger's 24-hour window holds them). */
  heldCounts(): Promise<Partial<Record<Platform, number>>>;
}

/** The organisers' figures (src/organisers/stats.ts, the CLI's stats). */
export interface StatsStore extends HeldCounts {
  /** Every contribution as a fact, one row each: for tests and charts of small calls; the figures use statsAggregates. */
  contributionFacts(callId: string): Promise<ContributionFact[]>;
  /** The call's contributions counted and grouped by the database (days in `timezone`): flat cost at any size. */
  statsAggregates(callId: string, timezone: string): Promise<StatsAggregates>;
  funnel(callId: string): Promise<FunnelCounts>;
}

/** The organisers' export (src/organisers/export.ts). */
export interface ExportStore {
  /** Every contribution of the call in creation order, read in pages so memory stays flat. */
  exportRecords(callId: string, pageSize?: number): AsyncIterable<ExportRecord>;
}

/** Review by organisers (src/organisers/decisions.ts, the CLI's review, Slack's admin channel). */
export interface ReviewStore {
  /** The state changes of one contribution, oldest first. */
  history(code: string): Promise<StateChange[]>;
  /** One contribution with its author (null when no such code). */
  getContribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null>;
  /**
   * Records an organiser's decision: the contribution's state becomes `to`, with a state change
   * naming the actor and the note. Refused for a withdrawn contribution.
   */
  recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult>;
}

/** Posts about contributions (Slack's admin channel), rewritten once their author is erased. */
export interface PostStore {
  /**
   * Remembers a post about a contribution. If its author is already erased (the post raced the
   * erasure), the post is marked for rewriting at once.
   */
  recordPost(input: { platform: Platform; code: string; channel: string; ts: string; at: Date }): Promise<void>;
  /** Posts about contributions whose author was erased, still to be rewritten on their platform. */
  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]>;
  /** The post was rewritten (or no longer exists on the platform): forget it. */
  forgetPost(id: string): Promise<void>;
}

/** Erasing a whole call (src/cli/purge.ts; README, "What the bot guarantees"). */
export interface PurgeStore {
  /**
   * What purge would erase: participants not yet erased who have a contribution to the call or
   * none at all (a consent alone keeps their platform id), their contributions to the call, and
   * every stored conversation (drafts and undelivered replies quote people).
   */
  purgeCounts(callId: string): Promise<PurgeCounts>;
  /**
   * Erases all of that, each participant exactly as /delete does; returns what was erased.
   * `onProgress(n)`: called as participants are done (n of them each time; those another process
   * erased meanwhile count too), for the CLI's progress bar.
   */
  purge(callId: string, at: Date, onProgress?: (n: number) => void): Promise<PurgeCounts>;
}

/** Health and gauges (src/server/store-gauges.ts, /readyz). */
export interface HealthStore extends HeldCounts {
  /** Throws AppError STORAGE_UNAVAILABLE when the database cannot be reached. */
  ping(): Promise<void>;
  /** How many conversations have replies waiting in the outbox (the outbox-depth gauge). */
  outboxDepth(): Promise<number>;
}

/** Every port: what the Prisma store implements and the composition (src/app.ts) holds. */
export interface BotStore
  extends ConversationStore,
    OutboxStore,
    IdentityStore,
    OutboxInspection,
    LeaseHolderStore,
    NoticeStore,
    ReceiptStore,
    MaintenanceStore,
    StatsStore,
    ExportStore,
    ReviewStore,
    PostStore,
    PurgeStore,
    HealthStore {
  close(): Promise<void>;
}
