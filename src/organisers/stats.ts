/**
 * The organisers' figures, read from storage and computed by the domain: one source for the CLI,
 * Telegram's /stats and Slack's /icssi stats, so every channel shows the same numbers.
 */
import type { StatsStore } from '../core/ports.js';
import type { CallDefinition } from '../domain/call-definition.js';
import { statsFromAggregates, type CallStats, type StatsAggregates } from '../domain/stats.js';

/**
 * Counted by the database (grouped rows, never one row per contribution): the cost does not
 * grow with what Node loads. `aggregates` are returned too, for the charts.
 */
export async function loadStatsWithAggregates(store: StatsStore, call: CallDefinition, now: Date): Promise<{ stats: CallStats; aggregates: StatsAggregates }> {
  const [aggregates, funnel, held] = await Promise.all([store.statsAggregates(call.id, call.timezone), store.funnel(call.id), store.heldCounts()]);
  const stats = { ...statsFromAggregates({ callId: call.id, topics: call.topics, now, aggregates, funnel }), heldNotices: held };
  return { stats, aggregates };
}

export async function loadStats(store: StatsStore, call: CallDefinition, now: Date): Promise<CallStats> {
  return (await loadStatsWithAggregates(store, call, now)).stats;
}
