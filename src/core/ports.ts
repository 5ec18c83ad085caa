/**
 * What the core needs from storage. Prisma implements it in src/storage; an in-memory version
 * serves unit tests; one contract suite (test/storage-contract.ts) runs against every one.
 */
import type { ConversationRef, OutboundMessage, Platform } from './types.js';
import type {
  ContributionFact,
  ContributionRecord,
  ContributionState,
  ExportRecord,
  FunnelCounts,
  Locale,
  ParticipantRecord,
  RevisionInput,
} from '../domain/records.js';

/** The conversation as stored: the flow's state (versioned JSON) and replies not yet delivered. */
export interface StoredConversation {
  /** The flow's state; the flow validates it when it reads it. */
  state: unknown;
  /** Incremented by every commit; a commit names the version it read (optimistic locking). */
  version: number;
  /** Replies committed but not yet confirmed delivered (an outbox). */
  pending: OutboundMessage[];
}

export interface LoadedContext {
  conversation: StoredConversation | null;
  /** The participant for (platform, userId), if they consented at some point and were not erased. */
  participant: ParticipantRecord | null;
  /** Their contributions to every call, newest first. */
  contributions: ContributionRecord[];
}

/** Changes to the person's data that a flow step asks for; applied in the step's transaction. */
export type DataEffect =
  /** Create the participant (or update it) with the consent time and language. */
  | { type: 'participant.consent'; locale: Locale; at: Date }
  | { type: 'participant.locale'; locale: Locale }
  /** The person began a draft (for the funnel statistics). Idempotent. */
  | { type: 'participant.drafted'; at: Date }
  /** Announcements off (/stop) or on again (/start, the button); decisions still reach the person. */
  | { type: 'participant.announcements'; on: boolean; at: Date }
  | {
      type: 'contribution.create';
      code: string;
      callId: string;
      topic: number;
      language: Locale;
      revision: RevisionInput;
      at: Date;
    }
  /** A new revision of an existing contribution; its state goes back to `submitted`. */
  | { type: 'contribution.revise'; code: string; topic: number; revision: RevisionInput; at: Date }
  | { type: 'contribution.withdraw'; code: string; at: Date }
  /**
   * Withdraw all the person's contributions, erase their texts and every personal field,
   * forget the platform user id, and delete the stored conversation.
   */
  | { type: 'participant.erase'; at: Date };

export interface StepCommit {
  /** The platform event being processed; claimed (unique per platform) in the same transaction. */
  event: { platform: Platform; id: string };
  /** Pseudonymous key of the conversation (a keyed hash of platform and chat id). */
  conversationKey: string;
  ref: ConversationRef;
  /** The version read before the step; null when there was no stored conversation. */
  expectedVersion: number | null;
  state: unknown;
  pending: OutboundMessage[];
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

export type NoticeStatus = 'pending' | 'held' | 'sent' | 'failed';

/**
 * A message the bot starts (a decision, a reminder, an announcement), stored before it is sent.
 * `notice` is the flow's Reply as JSON: rendered in the person's language when it is sent.
 */
export interface StoredNotice {
  id: string;
  participantId: string;
  notice: unknown;
  status: NoticeStatus;
  createdAt: Date;
}

export interface BotStore {
  load(conversationKey: string, ref: ConversationRef): Promise<LoadedContext>;
  commit(commit: StepCommit): Promise<CommitResult>;
  /** Forget delivered replies, unless the conversation moved on past `version`. */
  clearPending(conversationKey: string, version: number): Promise<void>;
  /**
   * Conversations with replies still waiting (delivered again on start). The ref is kept only
   * while replies wait: clearPending forgets it with them.
   */
  listPending(
    limit: number,
  ): Promise<{ conversationKey: string; ref: ConversationRef; version: number; pending: OutboundMessage[] }[]>;
  /** Throws AppError STORAGE_UNAVAILABLE when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Organisers
  contributionFacts(callId: string): Promise<ContributionFact[]>;
  funnel(callId: string): Promise<FunnelCounts>;
  /** Every contribution of the call in creation order, read in pages so memory stays flat. */
  exportRecords(callId: string, pageSize?: number): AsyncIterable<ExportRecord>;
  /** The state changes of one contribution, oldest first. */
  history(code: string): Promise<StateChange[]>;
  /** One contribution with its author (null when no such code). */
  getContribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null>;
  /**
   * Records an organiser's decision: the contribution's state becomes `to`, with a state change
   * naming the actor and the note. Refused for a withdrawn contribution.
   */
  recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult>;

  // Messages the bot starts
  participantById(id: string): Promise<ParticipantRecord | null>;
  /**
   * Stores a notice for a participant (not erased) and returns its id. Returns '' when the
   * participant is erased or unknown: nothing is stored.
   */
  enqueueNotice(input: { participantId: string; notice: unknown; status: 'pending' | 'held'; at: Date }): Promise<string>;
  /** The participant's notices in the given states, oldest first. */
  noticesFor(participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]>;
  markNotice(id: string, status: NoticeStatus, at: Date): Promise<void>;
  /** How many notices are held, per platform (Messenger's 24-hour window holds them). */
  heldCounts(): Promise<Partial<Record<Platform, number>>>;
}
