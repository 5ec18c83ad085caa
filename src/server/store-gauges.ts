/**
 * Gauges read from the database at each scrape of /metrics: the outbox's depth and the notices
 * held for a platform window. (Dead-lettered notices are registered the same way, with
 * metrics.gauge, by the part that dead-letters them.)
 */
import type { Metrics } from '../core/metrics.js';
import type { HealthStore } from '../core/ports.js';

export function registerStoreGauges(metrics: Metrics, store: HealthStore): void {
  metrics.gauge('outbox_conversations', 'Conversations whose replies are stored but not yet delivered (the outbox depth).', [], () => store.outboxDepth());
  metrics.gauge('notices_held', "Messages the bot started that wait for a platform's sending window (24 hours on some), by platform.", ['platform'], async () =>
    Object.entries(await store.heldCounts()).map(([platform, value]) => ({ labels: { platform }, value: value ?? 0 })),
  );
  metrics.gauge('database_up', '1 when the database answered the last scrape, 0 when it did not.', [], () =>
    store.ping().then(
      () => 1,
      () => 0,
    ),
  );
}
