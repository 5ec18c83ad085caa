/**
 * What an announcement will do, before it is sent: the text each language gets, and per platform
 * how many people get it now, later (held), or not at all — because they turned announcements off
 * (opted out) or cannot be reached (blocked the bot, or their platform is not configured here).
 */
import { LOCALES, type Locale } from '../domain/records.js';
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
  /**
   * Per platform that sends approved templates outside its window: who gets one, and — where the
   * platform limits the people reached that way per day — how many go now and how many wait.
   */
  templates: Partial<Record<Platform, TemplateReach>>;
  byPlatform: Partial<Record<Platform, Reach>>;
  total: Reach;
  /** The initial status of each candidate's copy (what sending stores). */
  statuses: { candidate: Candidate; status: DeliveryStatus }[];
}

export interface TemplateReach {
  /** People outside the window who get the approved template (now or over the next days). */
  count: number;
  /** Of them, per language without a template: how many get which language's instead (ckb → ar). */
  substitutes: { from: Locale; to: string; count: number }[];
  /** The platform's daily limit on people reached outside the window (absent: none). */
  perDay?: number;
  /** Of `count`, how many fit within the limit now; the rest wait for the next days. */
  today: number;
  later: number;
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
  const p: Preview = { byText: {}, fallback: 0, otherTemplateLanguage: 0, templates: {}, byPlatform: {}, total: noReach(), statuses: [] };
  /** Per platform: people outside the window getting a template, and those the limit already counts. */
  const fresh = new Map<Platform, number>();
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
    if (reach !== 'now' || window?.outside !== 'template' || withinWindow(window, c.lastInboundAt, ctx.now)) continue;
    const t = (p.templates[c.platform] ??= { count: 0, substitutes: [], today: 0, later: 0, ...(window.initiationsPerDay !== undefined ? { perDay: window.initiationsPerDay } : {}) });
    t.count++;
    if (!ctx.reached?.get(c.platform)?.has(c.participantId)) fresh.set(c.platform, (fresh.get(c.platform) ?? 0) + 1);
    if (window.templateLocales && !window.templateLocales.includes(c.locale)) {
      p.otherTemplateLanguage++;
      const to = window.templateLocaleFor?.[c.locale];
      if (to) {
        const row = t.substitutes.find((x) => x.from === c.locale && x.to === to);
        if (row) row.count++;
        else t.substitutes.push({ from: c.locale, to, count: 1 });
      }
    }
  }
  // Within the limit: everyone already reached in these 24 hours (no new place), and new people
  // up to the places left; the others' copies wait, pending, and go over the next days.
  for (const [platform, t] of Object.entries(p.templates) as [Platform, TemplateReach][]) {
    // In the languages' own order, whatever order the people came in.
    t.substitutes.sort((x, y) => LOCALES.indexOf(x.from) - LOCALES.indexOf(y.from));
    const newPeople = fresh.get(platform) ?? 0;
    const left = t.perDay === undefined ? newPeople : Math.max(0, t.perDay - (ctx.reached?.get(platform)?.size ?? 0));
    t.later = Math.max(0, newPeople - left);
    t.today = t.count - t.later;
  }
  return p;
}
