/**
 * The organisers' reports as operations, for every surface's organiser commands (the CLI's
 * `stats` and `export`, Slack's `/icssi stats` and `/icssi export csv`, Telegram's /stats; see
 * commands.ts): one loader, one table and one export, over
 * the store the composition gives, so an adapter never holds the store itself.
 */
import type { Writable } from 'node:stream';
import type { CoreTexts, OrganiserCore } from '../core/bot-core.js';
import type { ExportStore, StatsStore } from '../core/ports.js';
import type { Locale } from '../domain/records.js';
import type { CallStats, StatsAggregates } from '../domain/stats.js';
import { exportContributions } from './export.js';
import { loadStatsWithAggregates } from './stats.js';
import { statsTableIn } from './stats-table.js';

export interface OrganiserReports {
  /** The call's figures now, as the CLI's table in `lng`, with the aggregates (for charts). */
  stats(lng: Locale): Promise<{ table: string; aggregates: StatsAggregates }>;
  /** The same figures as data (the CLI's `stats --json`; the desk's overview). */
  figures(): Promise<CallStats>;
  /** The call's contributions written to `out` (user ids pseudonymised); how many. `onRow` after each (a progress bar). */
  exportContributions(format: 'csv' | 'json', out: Writable, onRow?: () => void): Promise<number>;
  /** How many contributions an export will write (the CLI's progress bar needs the total first). */
  contributionCount(): Promise<number>;
}

export function organiserReports(deps: {
  store: StatsStore & ExportStore;
  core: Pick<OrganiserCore, 'call' | 'now'> & { texts: Pick<CoreTexts, 'fixedT'> };
  /** ICSSI_SECRET: keys the pseudonyms in exports. */
  secret: string;
}): OrganiserReports {
  const { store, core, secret } = deps;
  return {
    async stats(lng) {
      const { stats, aggregates } = await loadStatsWithAggregates(store, core.call, core.now());
      return { aggregates, table: statsTableIn(stats, core.texts.fixedT(lng), core.call) };
    },
    figures: async () => (await loadStatsWithAggregates(store, core.call, core.now())).stats,
    exportContributions: (format, out, onRow) => exportContributions({ store, callId: core.call.id, secret, format, out, onRow }),
    contributionCount: async () => (await store.contributionFacts(core.call.id)).length,
  };
}
