/**
 * An in-memory BotStore with the Prisma store's semantics, for fast unit tests of the core and
 * the flow (test support: the bot itself always runs on a database). test/storage-contract.ts runs
 * the same suite against it and the Prisma store, so the two cannot drift apart. It stays because
 * a fresh migrated SQLite file per test costs about 0.1 s where this costs nothing, and over a
 * hundred tests make one.
 *
 * Every method works synchronously on the tables (JavaScript runs one at a time), and a commit
 * works on a copy that replaces the tables only when the whole step succeeded: a transaction.
 * State and replies are kept as JSON text, as in the database, so what round-trips is the same.
 */
import { randomUUID } from 'node:crypto';
import type {
  BotStore,
  CommitResult,
  DataEffect,
  DeadLetter,
  Decision,
  DecisionResult,
  IdChange,
  LoadedContext,
  NoticeStatus,
  OutboxRow,
  PendingReply,
  PlatformPost,
  PurgeCounts,
  ReceiptFailure,
  StateChange,
  StepCommit,
  StoredNotice,
} from '../../src/core/ports.js';
import type { ConversationRef, Platform } from '../../src/core/types.js';
import type { ContributionFact, ContributionRecord, ExportRecord, FunnelCounts, ParticipantRecord } from '../../src/domain/records.js';
import { aggregateFacts, type StatsAggregates } from '../../src/domain/stats.js';
import {
  ERASED_PERSONAL,
  outboxColumns,
  PARTICIPANT_ACTOR,
  parsePending,
  parseRef,
  personalColumns,
  revisionColumns,
  RollbackWith,
  toContributionRecord,
  toExportRecord,
  toJson,
  toParticipantRecord,
  toStateChange,
  toStoredConversation,
  toStoredNotice,
  unknownContribution,
  type ContributionRow,
  type ConversationRow,
  type NoticeRow,
  type ParticipantRow,
  type RevisionRow,
  type StateChangeRow,
} from '../../src/storage/rows.js';

interface Tables {
  participants: Map<string, ParticipantRow>;
  conversations: Map<string, ConversationRow>;
  contributions: Map<string, ContributionRow>;
  revisions: RevisionRow[];
  stateChanges: (StateChangeRow & { contributionId: string })[];
  notices: Map<string, NoticeRow>;
  deadLetters: DeadLetter[];
  /** Claimed event ids and when they were claimed. */
  events: Map<string, Date>;
  posts: Map<string, PostRow>;
  /** `platform\0aliasKey` → participant id (prisma-identity.ts). */
  aliases: Map<string, string>;
  /** Send receipts by key (notices only: announcements need a database). */
  receipts: Map<string, ReceiptRow>;
}

interface ReceiptRow {
  participantId: string;
  noticeId: string | null;
  at: Date;
  failedAt: Date | null;
}

interface PostRow {
  id: string;
  platform: Platform;
  contributionId: string;
  channel: string;
  ts: string;
  createdAt: Date;
  redactFrom: Date | null;
}

const byCreation = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MemoryStore implements BotStore {
  private t: Tables = {
    participants: new Map(),
    conversations: new Map(),
    contributions: new Map(),
    revisions: [],
    stateChanges: [],
    notices: new Map(),
    events: new Map(),
    deadLetters: [],
    posts: new Map(),
    aliases: new Map(),
    receipts: new Map(),
  };

  async load(conversationKey: string, ref: ConversationRef): Promise<LoadedContext> {
    const conversation = this.t.conversations.get(conversationKey);
    const participant = findParticipant(this.t, ref);
    const contributions = participant
      ? [...this.t.contributions.values()]
          .filter((c) => c.participantId === participant.id)
          .sort(byCreation)
          .reverse()
          .map((c) => toContributionRecord(c, latestRevision(this.t, c)))
      : [];
    const waiting = participant ? [...this.t.notices.values()].some((n) => n.participantId === participant.id && (n.status === 'held' || n.status === 'failed')) : false;
    return {
      conversation: conversation ? toStoredConversation(conversation) : null,
      participant: participant ? toParticipantRecord(participant) : null,
      contributions,
      noticesWaiting: waiting,
    };
  }

  async eventProcessed(event: { platform: Platform; id: string }): Promise<boolean> {
    return this.t.events.has(`${event.platform}\u0000${event.id}`);
  }

  async claimEvent(event: { platform: Platform; id: string }): Promise<boolean> {
    const key = `${event.platform}\u0000${event.id}`;
    if (this.t.events.has(key)) return false;
    this.t.events.set(key, new Date());
    return true;
  }

  async linkAlias(input: { platform: Platform; userId: string; aliasKey: string; at: Date }): Promise<boolean> {
    const p = findParticipant(this.t, { platform: input.platform, chatId: input.userId, userId: input.userId });
    if (!p) return false;
    this.t.aliases.set(`${input.platform}\u0000${input.aliasKey}`, p.id);
    return true;
  }

  async userIdByAlias(platform: Platform, aliasKey: string): Promise<string | null> {
    const p = this.t.participants.get(this.t.aliases.get(`${platform}\u0000${aliasKey}`) ?? '');
    return p && p.erasedAt === null ? p.platformUserId : null;
  }

  async changeUserId(input: { from: ConversationRef; to: ConversationRef; fromKey: string; toKey: string; at: Date }): Promise<IdChange> {
    const p = findParticipant(this.t, input.from);
    const conversation = this.t.conversations.get(input.fromKey);
    if (!p && !conversation) return 'unknown';
    if (findParticipant(this.t, input.to)) return 'taken';
    if (p) p.platformUserId = input.to.userId;
    if (conversation) {
      this.t.conversations.delete(input.fromKey);
      this.t.conversations.set(input.toKey, { ...conversation, key: input.toKey, pendingRef: conversation.pendingRef ? toJson(input.to) : null });
      this.t.deadLetters = this.t.deadLetters.filter((d) => d.conversationKey !== input.toKey).map((d) => (d.conversationKey === input.fromKey ? { ...d, conversationKey: input.toKey } : d));
    }
    return 'moved';
  }

  async commit(c: StepCommit): Promise<CommitResult> {
    const draft = structuredClone(this.t);
    try {
      const version = commitIn(draft, c);
      this.t = draft;
      return { status: 'committed', version };
    } catch (err) {
      if (err instanceof RollbackWith) return { status: err.status };
      throw err;
    }
  }

  async listDue(now: Date, limit: number): Promise<string[]> {
    return [...this.t.conversations.values()]
      .filter((row) => row.pendingDueAt !== null && row.pendingDueAt.getTime() <= now.getTime())
      .sort((a, b) => a.pendingDueAt!.getTime() - b.pendingDueAt!.getTime() || (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map((row) => row.key);
  }

  async readOutbox(conversationKey: string): Promise<OutboxRow | null> {
    const row = this.t.conversations.get(conversationKey);
    if (!row) return null;
    return { version: row.version, ref: row.pendingRef ? parseRef(row.pendingRef) : null, pending: parsePending(row.pending) };
  }

  async writeOutbox(conversationKey: string, expectedVersion: number, next: { pending: PendingReply[]; dueAt: Date | null; deadLetters: DeadLetter[] }): Promise<number | null> {
    const row = this.t.conversations.get(conversationKey);
    if (!row || row.version !== expectedVersion) return null;
    const { pendingRef: _ref, ...columns } = outboxColumns(next.pending, null, next.dueAt);
    Object.assign(row, columns, next.pending.length === 0 ? { pendingRef: null } : {}, { version: expectedVersion + 1, updatedAt: new Date() });
    this.t.deadLetters.push(...structuredClone(next.deadLetters));
    return row.version;
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    return structuredClone(this.t.deadLetters.slice(-limit).reverse());
  }

  async setUnreachable(input: { platform: Platform; userId: string; reason: string | null; at: Date }): Promise<boolean> {
    const p = findParticipant(this.t, { platform: input.platform, chatId: input.userId, userId: input.userId });
    if (!p) return false;
    Object.assign(p, input.reason === null ? { unreachableAt: null, unreachableReason: null } : { unreachableAt: input.at, unreachableReason: input.reason });
    return true;
  }

  async listPending(limit: number) {
    return [...this.t.conversations.values()]
      .filter((row) => row.pendingRef !== null)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map((row) => ({
        conversationKey: row.key,
        ref: parseRef(row.pendingRef ?? 'null'),
        version: row.version,
        pending: parsePending(row.pending),
      }));
  }

  async outboxDepth(): Promise<number> {
    return [...this.t.conversations.values()].filter((row) => row.pendingRef !== null).length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  async statsAggregates(callId: string, timezone: string): Promise<StatsAggregates> {
    return aggregateFacts(await this.contributionFacts(callId), timezone);
  }

  async contributionFacts(callId: string): Promise<ContributionFact[]> {
    return this.ofCall(callId).map((c) => {
      const r = toContributionRecord(c, latestRevision(this.t, c));
      return {
        topic: r.topic,
        state: r.state,
        language: r.language,
        platform: r.platform,
        createdAt: r.createdAt,
        wordCount: r.wordCount,
      };
    });
  }

  async funnel(callId: string): Promise<FunnelCounts> {
    const live = [...this.t.participants.values()].filter((p) => p.erasedAt === null);
    const submitters = new Set(this.ofCall(callId).map((c) => c.participantId));
    return {
      started: this.t.conversations.size,
      consented: live.filter((p) => p.consentAt !== null).length,
      drafted: live.filter((p) => p.draftedAt !== null).length,
      submitted: live.filter((p) => submitters.has(p.id)).length,
    };
  }

  async *exportRecords(callId: string, pageSize = 500): AsyncIterable<ExportRecord> {
    const rows = this.ofCall(callId);
    for (let i = 0; i < rows.length; i += pageSize) {
      for (const c of rows.slice(i, i + pageSize)) {
        const participant = this.t.participants.get(c.participantId);
        yield toExportRecord(c, participant?.platformUserId ?? '', latestRevision(this.t, c));
      }
    }
  }

  async history(code: string): Promise<StateChange[]> {
    const contribution = [...this.t.contributions.values()].find((c) => c.code === code);
    if (!contribution) return [];
    return this.t.stateChanges.filter((s) => s.contributionId === contribution.id).map((s) => toStateChange(code, s));
  }

  async getContribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null> {
    const contribution = this.byCode(code);
    const participant = contribution && this.t.participants.get(contribution.participantId);
    if (!contribution || !participant) return null;
    return { contribution: toContributionRecord(contribution, latestRevision(this.t, contribution)), participant: toParticipantRecord(participant) };
  }

  async recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult> {
    const contribution = this.byCode(input.code);
    if (!contribution) return { status: 'not-found' };
    if (contribution.state === 'withdrawn') return { status: 'withdrawn' };
    const { to, actor, note, at } = input;
    this.t.stateChanges.push({ contributionId: contribution.id, fromState: contribution.state, toState: to, actor, note, at });
    Object.assign(contribution, { state: to, updatedAt: at });
    const found = await this.getContribution(input.code);
    if (!found) throw new Error(`Contribution ${input.code} has no participant`);
    return { status: 'recorded', ...found };
  }

  async participantById(id: string): Promise<ParticipantRecord | null> {
    const row = this.t.participants.get(id);
    return row ? toParticipantRecord(row) : null;
  }

  async enqueueNotice(input: { participantId: string; notice: unknown; status: 'pending' | 'held'; reason?: string | null; at: Date }): Promise<string> {
    const participant = this.t.participants.get(input.participantId);
    if (!participant || participant.erasedAt !== null) return '';
    const id = randomUUID();
    const { participantId, status, at } = input;
    this.t.notices.set(id, { id, participantId, notice: toJson(input.notice), status, reason: input.reason ?? null, createdAt: at, updatedAt: at });
    return id;
  }

  async noticesFor(participantId: string, statuses: NoticeStatus[]): Promise<StoredNotice[]> {
    return [...this.t.notices.values()]
      .filter((n) => n.participantId === participantId && (statuses as string[]).includes(n.status))
      .sort(byCreation)
      .map(toStoredNotice);
  }

  async markNotice(id: string, status: NoticeStatus, at: Date, reason: string | null = null): Promise<void> {
    const row = this.t.notices.get(id);
    if (row) Object.assign(row, { status, reason, updatedAt: at });
  }

  async rememberReceipts(input: { keys: string[]; participantId: string; noticeId?: string; deliveryId?: number; at: Date }): Promise<void> {
    // Announcement copies have receipts only where announcements are kept: on a database.
    if (input.deliveryId !== undefined) databaseOnly('AnnouncementStore');
    for (const key of input.keys) {
      if (!this.t.receipts.has(key)) this.t.receipts.set(key, { participantId: input.participantId, noticeId: input.noticeId ?? null, at: input.at, failedAt: null });
    }
  }

  async failReceipt(key: string, reason: string, at: Date): Promise<ReceiptFailure> {
    const receipt = this.t.receipts.get(key);
    if (!receipt) return 'none';
    if (receipt.failedAt !== null) return 'unchanged';
    receipt.failedAt = at;
    const notice = receipt.noticeId === null ? undefined : this.t.notices.get(receipt.noticeId);
    if (notice?.status !== 'sent') return 'unchanged';
    Object.assign(notice, { status: 'held', reason, updatedAt: at });
    return 'notice';
  }

  async heldCounts(): Promise<Partial<Record<Platform, number>>> {
    const counts: Partial<Record<Platform, number>> = {};
    for (const notice of this.t.notices.values()) {
      const platform = this.t.participants.get(notice.participantId)?.platform as Platform | undefined;
      if (notice.status === 'held' && platform) counts[platform] = (counts[platform] ?? 0) + 1;
    }
    return counts;
  }

  async recordPost(input: { platform: Platform; code: string; channel: string; ts: string; at: Date }): Promise<void> {
    const contribution = this.byCode(input.code);
    if (!contribution) return;
    const author = this.t.participants.get(contribution.participantId);
    const id = randomUUID();
    this.t.posts.set(id, {
      id, platform: input.platform, contributionId: contribution.id, channel: input.channel, ts: input.ts, createdAt: input.at,
      redactFrom: author?.erasedAt ? input.at : null,
    });
  }

  async postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]> {
    return [...this.t.posts.values()]
      .filter((p) => p.platform === platform && p.redactFrom !== null)
      .slice(0, limit)
      .map((p) => ({ id: p.id, platform: p.platform, code: this.t.contributions.get(p.contributionId)?.code ?? '', channel: p.channel, ts: p.ts }));
  }

  async forgetPost(id: string): Promise<void> {
    this.t.posts.delete(id);
  }

  // ---- Ports only a database keeps (see databaseOnly) -----------------------------------------

  readonly beatHolder = (): Promise<void> => databaseOnly('LeaseHolderStore');
  readonly listHolders = (): Promise<{ id: string; beatAt: Date }[]> => databaseOnly('LeaseHolderStore');
  readonly listHeldBy = (): Promise<string[]> => databaseOnly('LeaseHolderStore');
  readonly forgetHolder = (): Promise<void> => databaseOnly('LeaseHolderStore');
  readonly pruneProcessedEvents = (): Promise<number> => databaseOnly('MaintenanceStore');
  readonly pruneReceipts = (): Promise<number> => databaseOnly('MaintenanceStore');
  readonly reclaimErased = (): Promise<boolean> => databaseOnly('MaintenanceStore');
  readonly purgeCounts = (): Promise<PurgeCounts> => databaseOnly('PurgeStore');
  readonly purge = (): Promise<PurgeCounts> => databaseOnly('PurgeStore');

  private byCode(code: string): ContributionRow | undefined {
    return [...this.t.contributions.values()].find((c) => c.code === code);
  }

  private ofCall(callId: string): ContributionRow[] {
    return [...this.t.contributions.values()].filter((c) => c.callId === callId).sort(byCreation);
  }
}

/**
 * Lease holders, purge and housekeeping run only in the server and the CLI, always on a database,
 * so the memory double does not keep them: their contract runs on SQLite and PostgreSQL only
 * (runLeaseHolderContract, runRetentionContract). A test that reaches one fails here, by name.
 */
function databaseOnly(port: string): never {
  throw new Error(`the memory store keeps no ${port}: test this on SQLite (openStore)`);
}

function findParticipant(t: Tables, ref: ConversationRef): ParticipantRow | undefined {
  for (const p of t.participants.values()) {
    if (p.platform === ref.platform && p.platformUserId === ref.userId && p.erasedAt === null) return p;
  }
  return undefined;
}

function latestRevision(t: Tables, c: ContributionRow): RevisionRow | undefined {
  return t.revisions.find((r) => r.contributionId === c.id && r.number === c.revision);
}

function commitIn(t: Tables, c: StepCommit): number {
  const eventKey = `${c.event.platform}\u0000${c.event.id}`;
  if (t.events.has(eventKey)) throw new RollbackWith('duplicate');
  t.events.set(eventKey, new Date());
  const existing = t.conversations.get(c.conversationKey);
  if ((existing?.version ?? null) !== c.expectedVersion) throw new RollbackWith('conflict');
  const version = (c.expectedVersion ?? 0) + 1;
  const now = new Date();
  t.conversations.set(c.conversationKey, {
    key: c.conversationKey,
    state: toJson(c.state),
    version,
    ...outboxColumns(c.pending, c.ref, c.dueAt === undefined ? c.receivedAt : c.dueAt),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
  for (const effect of c.effects) applyEffect(t, c, effect);
  const participant = findParticipant(t, c.ref);
  // The person wrote: reachable again (as the Prisma store does in the same statement).
  if (participant) Object.assign(participant, { lastInboundAt: c.receivedAt, unreachableAt: null, unreachableReason: null });
  return version;
}

function stateChange(t: Tables, contributionId: string, from: string | null, to: string, at: Date, note: string | null = null) {
  t.stateChanges.push({ contributionId, fromState: from, toState: to, actor: PARTICIPANT_ACTOR, note, at });
}

function own(t: Tables, c: StepCommit, code: string) {
  const participant = requireParticipant(t, c.ref);
  const contribution = [...t.contributions.values()].find((x) => x.code === code && x.participantId === participant.id);
  if (!contribution) throw unknownContribution(code);
  return { participant, contribution };
}

function requireParticipant(t: Tables, ref: ConversationRef): ParticipantRow {
  const participant = findParticipant(t, ref);
  if (!participant) throw new Error('A contribution effect came before the participant consented');
  return participant;
}

function applyEffect(t: Tables, c: StepCommit, effect: DataEffect): void {
  const participant = findParticipant(t, c.ref);
  switch (effect.type) {
    case 'participant.consent':
      if (participant) Object.assign(participant, { locale: effect.locale, consentAt: effect.at });
      else {
        const id = randomUUID();
        t.participants.set(id, {
          id,
          platform: c.ref.platform,
          platformUserId: c.ref.userId,
          locale: effect.locale,
          consentAt: effect.at,
          draftedAt: null,
          lastInboundAt: null,
          erasedAt: null,
          unreachableAt: null,
          unreachableReason: null,
          ...ERASED_PERSONAL,
          createdAt: effect.at,
        });
      }
      return;
    case 'participant.locale':
      if (participant) participant.locale = effect.locale;
      return;
    case 'participant.announcements':
      if (participant) participant.announcementsOffAt = effect.on ? null : effect.at;
      return;
    case 'participant.drafted':
      if (participant && participant.draftedAt === null) participant.draftedAt = effect.at;
      return;
    case 'contribution.create': {
      const owner = requireParticipant(t, c.ref);
      if ([...t.contributions.values()].some((x) => x.code === effect.code)) throw new RollbackWith('code-taken');
      const id = randomUUID();
      t.contributions.set(id, {
        id,
        code: effect.code,
        callId: effect.callId,
        participantId: owner.id,
        topic: effect.topic,
        state: 'submitted',
        language: effect.language,
        platform: c.ref.platform,
        revision: 1,
        createdAt: effect.at,
        updatedAt: effect.at,
      });
      t.revisions.push({ contributionId: id, number: 1, ...revisionColumns(effect.revision), createdAt: effect.at });
      stateChange(t, id, null, 'submitted', effect.at);
      Object.assign(owner, personalColumns(effect.revision.details));
      return;
    }
    case 'contribution.revise': {
      const { participant: owner, contribution } = own(t, c, effect.code);
      const number = contribution.revision + 1;
      stateChange(t, contribution.id, contribution.state, 'submitted', effect.at, `revision ${number}`);
      Object.assign(contribution, { topic: effect.topic, state: 'submitted', revision: number, updatedAt: effect.at });
      t.revisions.push({ contributionId: contribution.id, number, ...revisionColumns(effect.revision), createdAt: effect.at });
      Object.assign(owner, personalColumns(effect.revision.details));
      return;
    }
    case 'contribution.withdraw': {
      const { contribution } = own(t, c, effect.code);
      if (contribution.state === 'withdrawn') return;
      stateChange(t, contribution.id, contribution.state, 'withdrawn', effect.at);
      Object.assign(contribution, { state: 'withdrawn', updatedAt: effect.at });
      return;
    }
    case 'participant.erase':
      if (participant) eraseRow(t, participant, effect.at);
      t.conversations.delete(c.conversationKey);
      t.deadLetters = t.deadLetters.filter((d) => d.conversationKey !== c.conversationKey);
      return;
  }
}

/** Erases one participant as PrismaStore's eraseParticipantRow does (prisma-effects.ts). */
function eraseRow(t: Tables, participant: ParticipantRow, at: Date): void {
  const ids = new Set<string>();
  for (const contribution of t.contributions.values()) {
    if (contribution.participantId !== participant.id) continue;
    ids.add(contribution.id);
    if (contribution.state === 'withdrawn') continue;
    stateChange(t, contribution.id, contribution.state, 'withdrawn', at, 'erased');
    Object.assign(contribution, { state: 'withdrawn', updatedAt: at });
  }
  for (const s of t.stateChanges) if (ids.has(s.contributionId) && s.actor !== PARTICIPANT_ACTOR) s.note = null;
  for (const r of t.revisions) if (ids.has(r.contributionId)) Object.assign(r, { text: '', ...ERASED_PERSONAL });
  Object.assign(participant, { ...ERASED_PERSONAL, platformUserId: `erased:${participant.id}`, erasedAt: at, lastInboundAt: null });
  for (const notice of [...t.notices.values()]) if (notice.participantId === participant.id) t.notices.delete(notice.id);
  for (const [key, id] of [...t.aliases]) if (id === participant.id) t.aliases.delete(key);
  for (const [key, receipt] of [...t.receipts]) if (receipt.participantId === participant.id) t.receipts.delete(key);
  for (const post of t.posts.values()) if (ids.has(post.contributionId) && post.redactFrom === null) post.redactFrom = at;
}
