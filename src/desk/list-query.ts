/**
 * The contributions list's filters, read from the query string. Anything unknown or malformed is
 * left out (the list is then wider, never an error): a URL is typed, pasted and edited by hand.
 */
import { DESK_SORTS, type DeskListQuery, type DeskSort } from '../core/desk-ports.js';
import type { CallDefinition } from '../domain/call-definition.js';
import { PLATFORMS, type Platform } from '../domain/platform.js';
import { CONTRIBUTION_STATES, LOCALES, type ContributionState, type Locale } from '../domain/records.js';
import { offsetAt } from '../domain/zone-offsets.js';

export const PAGE_SIZE = 50;
export const MAX_SEARCH_CHARS = 100;

function pick<T extends string>(values: readonly T[], v: string | null): T | undefined {
  return v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** A YYYY-MM-DD day as the instant it starts in the call's timezone (+1 day for `to`, exclusive). */
function dayStart(v: string | null, timezone: string, plusDays = 0): Date | undefined {
  const m = v ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  if (Number.isNaN(utc)) return undefined;
  return new Date(utc - offsetAt(timezone, new Date(utc)) * 60_000);
}

export interface ListFilters {
  topic?: number;
  language?: Locale;
  state?: ContributionState;
  platform?: Platform;
  from?: string;
  to?: string;
  q?: string;
  sort: DeskSort;
}

export function readListQuery(params: URLSearchParams, call: CallDefinition): { filters: ListFilters; query: DeskListQuery } {
  const topicRaw = Number(params.get('topic'));
  const topic = call.topics.includes(topicRaw) ? topicRaw : undefined;
  const q = params.get('q')?.trim().slice(0, MAX_SEARCH_CHARS) || undefined;
  const from = dayStart(params.get('from'), call.timezone) ? (params.get('from') ?? undefined) : undefined;
  const to = dayStart(params.get('to'), call.timezone) ? (params.get('to') ?? undefined) : undefined;
  const filters: ListFilters = {
    topic,
    language: pick(LOCALES, params.get('language')),
    state: pick(CONTRIBUTION_STATES, params.get('state')),
    platform: pick(PLATFORMS, params.get('platform')),
    from,
    to,
    q,
    sort: pick(DESK_SORTS, params.get('sort')) ?? 'newest',
  };
  const query: DeskListQuery = {
    callId: call.id,
    topic: filters.topic,
    language: filters.language,
    state: filters.state,
    platform: filters.platform,
    from: dayStart(from ?? null, call.timezone),
    to: dayStart(to ?? null, call.timezone, 1),
    search: q,
    sort: filters.sort,
    after: params.get('after')?.slice(0, 200) || undefined,
    limit: PAGE_SIZE,
  };
  return { filters, query };
}

/** The query string of these filters (for the next page's link), without empty fields. */
export function filtersQuery(f: ListFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}
