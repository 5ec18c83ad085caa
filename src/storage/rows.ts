/**
 * Stored row shapes (as the Prisma models hold them) and their mapping to the records the core
 * uses. Shared by the Prisma store and the in-memory store of the tests so both map alike.
 */
import type { ConversationRef, Platform } from '../core/types.js';
import { AppError } from '../core/errors.js';
import type {
  ContributionRecord,
  ContributionState,
  ContributorDetails,
  ExportRecord,
  Locale,
  ParticipantRecord,
  RevisionInput,
} from '../domain/records.js';
import type { DeadLetter, NoticeStatus, PendingReply, StateChange, StoredConversation, StoredNotice } from '../core/ports.js';

export interface ParticipantRow {
  id: string;
  platform: string;
  platformUserId: string;
  locale: string;
  consentAt: Date | null;
  draftedAt: Date | null;
  lastInboundAt: Date | null;
  erasedAt: Date | null;
  unreachableAt: Date | null;
  unreachableReason: string | null;
  /** Absent in rows from before announcements existed (the memory store's). */
  announcementsOffAt?: Date | null;
  name: string | null;
  organisation: string | null;
  country: string | null;
  email: string | null;
  createdAt: Date;
}

export interface ConversationRow {
  key: string;
  state: string;
  version: number;
  pending: string;
  pendingRef: string | null;
  pendingDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContributionRow {
  id: string;
  code: string;
  callId: string;
  participantId: string;
  topic: number;
  state: string;
  language: string;
  platform: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RevisionRow {
  contributionId: string;
  number: number;
  text: string;
  wordCount: number;
  name: string | null;
  organisation: string | null;
  country: string | null;
  email: string | null;
  createdAt: Date;
}

export interface StateChangeRow {
  fromState: string | null;
  toState: string;
  actor: string;
  note: string | null;
  at: Date;
}

export interface NoticeRow {
  id: string;
  participantId: string;
  notice: string;
  status: string;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Notices not yet sent: erasing the participant deletes them. */
export const UNSENT_NOTICE: NoticeStatus[] = ['pending', 'held'];

/** Who changes a contribution's state through the conversation. */
export const PARTICIPANT_ACTOR = 'participant';

/** JSON text of a value; `undefined` (not JSON) is stored as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('STATE_UNREADABLE', `The stored ${what} is not valid JSON`, { cause: err });
  }
}

export function toStoredConversation(row: ConversationRow): StoredConversation {
  return {
    state: parseJson(row.state, 'conversation state'),
    version: row.version,
    pending: parsePending(row.pending),
  };
}

export function parsePending(text: string): PendingReply[] {
  return parseJson(text, 'pending replies') as PendingReply[];
}

export interface DeadLetterRow {
  conversationKey: string;
  platform: string;
  reason: string;
  replyKey: string | null;
  attempts: number;
  createdAt: Date;
}

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return { conversationKey: row.conversationKey, platform: row.platform as Platform, reason: row.reason, replyKey: row.replyKey, attempts: row.attempts, createdAt: row.createdAt };
}

/** The outbox columns written with a pending list (the ref and due time go with it). */
export function outboxColumns(pending: PendingReply[], ref: ConversationRef | null, dueAt: Date | null) {
  return {
    pending: toJson(pending),
    pendingRef: pending.length > 0 && ref ? toJson(ref) : null,
    pendingDueAt: pending.length > 0 ? dueAt : null,
  };
}

export function parseRef(text: string): ConversationRef {
  return parseJson(text, 'conversation reference') as ConversationRef;
}

export function toParticipantRecord(row: ParticipantRow): ParticipantRecord {
  return {
    id: row.id,
    platform: row.platform as Platform,
    platformUserId: row.platformUserId,
    locale: row.locale as Locale,
    consentAt: row.consentAt,
    lastInboundAt: row.lastInboundAt,
    erasedAt: row.erasedAt,
    unreachableAt: row.unreachableAt,
    unreachableReason: row.unreachableReason,
    announcementsOffAt: row.announcementsOffAt ?? null,
  };
}

/** The revision columns for a RevisionInput. */
export function revisionColumns(input: RevisionInput) {
  return {
    text: input.text,
    wordCount: input.wordCount,
    name: input.details.name,
    organisation: input.details.organisation,
    country: input.details.country,
    email: input.details.email,
  };
}

/** The participant's personal columns, updated from the details given with a contribution. */
export function personalColumns(details: ContributorDetails) {
  return { name: details.name, organisation: details.organisation, country: details.country, email: details.email };
}

export const ERASED_PERSONAL = { name: null, organisation: null, country: null, email: null } as const;

function details(rev: RevisionRow | undefined): ContributorDetails {
  // After erasure the name is null; the record type keeps a string.
  return {
    name: rev?.name ?? '',
    organisation: rev?.organisation ?? null,
    country: rev?.country ?? null,
    email: rev?.email ?? null,
  };
}

/** A contribution with its latest revision. */
export function toContributionRecord(row: ContributionRow, latest: RevisionRow | undefined): ContributionRecord {
  return {
    id: row.id,
    code: row.code,
    callId: row.callId,
    topic: row.topic,
    state: row.state as ContributionState,
    language: row.language as Locale,
    platform: row.platform as Platform,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    revision: row.revision,
    text: latest?.text ?? '',
    wordCount: latest?.wordCount ?? 0,
    details: details(latest),
  };
}

/** The same record for an export: the author's platform id instead of the row id. */
export function toExportRecord(row: ContributionRow, platformUserId: string, latest: RevisionRow | undefined): ExportRecord {
  const { id: _id, ...record } = toContributionRecord(row, latest);
  return { ...record, platformUserId };
}

export function toStateChange(code: string, row: StateChangeRow): StateChange {
  return {
    code,
    from: row.fromState as ContributionState | null,
    to: row.toState as ContributionState,
    actor: row.actor,
    note: row.note,
    at: row.at,
  };
}

export function toStoredNotice(row: NoticeRow): StoredNotice {
  return {
    id: row.id,
    participantId: row.participantId,
    notice: parseJson(row.notice, 'notice'),
    status: row.status as NoticeStatus,
    reason: row.reason,
    createdAt: row.createdAt,
  };
}

/** Thrown inside a transaction to roll it back and answer with a non-committed status. */
export class RollbackWith extends Error {
  constructor(readonly status: 'duplicate' | 'conflict' | 'code-taken') {
    super(status);
  }
}

/** An effect names a contribution the person does not have: a bug in the caller, not a user error. */
export function unknownContribution(code: string): Error {
  return new Error(`No contribution ${code} belongs to this participant`);
}
