/**
 * What an announcement will do, before it is sent: the text each language gets, and per platform
 * how many people get it now, later (held) or never.
 */
import type { Locale } from '../domain/records.js';
import type { Platform } from '../core/types.js';
import { initialStatus, textLocale, type ReachContext } from './audience.js';
import type { AnnouncementKind, Candidate, DeliveryStatus, Texts } from './types.js';

export interface Preview {
  /** Per text language: how many people (now or held) will read that text. */
  byText: Partial<Record<Locale, number>>;
  /** People (now or held) whose own language has no text and who get the default one. */
  fallback: number;
  byPlatform: Partial<Record<Platform, { now: number; held: number; never: number }>>;
  total: { now: number; held: number; never: number };
  /** The initial status of each candidate's copy (what sending stores). */
  statuses: { candidate: Candidate; status: DeliveryStatus }[];
}

export function reachOf(status: DeliveryStatus): 'now' | 'held' | 'never' {
  return status === 'pending' ? 'now' : status === 'held' ? 'held' : 'never';
}

export function buildPreview(candidates: Candidate[], texts: Texts, kind: AnnouncementKind, ctx: ReachContext): Preview {
  const p: Preview = { byText: {}, fallback: 0, byPlatform: {}, total: { now: 0, held: 0, never: 0 }, statuses: [] };
  for (const c of candidates) {
    const status = initialStatus(c, kind, ctx);
    p.statuses.push({ candidate: c, status });
    const reach = reachOf(status);
    const row = (p.byPlatform[c.platform] ??= { now: 0, held: 0, never: 0 });
    row[reach]++;
    p.total[reach]++;
    if (reach === 'never') continue;
    const lng = textLocale(texts, c.locale);
    p.byText[lng] = (p.byText[lng] ?? 0) + 1;
    if (lng !== c.locale) p.fallback++;
  }
  return p;
}
