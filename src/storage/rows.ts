/**
 * Stored row shapes (as the Prisma models hold them) and their mapping to the records the core
 * uses. Shared by the Prisma store and the in-memory store of the tests so both map alike.
 */
import { PLATFORMS, type ConversationRef } from '../core/types.js';
import {
  CONTRIBUTION_STATES,
  LOCALES,
  type ContributionRecord,
  type ContributorDetails,
  type ExportRecord,
  type ParticipantRecord,
  type RevisionInput,
} from '../domain/records.js';
import { NOTICE_STATUSES, type DeadLetter, type NoticeStatus, type PendingReply, type StateChange, type StoredConversation, type StoredNotice } from '../core/ports.js';
import { corruptRow, isBoolean, isCount, isObject, isString, jsonColumn, oneOf, oneOfOrNull, optional, type Fields } from './parse-row.js';

// Enumerated columns, checked on reading (the schema stores them as plain strings).
const participantPlatform = oneOf(PLATFORMS, 'Participant.platform', 'a platform');
const participantLocale = oneOf(LOCALES, 'Participant.locale', 'a language');
export const contributionState = oneOf(CONTRIBUTION_STATES, 'Contribution.state', 'a contribution state');
export const contributionLanguage = oneOf(LOCALES, 'Contribution.language', 'a language');
export const contributionPlatform = oneOf(PLATFORMS, 'Contribution.platform', 'a platform');
const changeFrom = oneOfOrNull(CONTRIBUTION_STATES, 'ContributionStateChange.fromState', 'a contribution state');
const changeTo = oneOf(CONTRIBUTION_STATES, 'ContributionStateChange.toState', 'a contribution state');
const noticeStatus = oneOf(NOTICE_STATUSES, 'Notice.status', 'a notice status');
const deadLetterPlatform = oneOf(PLATFORMS, 'DeadLetter.platform', 'a platform');
const refPlatform = oneOf(PLATFORMS, 'Conversation.pendingRef', 'a conversation reference');

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

export function toStoredConversation(row: ConversationRow): StoredConversation {
  return {
    // The flow validates the state when it reads it (a newer release's state is kept, not lost).
    state: jsonColumn(row.state, 'Conversation.state'),
    version: row.version,
    pending: parsePending(row.pending),
  };
}

const isChoice = (v: unknown) => isObject(v) && isString(v.id) && isString(v.label);

/** The outbox's marks on a reply (OutboxMeta); replies stored before it existed have none. */
function isOutboxMeta(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v.id) &&
    optional(v, 'lease', isString) &&
    optional(v, 'holder', isString) &&
    optional(v, 'retryAt', isString) &&
    optional(v, 'waitUntil', isString) &&
    optional(v, 'attempts', isCount)
  );
}

/** A stored reply: an OutboundMessage (its optional fields absent or of their type) and its outbox marks. */
function isPendingReply(v: unknown): v is PendingReply {
  if (!isObject(v) || !isString(v.text)) return false;
  const o: Fields = v;
  return (
    optional(o, 'choices', (c) => Array.isArray(c) && c.every(isChoice)) &&
    optional(o, 'expectsText', isBoolean) &&
    optional(o, 'dir', (d) => d === 'ltr' || d === 'rtl') &&
    optional(o, 'key', isString) &&
    optional(o, 'lang', isString) &&
    optional(o, 'initiated', isBoolean) &&
    optional(o, 'fromPart', isCount) &&
    optional(o, 'outbox', isOutboxMeta)
  );
}

/** The replies waiting in a conversation's outbox (Conversation.pending). */
export function parsePending(text: string): PendingReply[] {
  const value = jsonColumn(text, 'Conversation.pending');
  if (!Array.isArray(value) || !value.every(isPendingReply)) throw corruptRow('Conversation.pending', 'a list of replies');
  return value;
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
  return { conversationKey: row.conversationKey, platform: deadLetterPlatform(row.platform), reason: row.reason, replyKey: row.replyKey, attempts: row.attempts, createdAt: row.createdAt };
}

/** The outbox columns written with a pending list (the ref and due time go with it). */
export function outboxColumns(pending: PendingReply[], ref: ConversationRef | null, dueAt: Date | null) {
  return {
    pending: toJson(pending),
    pendingRef: pending.length > 0 && ref ? toJson(ref) : null,
    pendingDueAt: pending.length > 0 ? dueAt : null,
  };
}

/** Where a conversation's waiting replies go (Conversation.pendingRef). */
export function parseRef(text: string): ConversationRef {
  const v = jsonColumn(text, 'Conversation.pendingRef');
  if (!isObject(v) || !isString(v.platform) || !isString(v.chatId) || !isString(v.userId)) {
    throw corruptRow('Conversation.pendingRef', 'a conversation reference');
  }
  return { ...v, platform: refPlatform(v.platform), chatId: v.chatId, userId: v.userId };
}

export function toParticipantRecord(row: ParticipantRow): ParticipantRecord {
  return {
    id: row.id,
    platform: participantPlatform(row.platform),
    platformUserId: row.platformUserId,
    locale: participantLocale(row.locale),
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
    state: contributionState(row.state),
    language: contributionLanguage(row.language),
    platform: contributionPlatform(row.platform),
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
    from: changeFrom(row.fromState),
    to: changeTo(row.toState),
    actor: row.actor,
    note: row.note,
    at: row.at,
  };
}

export function toStoredNotice(row: NoticeRow): StoredNotice {
  return {
    id: row.id,
    participantId: row.participantId,
    // The flow's Reply as JSON: rendered (and so checked) when it is sent.
    notice: jsonColumn(row.notice, 'Notice.notice'),
    status: noticeStatus(row.status),
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
