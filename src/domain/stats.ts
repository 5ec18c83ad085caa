/**
 * The organisers' figures, computed from plain facts (no I/O). Withdrawn contributions count in
 * the by-state figures only; every other breakdown and the median are over the active ones.
 */
import type { ContributionFact, FunnelCounts } from './records.js';
import { dayIn } from './call-definition.js';

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
  return dayIn(timezone, d);
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

/**
 * Contribution counts grouped by the database, so that the statistics cost the same whatever the
 * number of contributions: a few hundred rows at most come back, never one row per contribution.
 */
export interface StatsAggregates {
  /** Counts per (topic, language, platform, state), with the earliest creation time in each group. */
  groups: { topic: number; language: string; platform: string; state: string; count: number; first: Date }[];
  /** Active contributions per day in the call's timezone (YYYY-MM-DD) and topic. */
  days: { day: string; topic: number; count: number }[];
  /** Active contributions per word count of their latest revision: a histogram, for the median. */
  words: { wordCount: number; count: number }[];
}

/** The same aggregates computed from facts in memory (the in-memory store; small data). */
export function aggregateFacts(facts: ContributionFact[], timezone: string): StatsAggregates {
  const groups = new Map<string, StatsAggregates['groups'][number]>();
  const days = new Map<string, StatsAggregates['days'][number]>();
  const words = new Map<number, number>();
  for (const f of facts) {
    const gk = JSON.stringify([f.topic, f.language, f.platform, f.state]);
    const g = groups.get(gk);
    if (g) {
      g.count++;
      if (f.createdAt < g.first) g.first = f.createdAt;
    } else groups.set(gk, { topic: f.topic, language: f.language, platform: f.platform, state: f.state, count: 1, first: f.createdAt });
    if (f.state === 'withdrawn') continue;
    const day = dayInZone(f.createdAt, timezone);
    const dk = `${day} ${f.topic}`;
    const d = days.get(dk);
    if (d) d.count++;
    else days.set(dk, { day, topic: f.topic, count: 1 });
    words.set(f.wordCount, (words.get(f.wordCount) ?? 0) + 1);
  }
  return { groups: [...groups.values()], days: [...days.values()], words: [...words].map(([wordCount, count]) => ({ wordCount, count })) };
}

/** The median of a histogram, exactly as median() of the values it counts. */
export function histogramMedian(words: StatsAggregates['words']): number | null {
  const sorted = [...words].filter((w) => w.count > 0).sort((a, b) => a.wordCount - b.wordCount);
  const n = sorted.reduce((sum, w) => sum + w.count, 0);
  if (n === 0) return null;
  // The value at 0-based position i of the sorted values.
  const at = (i: number): number => {
    let seen = 0;
    for (const w of sorted) {
      seen += w.count;
      if (i < seen) return w.wordCount;
    }
    return sorted.at(-1)!.wordCount;
  };
  const mid = n >> 1;
  return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/**
 * The figures from database aggregates: the same numbers, and the same key order, as
 * computeStats over every fact (breakdowns without a fixed order list keys by first appearance).
 */
export function statsFromAggregates(input: {
  callId: string;
  topics: number[];
  aggregates: StatsAggregates;
  funnel: FunnelCounts;
  now: Date;
}): CallStats {
  const byFirst = [...input.aggregates.groups].sort((a, b) => a.first.getTime() - b.first.getTime());
  const active = byFirst.filter((g) => g.state !== 'withdrawn');
  const sum = (items: typeof byFirst, key: (g: (typeof byFirst)[number]) => string, seed: string[] = []) => {
    const out: Record<string, number> = Object.fromEntries(seed.map((k) => [k, 0]));
    for (const g of items) out[key(g)] = (out[key(g)] ?? 0) + g.count;
    return out;
  };
  const byDay: Record<string, number> = {};
  for (const d of [...input.aggregates.days].sort((a, b) => a.day.localeCompare(b.day))) byDay[d.day] = (byDay[d.day] ?? 0) + d.count;
  return {
    callId: input.callId,
    generatedAt: input.now.toISOString(),
    contributions: {
      total: byFirst.reduce((n, g) => n + g.count, 0),
      active: active.reduce((n, g) => n + g.count, 0),
      byTopic: sum(active, (g) => String(g.topic), input.topics.map(String)),
      byLanguage: sum(active, (g) => g.language, ['en', 'ar', 'ckb']),
      byPlatform: sum(active, (g) => g.platform),
      byState: sum(byFirst, (g) => g.state, ['submitted', 'accepted', 'declined', 'revision_requested', 'withdrawn']),
      byDay,
    },
    participants: input.funnel,
    medianWords: histogramMedian(input.aggregates.words),
  };
}
