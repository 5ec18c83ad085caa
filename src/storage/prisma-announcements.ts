/**
 * AnnouncementStore over the store's engine (prisma-engine.ts: one connection pool; on SQLite
 * every operation runs in a transaction, for the reason given there).
 */
import type { Platform } from '../core/types.js';
import type {
  AnnouncementRecord,
  AnnouncementStore,
  Audience,
  Candidate,
  Counts,
  DeliveryJob,
  DeliveryStatus,
  NewAnnouncement,
} from '../announcements/types.js';
import { isUniqueViolation, mapStorageError, type Tx } from './prisma-client.js';
import type { ReachabilityStore } from '../core/ports.js';
import type { PrismaEngine } from './prisma-engine.js';
import {
  announcementKind,
  announcementStatus,
  candidateLocale,
  candidatePlatform,
  deliveryPlatform,
  deliveryStatus,
  parseAudience,
  parseTexts,
} from './announcement-rows.js';

interface AnnouncementRow {
  id: string;
  callId: string;
  kind: string;
  texts: string;
  audience: string;
  expiresAt: Date | null;
  status: string;
  createdBy: string;
  createdAt: Date;
  recipientsAt: Date | null;
}

interface ParticipantCols {
  id: string;
  platform: string;
  platformUserId: string;
  locale: string;
  lastInboundAt: Date | null;
  announcementsOffAt: Date | null;
  unreachableAt: Date | null;
  unreachableReason: string | null;
  erasedAt: Date | null;
}

function toRecord(r: AnnouncementRow): AnnouncementRecord {
  return {
    id: r.id,
    callId: r.callId,
    kind: announcementKind(r.kind),
    texts: parseTexts(r.texts),
    audience: parseAudience(r.audience),
    expiresAt: r.expiresAt,
    status: announcementStatus(r.status),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    recipientsWritten: r.recipientsAt !== null,
  };
}

function toCandidate(p: ParticipantCols): Candidate {
  return {
    participantId: p.id,
    platform: candidatePlatform(p.platform),
    platformUserId: p.platformUserId,
    locale: candidateLocale(p.locale),
    lastInboundAt: p.lastInboundAt,
    announcementsOffAt: p.announcementsOffAt,
    unreachableAt: p.unreachableAt,
    unreachableReason: p.unreachableReason,
  };
}

const PARTICIPANT_COLS = { id: true, platform: true, platformUserId: true, locale: true, lastInboundAt: true, announcementsOffAt: true, unreachableAt: true, unreachableReason: true, erasedAt: true } as const;

function toJob(d: { id: number; announcementId: string; status: string; participant: ParticipantCols }): DeliveryJob {
  return { id: d.id, announcementId: d.announcementId, status: deliveryStatus(d.status), participant: { ...toCandidate(d.participant), erased: d.participant.erasedAt !== null } };
}

/** The participant filter an audience means (a contribution is "sent" unless withdrawn). */
function audienceWhere(callId: string, a: Audience) {
  const live = { callId, state: { not: 'withdrawn' } };
  const topics = a.topics && a.topics.length > 0 ? { topic: { in: a.topics } } : {};
  return {
    consentAt: { not: null },
    erasedAt: null,
    ...(a.platforms && a.platforms.length > 0 ? { platform: { in: a.platforms } } : {}),
    ...(a.languages && a.languages.length > 0 ? { locale: { in: a.languages } } : {}),
    ...(a.who === 'contributed' ? { contributions: { some: { ...live, ...topics } } } : {}),
    // An unsent draft: began one and has sent nothing to this call (the draft's own topic lives in
    // the conversation state, which is keyed pseudonymously and not searchable).
    ...(a.who === 'drafted' ? { draftedAt: { not: null }, contributions: { none: live } } : {}),
  };
}

/**
 * Copies that count against a platform's daily limit on people reached outside its window: on
 * their way (sending), delivered (sent) or possibly delivered (uncertain). A refused one does not.
 */
const INITIATION_COUNTED = ['sending', 'sent', 'uncertain'];
/** The advisory lock serialising reservations on PostgreSQL (any constant of our own). */
const INITIATIONS_LOCK = 7_230_461_001;

export class PrismaAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly engine: PrismaEngine,
    /** The conversations' port, whose unreachable mark also forgets cached conversations. */
    private readonly reachability: ReachabilityStore,
  ) {}

  private run<T>(doing: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.engine.run(doing, fn, { maxWait: 10_000, timeout: 60_000 });
  }

  candidates(callId: string, audience: Audience): Promise<Candidate[]> {
    return this.run('announcement audience', async (tx) =>
      (await tx.participant.findMany({ where: audienceWhere(callId, audience), select: PARTICIPANT_COLS, orderBy: { id: 'asc' } })).map(toCandidate),
    );
  }

  async create(input: NewAnnouncement): Promise<{ id: string; created: boolean }> {
    try {
      const row = await this.run('create announcement', (tx) =>
        tx.announcement.create({
          data: {
            callId: input.callId, kind: input.kind, uniqueKey: input.uniqueKey ?? null, texts: JSON.stringify(input.texts),
            audience: JSON.stringify(input.audience), expiresAt: input.expiresAt, status: 'sending', createdBy: input.createdBy, createdAt: input.at,
          },
        }),
      );
      return { id: row.id, created: true };
    } catch (err) {
      if (!input.uniqueKey || !isUniqueViolation((err as { cause?: unknown }).cause ?? err)) throw err;
      const existing = await this.run('find announcement', (tx) => tx.announcement.findUnique({ where: { uniqueKey: input.uniqueKey } }));
      if (!existing) throw err;
      return { id: existing.id, created: false };
    }
  }

  async get(id: string): Promise<AnnouncementRecord | null> {
    const row = await this.run('read announcement', (tx) => tx.announcement.findUnique({ where: { id } }));
    return row ? toRecord(row) : null;
  }

  async list(): Promise<AnnouncementRecord[]> {
    return (await this.run('list announcements', (tx) => tx.announcement.findMany({ orderBy: { createdAt: 'asc' } }))).map(toRecord);
  }

  async unfinished(): Promise<AnnouncementRecord[]> {
    return (await this.run('list announcements', (tx) => tx.announcement.findMany({ where: { status: 'sending' }, orderBy: { createdAt: 'asc' } }))).map(toRecord);
  }

  writeRecipients(id: string, rows: { participantId: string; platform: Platform; status: DeliveryStatus }[], at: Date): Promise<boolean> {
    const write = async (tx: Tx) => {
      // The mark is set first, as a compare-and-set: of two writers only one passes it.
      const { count } = await tx.announcement.updateMany({ where: { id, recipientsAt: null }, data: { recipientsAt: at } });
      if (count === 0) return false;
      for (let i = 0; i < rows.length; i += 500) {
        await tx.announcementDelivery.createMany({ data: rows.slice(i, i + 500).map((r) => ({ announcementId: id, ...r, updatedAt: at })) });
      }
      return true;
    };
    const db = this.engine.db;
    return db.$transaction(write, { maxWait: 10_000, timeout: 120_000 }).catch((err: unknown) => {
      throw mapStorageError(err, 'store announcement recipients');
    });
  }

  async deliveries(id: string, platform: Platform, status: DeliveryStatus, afterId: number, limit: number): Promise<DeliveryJob[]> {
    const rows = await this.run('read deliveries', (tx) =>
      tx.announcementDelivery.findMany({
        where: { announcementId: id, platform, status, id: { gt: afterId } },
        orderBy: { id: 'asc' },
        take: limit,
        include: { participant: { select: PARTICIPANT_COLS } },
      }),
    );
    return rows.map(toJob);
  }

  async claim(ids: number[], token: string, at: Date): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const won = await this.run('claim deliveries', async (tx) => {
      await tx.announcementDelivery.updateMany({ where: { id: { in: ids }, status: 'pending' }, data: { status: 'sending', claim: token, updatedAt: at } });
      return tx.announcementDelivery.findMany({ where: { id: { in: ids }, status: 'sending', claim: token }, select: { id: true } });
    });
    return new Set(won.map((w) => w.id));
  }

  async transitionMany(ids: number[], from: DeliveryStatus, to: DeliveryStatus, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.run('update deliveries', (tx) => tx.announcementDelivery.updateMany({ where: { id: { in: ids }, status: from }, data: { status: to, updatedAt: at } }));
  }

  async transition(deliveryId: number, from: DeliveryStatus, to: DeliveryStatus, at: Date): Promise<boolean> {
    const { count } = await this.run('update delivery', (tx) => tx.announcementDelivery.updateMany({ where: { id: deliveryId, status: from }, data: { status: to, updatedAt: at } }));
    return count === 1;
  }

  async renewClaims(id: string, token: string, at: Date): Promise<void> {
    // The announcement and status first: the (announcementId, status) index finds the few rows.
    await this.run('renew delivery claims', (tx) => tx.announcementDelivery.updateMany({ where: { announcementId: id, status: 'sending', claim: token }, data: { updatedAt: at } }));
  }

  async abandonSending(id: string, staleBefore: Date): Promise<number> {
    // updatedAt is the claim's time, renewed by its live sender (a transition out of `sending`
    // moves the copy out of reach of this statement).
    const { count } = await this.run('update deliveries', (tx) =>
      tx.announcementDelivery.updateMany({ where: { announcementId: id, status: 'sending', updatedAt: { lt: staleBefore } }, data: { status: 'uncertain', updatedAt: new Date() } }),
    );
    return count;
  }

  async heldFor(participantId: string): Promise<{ job: DeliveryJob; announcement: AnnouncementRecord }[]> {
    const rows = await this.run('read held deliveries', (tx) =>
      tx.announcementDelivery.findMany({
        where: { participantId, status: 'held' },
        orderBy: { id: 'asc' },
        include: { participant: { select: PARTICIPANT_COLS }, announcement: true },
      }),
    );
    return rows.map((r) => ({ job: toJob(r), announcement: toRecord(r.announcement) }));
  }

  async counts(id: string): Promise<Counts> {
    const groups = await this.run('count deliveries', (tx) =>
      tx.announcementDelivery.groupBy({ by: ['platform', 'status'], where: { announcementId: id }, _count: { _all: true } }),
    );
    const out: Counts = {};
    for (const g of groups) {
      const p = (out[deliveryPlatform(g.platform)] ??= {});
      p[deliveryStatus(g.status)] = g._count._all;
    }
    return out;
  }

  async finish(id: string): Promise<void> {
    await this.run('finish announcement', (tx) => tx.announcement.update({ where: { id }, data: { status: 'done' } }));
  }

  async initiatedSince(platform: Platform, since: Date): Promise<Set<string>> {
    const rows = await this.run('count conversation starts', (tx) =>
      tx.announcementDelivery.groupBy({ by: ['participantId'], where: { platform, initiatedAt: { gte: since }, status: { in: INITIATION_COUNTED } } }),
    );
    return new Set(rows.map((r) => r.participantId));
  }

  reserveInitiation(deliveryId: number, perDay: number, since: Date, at: Date): Promise<boolean> {
    return this.engine.transact('reserve a conversation start', async (tx) => {
      // PostgreSQL: two instances' reservations one after the other, or both could take the last place.
      if (this.engine.options.provider === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${INITIATIONS_LOCK})`);
      // Marked first: on SQLite this write takes the database's write lock before the count is
      // read, so another process's reservation waits for this transaction instead of racing it.
      const { count } = await tx.announcementDelivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { initiatedAt: at } });
      if (count === 0) return false;
      const row = await tx.announcementDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { platform: true, participantId: true } });
      const counted = { platform: row.platform, initiatedAt: { gte: since }, status: { in: INITIATION_COUNTED } };
      // Someone already reached in these 24 hours costs no new place.
      if ((await tx.announcementDelivery.count({ where: { ...counted, participantId: row.participantId, id: { not: deliveryId } } })) > 0) return true;
      const people = await tx.announcementDelivery.groupBy({ by: ['participantId'], where: counted });
      if (people.length <= perDay) return true;
      await tx.announcementDelivery.update({ where: { id: deliveryId }, data: { initiatedAt: null } });
      return false;
    });
  }

  async requeue(deliveryId: number, at: Date): Promise<boolean> {
    const { count } = await this.run('update delivery', (tx) =>
      tx.announcementDelivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { status: 'pending', claim: null, initiatedAt: null, updatedAt: at } }),
    );
    return count === 1;
  }

  /** The conversations' own method (the outbox's and the notifier's), on the same client. */
  setUnreachable(input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean> {
    return this.reachability.setUnreachable(input);
  }
}
