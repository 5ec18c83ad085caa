/**
 * The organisers' figures at a few thousand contributions, on SQLite and PostgreSQL: computed by
 * the database, and exactly what the in-Node computation over every contribution gives (the
 * figures the CLI, Telegram and Slack showed before), key order included. The old loader failed
 * here on SQLite ("The query parameter limit supported by your database is exceeded").
 */
import { describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import type { ContributionFact } from '../src/domain/records.js';
import { aggregateFacts, computeStats } from '../src/domain/stats.js';
import { loadStats, loadStatsWithAggregates } from '../src/organisers/stats.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw, type RawTarget } from '../src/storage/raw-connection.js';
import type { CallDefinition } from '../src/domain/call-definition.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { seedCall } from './helpers/seed.js';

const CALL = 'icssi-2019';
const scratch = scratchDatabases('stats');

async function seededStore(provider: RawTarget['provider'], contributions: number): Promise<BotStore> {
  const target = await scratch.empty(provider);
  const url = databaseUrl(target);
  const store = await openStore(url);
  const raw = await connectRaw(target);
  await seedCall(raw, provider, { callId: CALL, participants: Math.floor(contributions * 0.7), contributions });
  // Another call's contributions are not counted in this one's figures.
  await seedCall(raw, provider, { callId: 'another-call', participants: 50, contributions: 120, userPrefix: 'other', seed: 99 });
  await raw.close();
  return store;
}

/** Every contribution read through the export (the ORM, page by page): the old computation's input. */
async function allFacts(store: BotStore): Promise<ContributionFact[]> {
  const facts: ContributionFact[] = [];
  for await (const r of store.exportRecords(CALL)) {
    facts.push({ topic: r.topic, state: r.state, language: r.language, platform: r.platform, createdAt: r.createdAt, wordCount: r.wordCount });
  }
  return facts;
}

const call = (timezone: string) => ({ id: CALL, timezone, topics: [1, 2, 3] }) as CallDefinition;

describe.each(['sqlite', 'postgresql'] as const)('statistics on %s at 3,000 contributions', (provider) => {
  it('equal the in-Node computation over every contribution, in Baghdad and across a summer-time change', async () => {
    const store = await seededStore(provider, 3000);
    try {
      const facts = await allFacts(store);
      expect(facts).toHaveLength(3000);
      const now = new Date('2026-12-01T00:00:00Z');
      for (const timezone of ['Asia/Baghdad', 'Europe/London', 'America/St_Johns']) {
        const funnel = await store.funnel(CALL);
        const expected = computeStats({ callId: CALL, timezone, topics: [1, 2, 3], facts, funnel, now });
        const { stats, aggregates } = await loadStatsWithAggregates(store, call(timezone), now);
        const { heldNotices, ...figures } = stats;
        expect(heldNotices).toEqual({});
        // Same numbers and the same key order: the CLI's --json output is unchanged.
        expect(JSON.stringify(figures)).toBe(JSON.stringify(expected));
        // The per-day and per-topic counts (Slack's chart) and the histogram equal those counted in Node.
        const naive = aggregateFacts(facts, timezone);
        const order = <T extends object>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
        expect(order(aggregates.days)).toEqual(order(naive.days));
        expect(order(aggregates.words)).toEqual(order(naive.words));
        // The database sent back grouped rows, not one row per contribution.
        expect(aggregates.groups.length + aggregates.days.length + aggregates.words.length).toBeLessThan(1500);
      }
      // The fact loader (charts of small calls, tests) no longer trips SQLite's parameter limit.
      expect(await store.contributionFacts(CALL)).toHaveLength(3000);
    } finally {
      await store.close();
    }
  });

  it('are empty, not failing, for a call with no contribution', async () => {
    const store = await seededStore(provider, 0);
    try {
      const s = await loadStats(store, { ...call('Asia/Baghdad'), id: 'nothing-yet' }, new Date('2026-12-01T00:00:00Z'));
      expect(s.contributions).toMatchObject({ total: 0, active: 0, byDay: {}, byTopic: { 1: 0, 2: 0, 3: 0 } });
      expect(s.medianWords).toBeNull();
    } finally {
      await store.close();
    }
  });
});
