/**
 * What an announcement will do, before it is sent: the text each language gets, and per platform
 * how many people get it now, later (held), or not at all — because they turned announcements off
 * (opted out) or cannot be reached (blocked the bot, or their platform is not configured here).
 */
import type { Locale } from '../domain/records.js';
import { withinWindow } from '../core/adapter.js';
import type { Platform } from '../core/types.js';
import { initialStatus, textLocale, type ReachContext } from './audience.js';
import type { AnnouncementKind, Candidate, DeliveryStatus, Texts } from './types.js';

export interface Preview {
  /** Per text language: how many people (now or held) will read that text. */
  byText: Partial<Record<Locale, number>>;
  /** People (now or held) whose own language has no text and who get the default one. */
  fallback: number;
  /** People outside their window who get a template in another language than theirs. */
  otherTemplateLanguage: number;
  byPlatform: Partial<Record<Platform, Reach>>;
  total: Reach;
  /** The initial status of each candidate's copy (what sending stores). */
  statuses: { candidate: Candidate; status: DeliveryStatus }[];
}

export interface Reach {
  now: number;
  held: number;
  optedOut: number;
  unreachable: number;
}

export function reachOf(status: DeliveryStatus): keyof Reach {
  return status === 'pending' ? 'now' : status === 'held' ? 'held' : status === 'opted-out' ? 'optedOut' : 'unreachable';
}

const noReach = (): Reach => ({ now: 0, held: 0, optedOut: 0, unreachable: 0 });

export function buildPreview(candidates: Candidate[], texts: Texts, kind: AnnouncementKind, ctx: ReachContext): Preview {
  const p: Preview = { byText: {}, fallback: 0, otherTemplateLanguage: 0, byPlatform: {}, total: noReach(), statuses: [] };
  for (const c of candidates) {
    const status = initialStatus(c, kind, ctx);
    p.statuses.push({ candidate: c, status });
    const reach = reachOf(status);
    const row = (p.byPlatform[c.platform] ??= noReach());
    row[reach]++;
    p.total[reach]++;
    if (reach !== 'now' && reach !== 'held') continue;
    const lng = textLocale(texts, c.locale);
    p.byText[lng] = (p.byText[lng] ?? 0) + 1;
    if (lng !== c.locale) p.fallback++;
    const window = ctx.windows.get(c.platform);
    if (reach === 'now' && window?.outside === 'template' && window.templateLocales && !window.templateLocales.includes(c.locale) && !withinWindow(window, c.lastInboundAt, ctx.now)) {
      p.otherTemplateLanguage++;
    }
  }
  return p;
}
