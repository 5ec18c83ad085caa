/**
 * The announcements the desk composes and sends: src/announcements' Announcements, seen through
 * the few operations the desk uses (given by the composition, so the desk imports no sender).
 */
import type { AnnouncementInput } from '../announcements/audience.js';
import type { Preview } from '../announcements/preview.js';
import type { Counts } from '../announcements/types.js';

export interface DeskAnnouncementSummary {
  id: string;
  kind: string;
  createdBy: string;
  createdAt: Date;
  status: string;
  counts: Counts;
}

export interface DeskAnnouncements {
  preview(input: AnnouncementInput): Promise<Preview>;
  /** Creates and starts sending (not awaited); returns its id. */
  start(input: AnnouncementInput, createdBy: string): Promise<string>;
  list(limit: number): Promise<DeskAnnouncementSummary[]>;
  /** Delivery figures of one announcement (null when unknown). */
  counts(id: string): Promise<Counts | null>;
}
