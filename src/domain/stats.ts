/**
 * The organisers' figures, computed from plain facts (no I/O). Withdrawn contributions count in
 * the by-state figures only; every other breakdown and the median are over the active ones.
 */
import type { ContributionFact, FunnelCounts } from './records.js';

export interface CallStats {
  callId: string;
  generatedAt: string;
  contributions: {
    total: number;
    active: number;
    byTopic: Record<string, number>;
    byLanguage: Record<string, number>;
    byPlatform: Record<string, number>;
    byState: Record<string, number>;
    /** Per day in the call's timezone (YYYY-MM-DD), oldest first. */
    byDay: Record<string, number>;
  };
  participants: FunnelCounts;
  medianWords: number | null;
  /** Messages the bot started that wait for the person to write again, per platform. */
  heldNotices?: Partial<Record<string, number>>;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function tally<T>(items: T[], key: (t: T) => string, seed: string[] = []): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(seed.map((k) => [k, 0]));
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

export function dayInZone(d: Date, timezone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export function computeStats(input: {
  callId: string;
  timezone: string;
  topics: number[];
  facts: ContributionFact[];
  funnel: FunnelCounts;
  now: Date;
}): CallStats {
  const active = input.facts.filter((f) => f.state !== 'withdrawn');
  const byDay = tally(active, (f) => dayInZone(f.createdAt, input.timezone));
  return {
    callId: input.callId,
    generatedAt: input.now.toISOString(),
    contributions: {
      total: input.facts.length,
      active: active.length,
      byTopic: tally(active, (f) => String(f.topic), input.topics.map(String)),
      byLanguage: tally(active, (f) => f.language, ['en', 'ar', 'ckb']),
      byPlatform: tally(active, (f) => f.platform),
      byState: tally(input.facts, (f) => f.state, ['submitted', 'accepted', 'declined', 'revision_requested', 'withdrawn']),
      byDay: Object.fromEntries(Object.entries(byDay).sort(([a], [b]) => a.localeCompare(b))),
    },
    participants: input.funnel,
    medianWords: median(active.map((f) => f.wordCount)),
  };
}
