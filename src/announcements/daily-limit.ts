/**
 * A platform's daily limit on people the bot starts a conversation with outside its window
 * (SendingWindow.initiationsPerDay, as its adapter declares it), seen by one sending pass. The
 * store decides each place across processes (reserveInitiation); this remembers, for the pass,
 * who is counted already and whether the limit is reached, so copies that could only wait are
 * not even claimed.
 */
import type { SendingWindow } from '../core/adapter.js';
import type { Platform } from '../core/types.js';
import type { AnnouncementStore } from './types.js';

const DAY_MS = 24 * 3600_000;

type LimitStore = Pick<AnnouncementStore, 'initiatedSince' | 'reserveInitiation'>;

/** Whether this window has a daily limit on people reached outside it. */
export function hasDailyLimit(window: SendingWindow | undefined): window is SendingWindow & { initiationsPerDay: number } {
  return window?.outside === 'template' && window.initiationsPerDay !== undefined;
}

/** The different people the platform counts against its limit at `now` (the last 24 hours). */
export function reachedBy(store: LimitStore, platform: Platform, now: Date): Promise<Set<string>> {
  return store.initiatedSince(platform, new Date(now.getTime() - DAY_MS));
}

export class DailyLimit {
  /** The store refused a place, or the platform refused for its limit: the rest of this pass waits. */
  private full: boolean;

  private constructor(
    private readonly store: LimitStore,
    private readonly perDay: number,
    /** The platform's reasons that mean "over the limit" (its refusal codes). */
    private readonly refusals: readonly string[],
    /** The people counted in the last 24 hours, as the pass started and as it reserved places. */
    private readonly reached: Set<string>,
  ) {
    this.full = reached.size >= perDay;
  }

  /** The limit of `platform` for one pass, with the people it counts now; null if it has none. */
  static async forPass(store: LimitStore, platform: Platform, window: SendingWindow | undefined, now: Date): Promise<DailyLimit | null> {
    if (!hasDailyLimit(window)) return null;
    return new DailyLimit(store, window.initiationsPerDay, window.initiationRefusalReasons ?? [], await reachedBy(store, platform, now));
  }

  /** A copy for this person could only wait this pass: the limit is reached and they are not counted. */
  waits(participantId: string): boolean {
    return this.full && !this.reached.has(participantId);
  }

  /** A place for this claimed copy's person (the store decides, across processes). */
  async reserve(deliveryId: number, participantId: string, now: Date): Promise<boolean> {
    if (this.waits(participantId)) return false;
    const ok = await this.store.reserveInitiation(deliveryId, this.perDay, new Date(now.getTime() - DAY_MS), now);
    if (ok) this.reached.add(participantId);
    else this.full = true;
    return ok;
  }

  /**
   * Whether the platform refused for its limit (it counts more than we do: another number of the
   * same account, a lower limit than configured). The rest of the pass then waits.
   */
  refusedFor(reason: string): boolean {
    if (!this.refusals.includes(reason)) return false;
    this.full = true;
    return true;
  }
}
