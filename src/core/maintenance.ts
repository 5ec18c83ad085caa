/**
 * Housekeeping the server runs once at start and then periodically: event claims and send
 * receipts older than the configured age are forgotten (platforms redeliver an event within
 * hours, never after days; a failed delivery reported later than that finds no receipt and is
 * only counted, src/core/receipts.ts), an erasure's checkpoint that another
 * process's reader left partial is finished, and each platform rewrites its posts about people
 * erased meanwhile (an erasure made by `purge` in another process is picked up here).
 */
import type { MaintenanceStore } from './ports.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface MaintenanceDeps {
  store: MaintenanceStore;
  clock: () => Date;
  /** How long an event claim is kept (PROCESSED_EVENTS_MAX_AGE_DAYS). */
  processedEventMaxAgeMs: number;
  logger: Logger;
  metrics: Metrics;
  /** Further tasks, e.g. an adapter's redactErased(). A failing task does not stop the others. */
  tasks?: (() => Promise<unknown>)[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export class Maintenance {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: MaintenanceDeps) {}

  /** One pass; returns how many event claims were forgotten. Overlapping calls share one pass. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { store, clock, logger, metrics } = this.deps;
    let pruned = 0;
    try {
      pruned = await store.pruneProcessedEvents(new Date(clock().getTime() - this.deps.processedEventMaxAgeMs));
      metrics.inc('processed_events_pruned_total', {}, pruned);
    } catch (err) {
      logger.warn('pruning processed events failed', { err });
    }
    // Send receipts by the same age: most failed deliveries are reported within minutes.
    try {
      metrics.inc('send_receipts_pruned_total', {}, await store.pruneReceipts(new Date(clock().getTime() - this.deps.processedEventMaxAgeMs)));
    } catch (err) {
      logger.warn('pruning send receipts failed', { err });
    }
    // An erasure whose bytes could not all leave the files at once (another process was reading).
    if (await store.reclaimErased().catch((err: unknown) => logger.warn('reclaiming erased bytes failed', { err }))) {
      metrics.inc('erasure_reclaim_retries_total');
    }
    for (const task of this.deps.tasks ?? []) {
      await task().catch((err: unknown) => logger.warn('maintenance task failed', { err }));
    }
    return pruned;
  }

  /** Runs a pass now and every `intervalMs` (default one hour) until stop(). */
  start(intervalMs = 60 * 60 * 1000): Promise<number> {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
    return this.runOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
