/**
 * Erasure and retention (PostStore, PurgeStore, MaintenanceStore): posts to rewrite once their
 * author is erased, purging a call, pruning event claims, reclaiming erased bytes. Queries in
 * prisma-erasure.ts; erasing one person in a step is a data effect (prisma-effects.ts).
 */
import type { MaintenanceStore, PlatformPost, PostStore, PurgeCounts, PurgeStore } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import * as erasure from './prisma-erasure.js';
import { mapStorageError } from './prisma-client.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaPurge implements PostStore, PurgeStore, MaintenanceStore {
  constructor(private readonly engine: PrismaEngine) {}

  pruneProcessedEvents(before: Date): Promise<number> {
    return this.engine.run('pruneProcessedEvents', (tx) => erasure.pruneProcessedEvents(tx, before));
  }

  pruneReceipts(before: Date): Promise<number> {
    return this.engine.run('pruneReceipts', (tx) => erasure.pruneReceipts(tx, before));
  }

  async recordPost(input: { platform: Platform; code: string; channel: string; ts: string; at: Date }): Promise<void> {
    // One transaction: the author's erasure either came before (the post is marked now) or after.
    await this.engine.transact('recordPost', (tx) => erasure.recordPost(tx, input));
  }

  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]> {
    return this.engine.run('postsToRedact', (tx) => erasure.postsToRedact(tx, platform, limit));
  }

  forgetPost(id: string): Promise<void> {
    return this.engine.run('forgetPost', (tx) => erasure.forgetPost(tx, id));
  }

  purgeCounts(callId: string): Promise<PurgeCounts> {
    return this.engine.run('purgeCounts', (tx) => erasure.purgeCounts(tx, callId));
  }

  async reclaimErased(): Promise<boolean> {
    try {
      return await this.engine.reclaimer.retry();
    } catch (err) {
      throw mapStorageError(err, 'reclaimErased');
    }
  }

  /** One short transaction per person (a long one would hold SQLite's write lock for minutes). */
  purge(callId: string, at: Date, onProgress?: (n: number) => void): Promise<PurgeCounts> {
    return this.engine.forgettingCache(this.purgeAll(callId, at, onProgress));
  }

  private async purgeAll(callId: string, at: Date, onProgress?: (n: number) => void): Promise<PurgeCounts> {
    const counts = await this.purgeCounts(callId);
    let participants = 0;
    for (const id of await this.engine.run('purge', (tx) => erasure.purgeIds(tx, callId))) {
      if (await this.engine.transact('purge', (tx) => erasure.purgeOne(tx, id, at))) participants++;
      onProgress?.(1);
    }
    const conversations = await this.engine.run('purge', (tx) => erasure.deleteConversations(tx));
    await this.engine.reclaimer.reclaimNow();
    return { participants, contributions: counts.contributions, conversations };
  }
}
