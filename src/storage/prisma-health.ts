/** HealthStore: /readyz and the store's gauges (src/server/store-gauges.ts). */
import type { HealthStore } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import { AppError } from '../core/errors.js';
import * as organiser from './prisma-organiser.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaHealth implements HealthStore {
  constructor(private readonly engine: PrismaEngine) {}

  async ping(): Promise<void> {
    try {
      await this.engine.db.$queryRawUnsafe('SELECT 1');
    } catch (err) {
      throw new AppError('STORAGE_UNAVAILABLE', 'The database does not answer', { cause: err });
    }
  }

  outboxDepth(): Promise<number> {
    return this.engine.run('outboxDepth', (tx) => tx.conversation.count({ where: { pendingRef: { not: null } } }));
  }

  heldCounts(): Promise<Partial<Record<Platform, number>>> {
    return this.engine.run('heldCounts', (tx) => organiser.heldCounts(tx));
  }
}
