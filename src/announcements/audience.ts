/**
 * Who gets an announcement and what becomes of each copy, decided from stored facts only:
 * - turned announcements off (/stop) → opted-out;
 * - no sender for their platform here, or stored unreachable on the participant (a platform
 *   refused them as a recipient — Telegram 403, my_chat_member "kicked", Messenger 551, Slack
 *   channel_not_found…; cleared when they write) → unreachable: no send is attempted;
 * - outside their platform's sending window, as its adapter declares it (AdapterCapabilities
 *   .window; Messenger's 24 hours) → what the platform does outside it: held until they write,
 *   dropped, or pending when the platform sends an approved template instead;
 * - otherwise pending: sent now.
 * Validation of an organiser's input is here too, with translated problems.
 */
import { LOCALES, type Locale } from '../domain/records.js';
import { PLATFORMS, type Platform } from '../core/types.js';
import { withinWindow, type SendingWindow } from '../core/adapter.js';
import type { CallDefinition } from '../domain/call-definition.js';
import { AUDIENCE_WHO, type Audience, type AnnouncementKind, type Candidate, type DeliveryStatus, type Texts } from './types.js';

/** Every platform fits this in one message with the footer (the smallest declared: 2000 characters). */
export const MAX_TEXT_CHARS = 1600;
/** The language whose text goes to people whose own language has none. */
export const DEFAULT_LOCALE: Locale = 'en';

export interface ReachContext {
  now: Date;
  /** Platforms with a sender here (configured). */
  platforms: ReadonlySet<Platform>;
  /** The sending windows the configured platforms' adapters declare (none: any time). */
  windows: ReadonlyMap<Platform, SendingWindow>;
  /**
   * For platforms with a daily limit on people reached outside the window (initiationsPerDay):
   * the people it already counts in the last 24 hours (absent: none known).
   */
  reached?: ReadonlyMap<Platform, ReadonlySet<string>>;
}

/**
 * What becomes of a copy to someone outside their platform's window: held (until they write) or
 * dropped; null when they are within it, when the platform has none, or when it sends an approved
 * template outside it (the channel is told, and the copy goes now).
 */
export function outsideWindowStatus(window: SendingWindow | undefined, lastInboundAt: Date | null, now: Date): 'held' | 'dropped' | null {
  if (!window || withinWindow(window, lastInboundAt, now)) return null;
  switch (window.outside) {
    case 'hold':
      return 'held';
    case 'drop':
      return 'dropped';
    case 'template':
      return null;
  }
}

/**
 * What the participant's stored "unreachable" means for a copy: nothing (null), held, or
 * unreachable. Stored for the platform's own "outside the window" refusal (the window's
 * refusalReason) on a platform that holds, the person is not gone: their copy is held.
 */
export function storedReach(c: Pick<Candidate, 'unreachableAt' | 'unreachableReason'>, window: SendingWindow | undefined): 'held' | 'unreachable' | null {
  if (!c.unreachableAt) return null;
  return isWindowRefusal(window, c.unreachableReason) ? 'held' : 'unreachable';
}

/** A refusal reason that only says the person is outside a window that holds (it opens when they write). */
export function isWindowRefusal(window: SendingWindow | undefined, reason: string | null | undefined): boolean {
  return window?.outside === 'hold' && window.refusalReason !== undefined && reason === window.refusalReason;
}

/** The status a copy starts in. Opting out covers announcements and reminders alike. */
export function initialStatus(c: Candidate, _kind: AnnouncementKind, ctx: ReachContext): DeliveryStatus {
  if (c.announcementsOffAt) return 'opted-out';
  if (!ctx.platforms.has(c.platform)) return 'unreachable';
  const window = ctx.windows.get(c.platform);
  return storedReach(c, window) ?? outsideWindowStatus(window, c.lastInboundAt, ctx.now) ?? 'pending';
}

/** The language of the text a person gets: their own if written, else the default. */
export function textLocale(texts: Texts, locale: Locale): Locale {
  return texts[locale] !== undefined && texts[locale]!.trim() !== '' ? locale : DEFAULT_LOCALE;
}

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export interface AnnouncementInput {
  texts: Texts;
  audience: Audience;
  expiresAt: Date | null;
}

/** Raw options (CLI flags, a Slack modal's fields) → a checked input, or the problems found. */
export function checkInput(
  raw: { texts: Partial<Record<Locale, string | undefined>>; who?: string; topics?: string; platforms?: string; languages?: string; expires?: string },
  call: CallDefinition,
  now: Date,
): { ok: true; input: AnnouncementInput } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const texts: Texts = {};
  for (const lng of LOCALES) {
    const t = raw.texts[lng]?.replace(/\r\n/g, '\n').trim();
    if (!t) continue;
    if (t.length > MAX_TEXT_CHARS) problems.push({ key: 'tooLong', params: { language: lng, length: t.length, max: MAX_TEXT_CHARS } });
    texts[lng] = t;
  }
  if (Object.keys(texts).length === 0) problems.push({ key: 'noText' });
  else if (!texts[DEFAULT_LOCALE]) problems.push({ key: 'noDefault', params: { language: DEFAULT_LOCALE } });
  const who = (raw.who?.trim() || 'consented') as Audience['who'];
  if (!AUDIENCE_WHO.includes(who)) problems.push({ key: 'badWho' });
  const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
  const topics = list(raw.topics).map(Number);
  if (topics.some((t) => !call.topics.includes(t))) problems.push({ key: 'badTopic', params: { topics: call.topics.join(', ') } });
  else if (topics.length > 0 && who !== 'contributed') problems.push({ key: 'topicNeedsContributed' });
  const platforms = list(raw.platforms) as Platform[];
  if (platforms.some((p) => !PLATFORMS.includes(p))) problems.push({ key: 'badPlatform' });
  const languages = list(raw.languages) as Locale[];
  if (languages.some((l) => !LOCALES.includes(l))) problems.push({ key: 'badLanguage' });
  let expiresAt: Date | null = null;
  if (raw.expires?.trim()) {
    expiresAt = new Date(raw.expires.trim());
    if (Number.isNaN(expiresAt.getTime()) || expiresAt <= now) problems.push({ key: 'badExpiry' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const audience: Audience = { who };
  if (topics.length > 0) audience.topics = topics;
  if (platforms.length > 0) audience.platforms = platforms;
  if (languages.length > 0) audience.languages = languages;
  return { ok: true, input: { texts, audience, expiresAt } };
}
