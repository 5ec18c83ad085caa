/**
 * Who holds the outbox's leases, and whether they are alive. Each process that sends replies has
 * an instance id (made at start) and writes it into the leases it takes (OutboxMeta.holder). A
 * server beats every second (LeaseHolder.beatAt); a holder silent for a few seconds is dead (killed,
 * or its machine gone), and its leased replies are taken over by whoever sees it first, instead of
 * waiting out the two-minute lease. A slow holder that beats again is alive again: at worst a reply
 * it was sending goes twice (the at-least-once promise), never out of order with the ones after it.
 *
 * Times are the processes' own clocks: instances on machines whose clocks differ by more than the
 * dead-after margin would take over each other's replies early (sent twice, not lost).
 */
import { randomUUID } from 'node:crypto';
import type { LeaseHolderStore } from './ports.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface LeaseHolderPolicy {
  /** How often a holder says it is alive (default 1 s). */
  beatMs: number;
  /** Silent for longer than this, a holder is dead and its replies are taken over (default 5 s). */
  deadAfterMs: number;
}

export const DEFAULT_LEASE_HOLDER_POLICY: LeaseHolderPolicy = { beatMs: 1000, deadAfterMs: 5000 };

/** This process's holder id, and the last beat seen of each other holder. */
export class HolderView {
  readonly self: string = randomUUID();
  /** Holder → its last beat (ms). Holders never seen are unknown, not dead. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: () => Date,
    readonly deadAfterMs = DEFAULT_LEASE_HOLDER_POLICY.deadAfterMs,
  ) {}

  /**
   * False only for a holder seen beating and silent since for longer than deadAfterMs. A holder
   * never seen (one that just started, or a process that does not beat, such as a console
   * session or a test's instance) counts as alive: its leases are waited out, as before holders.
   */
  alive(holder: string): boolean {
    if (holder === this.self) return true;
    const beat = this.seen.get(holder);
    return beat === undefined || this.clock().getTime() - beat <= this.deadAfterMs;
  }

  /** What the holders' table says now; a holder forgotten there stays known here (and dead). */
  update(rows: { id: string; beatAt: Date }[]): void {
    for (const r of rows) this.seen.set(r.id, r.beatAt.getTime());
  }
}

export interface LeaseKeeperDeps {
  store: LeaseHolderStore;
  view: HolderView;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  /** Sends what the given conversations hold (each in its conversation's queue). */
  takeOver: (conversationKeys: string[]) => Promise<void>;
  beatMs?: number;
}

/** The most conversations of a dead holder taken over per beat (the rest at the next). */
const TAKE_OVER_BATCH = 500;

/** Beats for this process and takes over the replies of holders that stopped beating. */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** The next beat treats every other holder as dead (start({ alone: true })). */
  private othersDead = false;

  constructor(private readonly deps: LeaseKeeperDeps) {}

  /** One beat; overlapping calls share one. */
  beatOnce(): Promise<void> {
    this.running ??= this.beat().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async beat(): Promise<void> {
    const { store, view, clock, logger, metrics } = this.deps;
    try {
      await store.beatHolder(view.self, clock());
      const rows = await store.listHolders();
      view.update(this.othersDead ? rows.map((r) => (r.id === view.self ? r : { ...r, beatAt: new Date(0) })) : rows);
      this.othersDead = false;
      for (const dead of rows.filter((r) => !view.alive(r.id))) {
        const keys = await store.listHeldBy(dead.id, TAKE_OVER_BATCH);
        if (keys.length > 0) {
          logger.info('taking over the replies of a lease holder that stopped', { holder: dead.id, conversations: keys.length });
          metrics.inc('outbox_takeovers_total', {}, keys.length);
          await this.deps.takeOver(keys);
        }
        // Nothing of it left (another instance may have taken some): forget it, unless it beat again.
        if ((await store.listHeldBy(dead.id, 1)).length === 0) await store.forgetHolder(dead.id, dead.beatAt);
      }
    } catch (err) {
      logger.warn('lease heartbeat failed', { err });
    }
  }

  /**
   * Beats now, then every beatMs until stop(). `alone`: this is the only server on its database
   * (SQLite: one process), so whoever else holds leases died, and their replies are taken over
   * in this first beat instead of after the dead-after margin.
   */
  start(opts: { alone?: boolean } = {}): Promise<void> {
    this.othersDead = opts.alone ?? false;
    this.timer = setInterval(() => void this.beatOnce(), this.deps.beatMs ?? DEFAULT_LEASE_HOLDER_POLICY.beatMs);
    this.timer.unref();
    return this.beatOnce();
  }

  /**
   * Stops beating and says so (a beat at the epoch: dead to everyone at their next beat), so a
   * lease it still holds (a send cut short by the shutdown's grace period) is taken over at once.
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.deps.store.beatHolder(this.deps.view.self, new Date(0)).catch((err: unknown) => this.deps.logger.warn('could not end the lease heartbeat', { err }));
  }
}
