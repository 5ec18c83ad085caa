/**
 * Plain records the domain, the flow and storage share. No I/O here.
 */
import type { Platform } from './platform.js';

export const LOCALES = ['en', 'ar', 'ckb'] as const;
export type Locale = (typeof LOCALES)[number];

export const CONTRIBUTION_STATES = [
  'submitted',
  'accepted',
  'declined',
  'revision_requested',
  'withdrawn',
] as const;
export type ContributionState = (typeof CONTRIBUTION_STATES)[number];

/** What the person tells about themself; everything but the name is optional. */
export interface ContributorDetails {
  name: string;
  organisation: string | null;
  country: string | null;
  email: string | null;
}

export interface ParticipantRecord {
  id: string;
  platform: Platform;
  platformUserId: string;
  locale: Locale;
  consentAt: Date | null;
  /** When the person last wrote to the bot (Messenger's 24-hour window is counted from it). */
  lastInboundAt: Date | null;
  erasedAt: Date | null;
  /**
   * When the platform said the person cannot be reached (blocked the bot, account gone), and its
   * code; both null when reachable. Cleared when they next write.
   */
  unreachableAt?: Date | null;
  unreachableReason?: string | null;
  /** When the person turned announcements off (/stop); null or absent while they receive them. */
  announcementsOffAt?: Date | null;
}

export interface RevisionInput {
  text: string;
  wordCount: number;
  details: ContributorDetails;
}

export interface ContributionRecord {
  id: string;
  code: string;
  callId: string;
  topic: number;
  state: ContributionState;
  language: Locale;
  platform: Platform;
  createdAt: Date;
  updatedAt: Date;
  /** The latest revision (1 for the first submission). */
  revision: number;
  text: string;
  wordCount: number;
  details: ContributorDetails;
}

/** One contribution as the statistics need it: no text, no personal field. */
export interface ContributionFact {
  topic: number;
  state: ContributionState;
  language: Locale;
  platform: Platform;
  createdAt: Date;
  wordCount: number;
}

export interface FunnelCounts {
  /** Conversations that reached the bot at all. */
  started: number;
  consented: number;
  drafted: number;
  submitted: number;
}

/** One exported contribution. platformUserId is raw here; the exporter pseudonymises it. */
export interface ExportRecord {
  code: string;
  callId: string;
  topic: number;
  state: ContributionState;
  language: Locale;
  platform: Platform;
  platformUserId: string;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
  wordCount: number;
  text: string;
  details: ContributorDetails;
}
