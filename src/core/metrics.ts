/**
 * Metrics for /metrics (prom-client, Prometheus text format): counts, latencies and queue sizes,
 * nothing personal. Each Metrics has its own registry (tests build several apps in one process).
 *
 * Names are stable and documented in README.md ("Metrics"); every one is prefixed `icssi_` and has
 * HELP text. What varies (the platform, the outcome, a reason) is a label, never part of the name.
 * Counters are declared in COUNTERS below; other parts (outbox, purge jobs) may add their own
 * counters, gauges and histograms with counter()/gauge()/histogram().
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const PREFIX = 'icssi_';

type Labels = Record<string, string>;

interface CounterSpec {
  help: string;
  labels: readonly string[];
}

/** Every counter the bot increments: name (without prefix) → help and label names. */
export const COUNTERS: Record<string, CounterSpec> = {
  events_total: { help: 'Inbound events through the dispatcher, by platform and outcome (processed, duplicate).', labels: ['platform', 'outcome'] },
  commit_retries_total: { help: 'Event commits computed again, by reason (conflict: a concurrent change; code-taken: a receipt code collision).', labels: ['reason'] },
  flow_errors_total: { help: 'Bugs caught in the conversation flow (the person got an apology), by platform.', labels: ['platform'] },
  replies_dead_lettered_total: { help: 'Replies given up for good (refused by the platform, or failing past the retry cap), by platform; kept in DeadLetter with the reason.', labels: ['platform'] },
  send_failures_total: { help: 'Replies kept in the outbox because sending failed, by platform.', labels: ['platform'] },
  outbox_takeovers_total: { help: 'Conversations whose leased replies were taken over from a lease holder that stopped beating (a crashed instance).', labels: [] },
  notices_total: { help: 'Messages the bot started (review decisions), by platform and outcome (sent, held, failed).', labels: ['platform', 'outcome'] },
  inbound_total: { help: 'Platform deliveries seen by the adapters, by platform and outcome (received, error).', labels: ['platform', 'outcome'] },
  inbound_ignored_total: { help: 'Platform deliveries ignored on purpose, by platform and reason (echo, delivery, read, unsupported…).', labels: ['platform', 'reason'] },
  requests_rejected_total: { help: 'Webhook requests refused for a missing or wrong secret or signature, by platform and reason.', labels: ['platform', 'reason'] },
  redeliveries_total: { help: 'Deliveries the platform made again, by platform and kind.', labels: ['platform', 'kind'] },
  ack_deadline_missed_total: { help: 'Requests not acknowledged within the platform deadline (3 s on some), by platform.', labels: ['platform'] },
  messages_sent_total: { help: 'Messages delivered to a platform API, by platform.', labels: ['platform'] },
  platform_send_errors_total: { help: 'Platform API calls that failed, by platform and kind (failed, rate-limited, network, server…).', labels: ['platform', 'kind'] },
  participants_marked_unreachable_total: { help: 'People stored as unreachable (blocked the bot, refused by the platform), by platform; cleared when they write again.', labels: ['platform'] },
  user_id_changes_total: { help: 'A platform gave a person a new id (some platforms do on a change of phone number), by platform and outcome (moved, taken: the new id had a participant of its own).', labels: ['platform', 'outcome'] },
  deliveries_failed_after_send_total: { help: 'Messages a platform accepted and later reported undelivered (a failed status), by platform and kind (notice: held again; announcement: copy counted unreachable; reply: no receipt kept).', labels: ['platform', 'kind'] },
  send_receipts_pruned_total: { help: 'Send receipts forgotten after their age (PROCESSED_EVENTS_MAX_AGE_DAYS).', labels: [] },
  processed_events_pruned_total: { help: 'Claimed event ids forgotten after their age (PROCESSED_EVENTS_MAX_AGE_DAYS).', labels: [] },
  erasure_reclaim_retries_total: { help: 'SQLite checkpoints after an erasure finished later by the maintenance job (another process was reading).', labels: [] },
  documents_total: { help: 'Documents sent as a contribution, by platform and outcome (read, too-large, unsupported-type, unreadable).', labels: ['platform', 'outcome'] },
  deletions_total: { help: 'Platform data-deletion requests, by platform and outcome (erased, duplicate, unknown).', labels: ['platform', 'outcome'] },
};

/** Latency buckets in seconds: from a fast SQLite commit to a slow platform API. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const HISTOGRAMS: Record<string, CounterSpec> = {
  event_handling_seconds: { help: 'Time to handle one inbound event (load, flow, commit, send replies), by platform and outcome.', labels: ['platform', 'outcome'] },
  platform_send_seconds: { help: 'Time for one reply to be accepted by the platform API (retries and waits included), by platform.', labels: ['platform'] },
};

function key(name: string, labels: Labels): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  /** The same counts, readable synchronously (tests, the CLI). */
  private readonly values = new Map<string, number>();

  private processMetrics = false;

  /** Heap, event-loop lag, CPU, file descriptors…: only where a process serves /metrics. */
  enableProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** A counter of one's own (declared once; later calls return the same counter). */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    let c = this.counters.get(name);
    if (!c) {
      c = new Counter({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
      this.counters.set(name, c);
    }
    return c;
  }

  /** Adds to a counter; COUNTERS declares its help and labels. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    // An undeclared name still counts (a metric must never break a message); a test checks that
    // every name used in the code is declared, so its HELP is real.
    const spec = COUNTERS[name] ?? { help: `${name} (not documented yet)`, labels: Object.keys(labels) };
    this.counter(name, spec.help, spec.labels).inc(labels, by);
    const k = key(name, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  /** The current count of a counter with exactly these labels (0 if never counted). */
  value(name: string, labels: Labels = {}): number {
    return this.values.get(key(name, labels)) ?? 0;
  }

  /** A histogram of one's own (declared once). */
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets = SECONDS_BUCKETS): Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      h = new Histogram({ name: PREFIX + name, help, labelNames, buckets, registers: [this.registry] });
      this.histograms.set(name, h);
    }
    return h;
  }

  /** Records a duration (seconds) in one of the declared histograms. */
  observe(name: string, labels: Labels, seconds: number): void {
    const spec = HISTOGRAMS[name] ?? { help: `${name} (not documented yet)`, labels: Object.keys(labels) };
    this.histogram(name, spec.help, spec.labels).observe(labels, seconds);
  }

  /**
   * A gauge read when /metrics is scraped: `collect` returns the value, or one value per label
   * set. A failing read (the database is down) shows the gauge as unknown (NaN) instead of
   * failing the scrape.
   */
  gauge(name: string, help: string, labelNames: readonly string[], collect: () => Promise<number | { labels: Labels; value: number }[]>): Gauge {
    return new Gauge({
      name: PREFIX + name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        try {
          const got = await collect();
          this.reset();
          if (typeof got === 'number') this.set(got);
          else for (const { labels, value } of got) this.set(labels, value);
        } catch {
          // Unknown, not zero: a gauge without labels shows NaN, one with labels shows no series.
          this.reset();
          if (labelNames.length === 0) this.set(NaN);
        }
      },
    });
  }

  /** The Prometheus text exposition. */
  toPrometheus(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
