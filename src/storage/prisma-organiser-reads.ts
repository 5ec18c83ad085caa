/**
 * What organisers read and decide (StatsStore, ExportStore, ReviewStore): figures, the export and
 * review. Queries in prisma-stats.ts, prisma-reports.ts and prisma-organiser.ts.
 */
import type { Decision, DecisionResult, ExportStore, ReviewStore, StateChange, StatsStore } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import type { ContributionFact, ContributionRecord, ExportRecord, FunnelCounts, ParticipantRecord } from '../domain/records.js';
import type { StatsAggregates } from '../domain/stats.js';
import * as organiser from './prisma-organiser.js';
import * as reports from './prisma-reports.js';
import { funnelCounts, statsAggregates } from './prisma-stats.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaOrganiserReads implements StatsStore, ExportStore, ReviewStore {
  constructor(private readonly engine: PrismaEngine) {}

  contributionFacts(callId: string): Promise<ContributionFact[]> {
    return this.engine.run('contributionFacts', (tx) => reports.contributionFacts(tx, callId));
  }

  statsAggregates(callId: string, timezone: string): Promise<StatsAggregates> {
    return this.engine.run('statsAggregates', (tx) => statsAggregates(tx, this.engine.options.provider, callId, timezone));
  }

  funnel(callId: string): Promise<FunnelCounts> {
    return this.engine.run('funnel', (tx) => funnelCounts(tx, this.engine.options.provider, callId));
  }

  heldCounts(): Promise<Partial<Record<Platform, number>>> {
    return this.engine.run('heldCounts', (tx) => organiser.heldCounts(tx));
  }

  /** Page by page (prisma-reports.ts): memory stays at one page whatever the total. */
  async *exportRecords(callId: string, pageSize = 500): AsyncIterable<ExportRecord> {
    let after: reports.ExportCursor | null = null;
    do {
      const page: { records: ExportRecord[]; next: reports.ExportCursor | null } = await this.engine.run('exportRecords', (tx) => reports.exportPage(tx, callId, after, pageSize));
      yield* page.records;
      after = page.next;
    } while (after);
  }

  history(code: string): Promise<StateChange[]> {
    return this.engine.run('history', (tx) => reports.history(tx, code));
  }

  getContribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null> {
    return this.engine.run('getContribution', (tx) => organiser.getContribution(tx, code));
  }

  recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult> {
    return this.engine.forgettingCache(this.engine.transact('recordDecision', (tx) => organiser.recordDecision(tx, input)));
  }
}
