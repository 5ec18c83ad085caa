/**
 * What the organisers' desk (src/desk/) needs from storage: invites and sessions, internal notes,
 * the activity log, and read models of contributions (a filtered, keyset-paged list and one
 * contribution with its revisions and history). Prisma implements it (src/storage/prisma-desk.ts)
 * for SQLite and PostgreSQL; the desk never holds a Prisma client.
 */
import type { ContributionState, ContributorDetails, Locale } from '../domain/records.js';
import type { Platform } from './types.js';
import type { StateChange } from './ports.js';

export const DESK_ROLES = ['organiser', 'reader'] as const;
export type DeskRole = (typeof DESK_ROLES)[number];

export interface DeskPerson {
  name: string;
  role: DeskRole;
}

export interface DeskSessionRecord extends DeskPerson {
  id: string;
  expiresAt: Date;
}

export const DESK_SORTS = ['newest', 'oldest', 'words', 'fewest'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

export interface DeskListQuery {
  callId: string;
  topic?: number;
  language?: Locale;
  state?: ContributionState;
  platform?: Platform;
  /** createdAt ≥ from and < to. */
  from?: Date;
  to?: Date;
  /** A receipt code, or words searched in the texts. */
  search?: string;
  sort: DeskSort;
  /** Opaque cursor from the previous page (keyset: the last row's sort key and id). */
  after?: string;
  limit: number;
}

export interface DeskListRow {
  code: string;
  topic: number;
  language: Locale;
  state: ContributionState;
  platform: Platform;
  wordCount: number;
  createdAt: Date;
}

export interface DeskRevision {
  number: number;
  text: string;
  wordCount: number;
  details: ContributorDetails;
  createdAt: Date;
}

export interface DeskNoteRecord {
  id: number;
  author: string;
  text: string;
  createdAt: Date;
}

export interface DeskContribution {
  row: DeskListRow & { revision: number; updatedAt: Date; erased: boolean };
  /** Newest first. */
  revisions: DeskRevision[];
  history: StateChange[];
  notes: DeskNoteRecord[];
}

export const DESK_ACTIONS = ['decision', 'note', 'announcement', 'export', 'invite', 'revoke', 'signin', 'signout'] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];

export interface DeskActivityRecord {
  id: number;
  at: Date;
  actor: string;
  action: DeskAction;
  subject: string | null;
  detail: string | null;
}

export interface DeskStore {
  createInvite(input: DeskPerson & { tokenHash: string; createdBy: string; at: Date; expiresAt: Date }): Promise<void>;
  /** Marks the invite used and returns who it was for; null when unknown, used or expired (at once, atomically). */
  consumeInvite(tokenHash: string, at: Date): Promise<DeskPerson | null>;
  /** Whether an unused, unexpired invite has this hash (the confirmation page; it does not use it). */
  inviteValid(tokenHash: string, at: Date): Promise<DeskPerson | null>;
  createSession(input: DeskPerson & { tokenHash: string; at: Date; expiresAt: Date }): Promise<void>;
  /** The live session with this hash (null when unknown or expired). */
  session(tokenHash: string, at: Date): Promise<DeskSessionRecord | null>;
  endSession(tokenHash: string): Promise<void>;
  /** Ends every session and unused invite of `name`; how many sessions ended. */
  revoke(name: string): Promise<number>;
  /** Adds an entry to the activity log; its id. */
  record(input: { at: Date; actor: string; action: DeskAction; subject?: string | null; detail?: string | null }): Promise<number>;
  /** Newest first, keyset-paged by id. */
  activity(input: { beforeId?: number; limit: number }): Promise<DeskActivityRecord[]>;
  /** A page of the list; `total` is null for a text search (counting would read every text). */
  list(query: DeskListQuery): Promise<{ rows: DeskListRow[]; next: string | null; total: number | null }>;
  contribution(code: string): Promise<DeskContribution | null>;
  /** Adds a note; false when there is no such contribution (or its author was erased). */
  addNote(input: { code: string; author: string; text: string; at: Date }): Promise<boolean>;
}
