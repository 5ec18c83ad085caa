/**
 * The organisers' figures, read from storage and computed by the domain: one source for the CLI,
 * Telegram's /stats and Slack's /icssi stats, so every channel shows the same numbers.
 */
import type { BotStore } from '../core/ports.js';
import type { CallDefinition } from '../domain/call-definition.js';
import { computeStats, type CallStats } from '../domain/stats.js';

export async function loadStats(store: BotStore, call: CallDefinition, now: Date): Promise<CallStats> {
  const [facts, funnel, held] = await Promise.all([store.contributionFacts(call.id), store.funnel(call.id), store.heldCounts()]);
  return { ...computeStats({ callId: call.id, timezone: call.timezone, topics: call.topics, now, facts, funnel }), heldNotices: held };
}
