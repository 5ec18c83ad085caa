/** NoticeStore: messages the bot starts, stored before they are sent (queries in prisma-organiser.ts). */
import type { NoticeStatus, NoticeStore, StoredNotice } from '../core/ports.js';
import type { ParticipantRecord } from '../domain/records.js';
import * as organiser from './prisma-organiser.js';
import type { PrismaEngine } from './prisma-engine.js';

export class PrismaNotices implements NoticeStore {
  constructor(private readonly engine: PrismaEngine) {}

  participantById(id: string): Promise<ParticipantRecord | null> {
    return this.engine.run('participantById', (tx) => organiser.participantById(tx, id));
  }

  enqueueNotice(input: { participantId: string; notice: unknown; status: 'pending' | 'held'; reason?: string | null; at: Date }): Promise<string> {
    return this.engine.forgettingCache(this.engine.transact('enqueueNotice', (tx) => organiser.enqueueNotice(tx, input)));
  }

  noticesFor(participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]> {
    return this.engine.run('noticesFor', (tx) => organiser.noticesFor(tx, participantId, statuses));
  }

  markNotice(id: string, status: NoticeStatus, at: Date, reason: string | null = null): Promise<void> {
    return this.engine.forgettingCache(this.engine.run('markNotice', (tx) => organiser.markNotice(tx, id, status, at, reason)));
  }
}
