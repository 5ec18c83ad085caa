/**
 * Announcements: organisers' messages to many participants, and the reminders the server sends
 * before a deadline. Shapes shared by the audience, the preview, the store and the sender.
 */
import type { Locale } from '../domain/records.js';
import type { Platform } from '../core/types.js';
import type { ReachabilityStore } from '../core/ports.js';

export const AUDIENCE_WHO = ['consented', 'drafted', 'contributed'] as const;
export type AudienceWho = (typeof AUDIENCE_WHO)[number];

/** Who gets an announcement. Empty or absent filters select everyone. */
export interface Audience {
  who: AudienceWho;
  /** Only people who sent a contribution in one of these topics (with who = contributed). */
  topics?: number[];
  platforms?: Platform[];
  languages?: Locale[];
}

/** The organisers' text per language. */
export type Texts = Partial<Record<Locale, string>>;

export const ANNOUNCEMENT_KINDS = ['announcement', 'reminder', 'closing'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];
export const ANNOUNCEMENT_STATUSES = ['sending', 'done'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

/**
 * One recipient's copy:
 * - pending: stored, to be sent; sending: claimed by a sender (if a process dies here, the copy
 *   becomes `uncertain` and is never sent again: a duplicate is worse than a miss);
 * - sent; held: the platform forbids it now (Messenger's window), sent when the person writes;
 * - failed: the platform refused this message, or did not answer; opted-out; unreachable: stored
 *   unreachable on the participant (blocked the bot…), refused as a recipient now, or no platform
 *   configured for them; dropped: held past the announcement's expiry.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'held', 'failed', 'opted-out', 'unreachable', 'dropped', 'uncertain'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A participant the audience selected, with what deciding their copy needs. */
export interface Candidate {
  participantId: string;
  platform: Platform;
  platformUserId: string;
  locale: Locale;
  lastInboundAt: Date | null;
  announcementsOffAt: Date | null;
  /**
   * Stored by the outbox, the notifier, Telegram's my_chat_member "kicked" or an announcement's
   * refused copy (Participant.unreachableAt/-Reason, the platform's code); cleared when they write.
   */
  unreachableAt: Date | null;
  unreachableReason: string | null;
}

export interface AnnouncementRecord {
  id: string;
  callId: string;
  kind: AnnouncementKind;
  texts: Texts;
  audience: Audience;
  expiresAt: Date | null;
  status: AnnouncementStatus;
  createdBy: string;
  createdAt: Date;
  recipientsWritten: boolean;
}

export interface NewAnnouncement {
  callId: string;
  kind: AnnouncementKind;
  /** Reminders: the same key is created once, whoever asks and however often. */
  uniqueKey?: string;
  texts: Texts;
  audience: Audience;
  expiresAt: Date | null;
  createdBy: string;
  at: Date;
}

/** A delivery to send, with its person. */
export interface DeliveryJob {
  id: number;
  announcementId: string;
  status: DeliveryStatus;
  participant: Candidate & { erased: boolean };
}

export type Counts = Partial<Record<Platform, Partial<Record<DeliveryStatus, number>>>>;

/**
 * Storage of announcements (Prisma in src/storage/prisma-announcements.ts). Its setUnreachable
 * stores (reason) or clears (null) "unreachable" on the participant: the same port the dispatcher
 * uses, so replies and notices hold for them too.
 */
export interface AnnouncementStore extends ReachabilityStore {
  /** The participants the audience selects for this call, erased ones excluded. */
  candidates(callId: string, audience: Audience): Promise<Candidate[]>;
  /** Creates it; with a uniqueKey already used, returns the existing one and created = false. */
  create(input: NewAnnouncement): Promise<{ id: string; created: boolean }>;
  get(id: string): Promise<AnnouncementRecord | null>;
  list(): Promise<AnnouncementRecord[]>;
  unfinished(): Promise<AnnouncementRecord[]>;
  /**
   * Stores every recipient's copy, once: a second call (a resumed announcement) writes nothing.
   * The rows and the "written" mark are one transaction.
   */
  writeRecipients(id: string, rows: { participantId: string; platform: Platform; status: DeliveryStatus }[], at: Date): Promise<boolean>;
  /** Up to `limit` deliveries in `status` on a platform, in id order after `afterId`. */
  deliveries(id: string, platform: Platform, status: DeliveryStatus, afterId: number, limit: number): Promise<DeliveryJob[]>;
  /**
   * Claims pending deliveries for one sender (pending → sending, marked with `token`) in one
   * statement; returns the ids this sender won.
   */
  claim(ids: number[], token: string, at: Date): Promise<Set<number>>;
  /** Many deliveries from `from` to `to` in one statement (copies sent, marked in batches). */
  transitionMany(ids: number[], from: DeliveryStatus, to: DeliveryStatus, at: Date): Promise<void>;
  /** Compare-and-set: true when the delivery was in `from` and is now in `to`. */
  transition(deliveryId: number, from: DeliveryStatus, to: DeliveryStatus, at: Date): Promise<boolean>;
  /** A live sender's lease: its claimed copies still `sending` are marked as renewed at `at`. */
  renewClaims(id: string, token: string, at: Date): Promise<void>;
  /**
   * Copies left in `sending` whose claim was last made or renewed before `staleBefore` (their
   * sender stopped) become `uncertain`, never sent again. Returns how many.
   */
  abandonSending(id: string, staleBefore: Date): Promise<number>;
  /** This person's held copies (oldest first), with their announcement. */
  heldFor(participantId: string): Promise<{ job: DeliveryJob; announcement: AnnouncementRecord }[]>;
  counts(id: string): Promise<Counts>;
  finish(id: string): Promise<void>;
  /**
   * A platform's daily limit on people the bot starts a conversation with (SendingWindow
   * .initiationsPerDay), counted from the stored copies so that it holds across restarts and
   * instances: the different participants with a copy marked initiated (initiatedAt) at or after
   * `since` that is sending, sent or uncertain.
   */
  initiatedSince(platform: Platform, since: Date): Promise<Set<string>>;
  /**
   * Marks this claimed copy (`sending`) initiated at `at` when its person is already counted since
   * `since` or fewer than `perDay` people are; else leaves it unmarked. One at a time across
   * processes (PostgreSQL: an advisory lock; SQLite: the write lock taken by the mark itself).
   */
  reserveInitiation(deliveryId: number, perDay: number, since: Date, at: Date): Promise<boolean>;
  /** A claimed copy back to pending, unmarked: it waits for the daily limit to free. */
  requeue(deliveryId: number, at: Date): Promise<boolean>;
}
