/** LeaseHolderStore: who is alive among the processes leasing replies (queries in prisma-outbox.ts). */
import type { LeaseHolderStore } from '../core/ports.js';
import * as outbox from './prisma-outbox.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaLeaseHolders implements LeaseHolderStore {
  constructor(private readonly engine: PrismaEngine) {}

  beatHolder(id: string, at: Date): Promise<void> {
    return this.engine.run('beatHolder', (tx) => outbox.beatHolder(tx, id, at));
  }

  listHolders(): Promise<{ id: string; beatAt: Date }[]> {
    return this.engine.run('listHolders', (tx) => outbox.listHolders(tx));
  }

  listHeldBy(holder: string, limit: number): Promise<string[]> {
    return this.engine.run('listHeldBy', (tx) => outbox.listHeldBy(tx, holder, limit));
  }

  forgetHolder(id: string, beatAt: Date): Promise<void> {
    return this.engine.run('forgetHolder', (tx) => outbox.forgetHolder(tx, id, beatAt));
  }
}
