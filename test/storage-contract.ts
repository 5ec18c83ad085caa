/**
 * The BotStore contract: one suite every implementation runs (memory, SQLite, PostgreSQL), and
 * the lease holders' part, which only the databases keep. Each test gets a fresh, empty store from
 * `makeStore`; the suite closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotStore, DataEffect, StepCommit } from '../src/core/ports.js';
import type { ConversationRef, OutboundMessage, Platform } from '../src/core/types.js';
import type { ExportRecord, RevisionInput } from '../src/domain/records.js';

const T0 = Date.parse('2025-01-10T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const CALL = 'icssi-2025';

const refOf = (user: string, platform: Platform = 'telegram'): ConversationRef => ({ platform, chatId: `chat-${user}`, userId: user });
const keyOf = (user: string) => `key-${user}`;

const revision = (text: string, name = 'Layla Hassan'): RevisionInput => ({
  text,
  wordCount: text.split(/\s+/).filter(Boolean).length,
  details: { name, organisation: 'Tammuz', country: 'Iraq', email: 'layla@example.org' },
});

let eventSeq = 0;
/** A commit for `user` with sensible defaults; `expectedVersion` must be given. */
function step(user: string, expectedVersion: number | null, extra: Partial<StepCommit> = {}): StepCommit {
  return {
    event: { platform: 'telegram', id: `ev-${++eventSeq}` },
    conversationKey: keyOf(user),
    ref: refOf(user),
    expectedVersion,
    state: { step: 'menu' },
    pending: [],
    effects: [],
    receivedAt: at(0),
    ...extra,
  };
}

const consent = (minutes = 0): DataEffect => ({ type: 'participant.consent', locale: 'en', at: at(minutes) });
const create = (code: string, minutes = 1, callId = CALL, text = 'one two three'): DataEffect => ({
  type: 'contribution.create',
  code,
  callId,
  topic: 1,
  language: 'en',
  revision: revision(text),
  at: at(minutes),
});

async function collect(iter: AsyncIterable<ExportRecord>): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of iter) out.push(record);
  return out;
}

export function runStoreContract(name: string, makeStore: () => Promise<BotStore>): void {
  describe(`BotStore contract: ${name}`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Consents `user` (conversation at version 1) and submits `codes`, one step each. */
    async function submitter(user: string, codes: string[] = [], start = 0): Promise<number> {
      let version = 1;
      expect(await store.commit(step(user, null, { effects: [consent(start)] }))).toEqual({ status: 'committed', version });
      for (const [i, code] of codes.entries()) {
        const result = await store.commit(step(user, version, { effects: [create(code, start + i + 1)] }));
        expect(result).toEqual({ status: 'committed', version: version + 1 });
        version += 1;
      }
      return version;
    }

    it('loads nothing for a stranger', async () => {
      expect(await store.load(keyOf('nobody'), refOf('nobody'))).toEqual({
        conversation: null,
        participant: null,
        contributions: [],
        noticesWaiting: false,
      });
    });

    it('keeps the state exactly, Arabic and Sorani text included, and counts versions', async () => {
      const state = { step: 'draft', body: 'نص المساهمة باللغة العربية', ckb: 'دەقی بەشداری', n: [1, null, true] };
      const pending: OutboundMessage[] = [{ text: 'شكراً', dir: 'rtl', choices: [{ id: 'menu:home', label: 'القائمة' }] }];
      expect(await store.commit(step('u1', null, { state, pending }))).toEqual({ status: 'committed', version: 1 });
      expect(await store.commit(step('u1', 1, { state: { ...state, n: 2 }, pending }))).toEqual({
        status: 'committed',
        version: 2,
      });
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(loaded.conversation).toEqual({ state: { ...state, n: 2 }, version: 2, pending });
    });

    it('processes an event once: a repeat changes nothing', async () => {
      const first = step('u1', null, { state: { v: 'first' }, effects: [consent()] });
      await store.commit(first);
      const again = { ...first, expectedVersion: 1, state: { v: 'again' }, effects: [create('ICS-AAAAAA')] };
      expect(await store.commit(again)).toEqual({ status: 'duplicate' });
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(loaded.conversation).toMatchObject({ state: { v: 'first' }, version: 1 });
      expect(loaded.contributions).toEqual([]);
      // The same id on another platform is another event.
      const other = { ...again, event: { platform: 'slack' as const, id: first.event.id }, effects: [] };
      expect(await store.commit(other)).toEqual({ status: 'committed', version: 2 });
    });

    it('says whether an event was claimed, per platform (a redelivered document is not fetched again)', async () => {
      const first = step('u1', null, { state: { v: 'first' } });
      expect(await store.eventProcessed(first.event)).toBe(false);
      await store.commit(first);
      expect(await store.eventProcessed(first.event)).toBe(true);
      expect(await store.eventProcessed({ platform: 'slack', id: first.event.id })).toBe(false);
    });

    it('refuses a stale version and rolls the claim back, so the event can be redone', async () => {
      await store.commit(step('u1', null, { state: { v: 1 } }));
      const stale = step('u1', null, { state: { v: 'stale' }, effects: [consent()] });
      expect(await store.commit(stale)).toEqual({ status: 'conflict' });
      expect(await store.commit({ ...stale, expectedVersion: 7 })).toEqual({ status: 'conflict' });
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(loaded.conversation).toMatchObject({ state: { v: 1 }, version: 1 });
      expect(loaded.participant).toBeNull();
      expect(await store.commit({ ...stale, expectedVersion: 1 })).toEqual({ status: 'committed', version: 2 });
    });

    it('lets exactly one of two concurrent steps win', async () => {
      const [a, b] = await Promise.all([store.commit(step('u1', null)), store.commit(step('u1', null))]);
      expect([a.status, b.status].sort()).toEqual(['committed', 'conflict']);
      const [c, d] = await Promise.all([store.commit(step('u1', 1)), store.commit(step('u1', 1))]);
      expect([c, d]).toContainEqual({ status: 'committed', version: 2 });
      expect([c.status, d.status].sort()).toEqual(['committed', 'conflict']);
      const e1 = step('u2', null);
      const [e, f] = await Promise.all([store.commit(e1), store.commit({ ...step('u3', null), event: e1.event })]);
      expect([e.status, f.status].sort()).toEqual(['committed', 'duplicate']);
    });

    it('answers code-taken and rolls back the whole step, claim included', async () => {
      await submitter('u1', ['ICS-AAAAAA']);
      const taken = step('u2', null, { state: { v: 'x' }, effects: [consent(), create('ICS-AAAAAA')] });
      expect(await store.commit(taken)).toEqual({ status: 'code-taken' });
      expect(await store.load(keyOf('u2'), refOf('u2'))).toEqual({ conversation: null, participant: null, contributions: [], noticesWaiting: false });
      const retry = { ...taken, effects: [consent(), create('ICS-BBBBBB')] };
      expect(await store.commit(retry)).toEqual({ status: 'committed', version: 1 });
      const loaded = await store.load(keyOf('u2'), refOf('u2'));
      expect(loaded.contributions.map((c) => c.code)).toEqual(['ICS-BBBBBB']);
    });

    it('rejects an effect on a contribution the person does not have, changing nothing', async () => {
      await submitter('u1', ['ICS-AAAAAA']);
      await submitter('u2');
      const bad = step('u2', 1, { effects: [{ type: 'contribution.withdraw', code: 'ICS-AAAAAA', at: at(5) }] });
      await expect(store.commit(bad)).rejects.toThrow();
      expect((await store.load(keyOf('u1'), refOf('u1'))).contributions[0]?.state).toBe('submitted');
      expect(await store.commit({ ...bad, effects: [] })).toEqual({ status: 'committed', version: 2 });
    });

    it('records consent, language, drafting, the last message time and a first submission', async () => {
      await store.commit(step('u1', null, { effects: [consent(0), { type: 'participant.locale', locale: 'ar' }] }));
      await store.commit(step('u1', 1, { effects: [{ type: 'participant.drafted', at: at(1) }], receivedAt: at(1) }));
      await store.commit(step('u1', 2, { effects: [{ type: 'participant.drafted', at: at(2) }, create('ICS-AAAAAA', 3)], receivedAt: at(3) }));
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(loaded.participant).toMatchObject({
        platform: 'telegram',
        platformUserId: 'u1',
        locale: 'ar',
        consentAt: at(0),
        lastInboundAt: at(3),
        erasedAt: null,
      });
      expect(loaded.contributions).toEqual([
        expect.objectContaining({
          code: 'ICS-AAAAAA',
          callId: CALL,
          topic: 1,
          state: 'submitted',
          language: 'en',
          platform: 'telegram',
          createdAt: at(3),
          revision: 1,
          text: 'one two three',
          wordCount: 3,
          details: { name: 'Layla Hassan', organisation: 'Tammuz', country: 'Iraq', email: 'layla@example.org' },
        }),
      ]);
      expect(await store.history('ICS-AAAAAA')).toEqual([
        { code: 'ICS-AAAAAA', from: null, to: 'submitted', actor: 'participant', note: null, at: at(3) },
      ]);
    });

    it('lists contributions newest first', async () => {
      await submitter('u1', ['ICS-OLD111', 'ICS-NEW222']);
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(loaded.contributions.map((c) => c.code)).toEqual(['ICS-NEW222', 'ICS-OLD111']);
    });

    it('keeps every revision: the latest is shown, each left a state change', async () => {
      let version = await submitter('u1', ['ICS-AAAAAA']);
      for (const [i, text] of ['second version text', 'third and final version text'].entries()) {
        const revise: DataEffect = { type: 'contribution.revise', code: 'ICS-AAAAAA', topic: 2 + i, revision: revision(text, 'L. Hassan'), at: at(10 + i) };
        expect(await store.commit(step('u1', version, { effects: [revise] }))).toEqual({ status: 'committed', version: version + 1 });
        version += 1;
      }
      const [latest] = (await store.load(keyOf('u1'), refOf('u1'))).contributions;
      expect(latest).toMatchObject({ revision: 3, topic: 3, text: 'third and final version text', wordCount: 5, state: 'submitted', updatedAt: at(11) });
      expect(latest?.details.name).toBe('L. Hassan');
      const history = await store.history('ICS-AAAAAA');
      expect(history.map((h) => [h.from, h.to, h.note])).toEqual([
        [null, 'submitted', null],
        ['submitted', 'submitted', 'revision 2'],
        ['submitted', 'submitted', 'revision 3'],
      ]);
      const [exported] = await collect(store.exportRecords(CALL));
      expect(exported).toMatchObject({ code: 'ICS-AAAAAA', revision: 3, text: 'third and final version text', createdAt: at(1) });
    });

    it('withdraws once, and a revision brings the contribution back to submitted', async () => {
      const version = await submitter('u1', ['ICS-AAAAAA']);
      const withdraw: DataEffect = { type: 'contribution.withdraw', code: 'ICS-AAAAAA', at: at(5) };
      await store.commit(step('u1', version, { effects: [withdraw] }));
      await store.commit(step('u1', version + 1, { effects: [withdraw] }));
      expect((await store.load(keyOf('u1'), refOf('u1'))).contributions[0]?.state).toBe('withdrawn');
      const revise: DataEffect = { type: 'contribution.revise', code: 'ICS-AAAAAA', topic: 1, revision: revision('back again'), at: at(6) };
      await store.commit(step('u1', version + 2, { effects: [revise] }));
      expect((await store.history('ICS-AAAAAA')).map((h) => h.to)).toEqual(['submitted', 'withdrawn', 'submitted']);
    });

    it('erases a person: texts and personal fields go, counts stay, the conversation starts afresh', async () => {
      const version = await submitter('u1', ['ICS-AAAAAA', 'ICS-BBBBBB']);
      await store.commit(step('u1', version, { effects: [{ type: 'contribution.withdraw', code: 'ICS-BBBBBB', at: at(4) }] }));
      const erase = step('u1', version + 1, { state: { step: 'erased' }, pending: [{ text: 'Deleted.' }], effects: [{ type: 'participant.erase', at: at(9) }] });
      expect((await store.commit(erase)).status).toBe('committed');

      expect(await store.load(keyOf('u1'), refOf('u1'))).toEqual({ conversation: null, participant: null, contributions: [], noticesWaiting: false });
      expect(await store.listPending(10)).toEqual([]);
      const exported = await collect(store.exportRecords(CALL));
      expect(exported).toHaveLength(2);
      for (const record of exported) {
        expect(record).toMatchObject({ state: 'withdrawn', text: '', wordCount: 3, details: { name: '', organisation: null, country: null, email: null } });
        expect(record.platformUserId).not.toBe('u1');
        expect(record.platformUserId).toMatch(/^erased:/);
      }
      expect((await store.history('ICS-AAAAAA')).at(-1)).toMatchObject({ from: 'submitted', to: 'withdrawn', note: 'erased', at: at(9) });
      expect((await store.history('ICS-BBBBBB')).map((h) => h.to)).toEqual(['submitted', 'withdrawn']);
      expect(await store.funnel(CALL)).toEqual({ started: 0, consented: 0, drafted: 0, submitted: 0 });

      // Coming back is a fresh start with a new participant.
      await store.commit(step('u1', null, { effects: [consent(20)] }));
      const back = await store.load(keyOf('u1'), refOf('u1'));
      expect(back.participant).toMatchObject({ platformUserId: 'u1', consentAt: at(20), erasedAt: null });
      expect(back.contributions).toEqual([]);
    });

    it('keeps pending replies and their ref until the outbox is emptied at the version it read', async () => {
      const reply: OutboundMessage[] = [{ text: 'Your contribution ICS-AAAAAA arrived.' }];
      await store.commit(step('u1', null, { pending: reply }));
      await store.commit(step('u2', null));
      expect(await store.listPending(10)).toEqual([{ conversationKey: keyOf('u1'), ref: refOf('u1'), version: 1, pending: reply }]);
      await store.commit(step('u1', 1, { pending: [...reply, { text: 'More.' }] }));
      // Written against version 1, but version 2 has moved on: refused.
      expect(await store.writeOutbox(keyOf('u1'), 1, { pending: [], dueAt: null, deadLetters: [] })).toBeNull();
      expect((await store.listPending(10)).map((p) => p.version)).toEqual([2]);
      expect(await store.writeOutbox(keyOf('u1'), 2, { pending: [], dueAt: null, deadLetters: [] })).toBe(3);
      expect(await store.listPending(10)).toEqual([]);
      expect(await store.readOutbox(keyOf('u1'))).toEqual({ version: 3, ref: null, pending: [] });
      expect((await store.load(keyOf('u1'), refOf('u1'))).conversation?.pending).toEqual([]);
      await store.commit(step('u3', null, { pending: reply }));
      await store.commit(step('u4', null, { pending: reply }));
      expect(await store.listPending(1)).toHaveLength(1);
    });

    it('lists outboxes by due time and stores dead letters with the outbox change', async () => {
      const reply: OutboundMessage[] = [{ text: 'Hello.' }];
      await store.commit(step('u1', null, { pending: reply, dueAt: at(30) }));
      await store.commit(step('u2', null, { pending: reply, dueAt: at(10) }));
      await store.commit(step('u3', null));
      expect(await store.listDue(at(20), 10)).toEqual([keyOf('u2')]);
      expect(await store.listDue(at(40), 10)).toEqual([keyOf('u2'), keyOf('u1')]);
      const dead = { conversationKey: keyOf('u2'), platform: 'console' as const, reason: 'console:refused', replyKey: 'bot:x', attempts: 1, createdAt: at(11) };
      expect(await store.writeOutbox(keyOf('u2'), 1, { pending: [], dueAt: null, deadLetters: [dead] })).toBe(2);
      expect(await store.deadLetters(10)).toEqual([dead]);
      expect(await store.listDue(at(40), 10)).toEqual([keyOf('u1')]);
      // Erasing u2 takes the dead letters under their conversation key too; u1's stay.
      const other = { ...dead, conversationKey: keyOf('u1'), createdAt: at(12) };
      expect(await store.writeOutbox(keyOf('u1'), 1, { pending: reply, dueAt: at(30), deadLetters: [other] })).toBe(2);
      await store.commit(step('u2', 2, { effects: [{ type: 'participant.erase', at: at(13) }] }));
      expect(await store.deadLetters(10)).toEqual([other]);
    });

    it('stores that a participant cannot be reached, and clears it when they write again', async () => {
      await store.commit(step('u1', null, { effects: [consent(1)] }));
      expect(await store.setUnreachable({ platform: 'telegram', userId: 'u1', reason: 'telegram:403', at: at(2) })).toBe(true);
      expect(await store.setUnreachable({ platform: 'telegram', userId: 'nobody', reason: 'telegram:403', at: at(2) })).toBe(false);
      expect((await store.load(keyOf('u1'), refOf('u1'))).participant).toMatchObject({ unreachableAt: at(2), unreachableReason: 'telegram:403' });
      await store.commit(step('u1', 1));
      expect((await store.load(keyOf('u1'), refOf('u1'))).participant).toMatchObject({ unreachableAt: null, unreachableReason: null });
    });

    it('exports every contribution of the call in creation order, page by page', async () => {
      // Same creation instants on purpose: ties are ordered by id, and no row is lost or repeated.
      for (const [i, user] of ['a', 'b', 'c', 'd'].entries()) {
        await store.commit(step(user, null, { effects: [consent(), create(`ICS-${user.toUpperCase()}00001`, i % 2), create(`ICS-${user.toUpperCase()}00002`, 5)] }));
      }
      await store.commit(step('e', null, { effects: [consent(), create('ICS-OTHER1', 1, 'another-call')] }));
      const all = await collect(store.exportRecords(CALL));
      expect(all).toHaveLength(8);
      const keys = all.map((r) => r.createdAt.getTime());
      expect(keys).toEqual([...keys].sort((x, y) => x - y));
      for (const pageSize of [1, 3, 8]) {
        expect((await collect(store.exportRecords(CALL, pageSize))).map((r) => r.code)).toEqual(all.map((r) => r.code));
      }
      expect(new Set(all.map((r) => r.code)).size).toBe(8);
      expect(all.every((r) => r.callId === CALL && r.platformUserId.length === 1)).toBe(true);
    });

    it('counts the funnel and the facts of one call', async () => {
      await store.commit(step('seen', null));
      await store.commit(step('consented', null, { effects: [consent()] }));
      await store.commit(step('drafted', null, { effects: [consent(), { type: 'participant.drafted', at: at(1) }] }));
      await store.commit(step('sub', null, { effects: [consent(), create('ICS-S00001', 2), create('ICS-S00002', 3)] }));
      await store.commit(step('elsewhere', null, { effects: [consent(), create('ICS-E00001', 2, 'another-call')] }));
      expect(await store.funnel(CALL)).toEqual({ started: 5, consented: 4, drafted: 1, submitted: 1 });
      const facts = await store.contributionFacts(CALL);
      expect(facts).toEqual([
        { topic: 1, state: 'submitted', language: 'en', platform: 'telegram', createdAt: at(2), wordCount: 3 },
        { topic: 1, state: 'submitted', language: 'en', platform: 'telegram', createdAt: at(3), wordCount: 3 },
      ]);
      expect(await store.history('ICS-NOPE00')).toEqual([]);
    });

    /** The participant id of `user` (who must have consented). */
    async function idOf(user: string, platform: Platform = 'telegram'): Promise<string> {
      const id = (await store.load(keyOf(user), refOf(user, platform))).participant?.id;
      expect(id).toBeDefined();
      return id ?? '';
    }

    const eraseStep = (user: string, version: number, minutes: number) =>
      step(user, version, { effects: [{ type: 'participant.erase', at: at(minutes) }] });

    it('finds one contribution with its author, also once the author is erased', async () => {
      const version = await submitter('u1', ['ICS-AAAAAA']);
      const found = await store.getContribution('ICS-AAAAAA');
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(found).toEqual({ contribution: loaded.contributions[0], participant: loaded.participant });
      expect(found?.contribution).toMatchObject({ code: 'ICS-AAAAAA', text: 'one two three', details: { name: 'Layla Hassan' } });
      expect(await store.getContribution('ICS-NOPE00')).toBeNull();

      await store.commit(eraseStep('u1', version, 9));
      const erased = await store.getContribution('ICS-AAAAAA');
      expect(erased?.participant).toMatchObject({ id: found?.participant.id, erasedAt: at(9) });
      expect(erased?.participant.platformUserId).not.toBe('u1');
      expect(erased?.contribution).toMatchObject({ state: 'withdrawn', text: '', details: { name: '', email: null } });
    });

    it('records decisions with actor and note; the same decision again is a second change', async () => {
      await submitter('u1', ['ICS-AAAAAA']);
      const first = await store.recordDecision({ code: 'ICS-AAAAAA', to: 'accepted', actor: 'organiser:rana', note: 'Strong case study', at: at(30) });
      expect(first.status).toBe('recorded');
      if (first.status !== 'recorded') return;
      expect(first.contribution).toMatchObject({ code: 'ICS-AAAAAA', state: 'accepted', updatedAt: at(30), createdAt: at(1), text: 'one two three' });
      expect(first.participant).toMatchObject({ id: await idOf('u1'), platformUserId: 'u1', locale: 'en', erasedAt: null });

      const again = await store.recordDecision({ code: 'ICS-AAAAAA', to: 'accepted', actor: 'organiser:omar', note: null, at: at(31) });
      expect(again).toMatchObject({ status: 'recorded', contribution: { state: 'accepted', updatedAt: at(31) } });
      const asked = await store.recordDecision({ code: 'ICS-AAAAAA', to: 'revision_requested', actor: 'organiser:rana', note: 'مزيد من التفاصيل', at: at(32) });
      expect(asked).toMatchObject({ status: 'recorded', contribution: { state: 'revision_requested' } });

      expect(await store.history('ICS-AAAAAA')).toEqual([
        { code: 'ICS-AAAAAA', from: null, to: 'submitted', actor: 'participant', note: null, at: at(1) },
        { code: 'ICS-AAAAAA', from: 'submitted', to: 'accepted', actor: 'organiser:rana', note: 'Strong case study', at: at(30) },
        { code: 'ICS-AAAAAA', from: 'accepted', to: 'accepted', actor: 'organiser:omar', note: null, at: at(31) },
        { code: 'ICS-AAAAAA', from: 'accepted', to: 'revision_requested', actor: 'organiser:rana', note: 'مزيد من التفاصيل', at: at(32) },
      ]);
      expect((await store.getContribution('ICS-AAAAAA'))?.contribution.state).toBe('revision_requested');
      expect((await store.load(keyOf('u1'), refOf('u1'))).contributions[0]).toMatchObject({ state: 'revision_requested', updatedAt: at(32) });
    });

    it('refuses a decision on a withdrawn contribution and answers not-found for an unknown code', async () => {
      const version = await submitter('u1', ['ICS-AAAAAA', 'ICS-BBBBBB']);
      await store.commit(step('u1', version, { effects: [{ type: 'contribution.withdraw', code: 'ICS-AAAAAA', at: at(5) }] }));
      const decide = (code: string) => store.recordDecision({ code, to: 'declined', actor: 'organiser:rana', note: 'x', at: at(30) });
      expect(await decide('ICS-AAAAAA')).toEqual({ status: 'withdrawn' });
      expect((await store.history('ICS-AAAAAA')).map((h) => h.to)).toEqual(['submitted', 'withdrawn']);
      expect((await store.getContribution('ICS-AAAAAA'))?.contribution).toMatchObject({ state: 'withdrawn', updatedAt: at(5) });
      expect(await decide('ICS-NOPE00')).toEqual({ status: 'not-found' });

      // Erasure withdraws everything: no decision after it either.
      await store.commit(eraseStep('u1', version + 1, 9));
      expect(await decide('ICS-BBBBBB')).toEqual({ status: 'withdrawn' });
    });

    it('keeps the history a chain when decisions and a withdrawal race', async () => {
      const version = await submitter('u1', ['ICS-AAAAAA']);
      const decide = (to: 'accepted' | 'declined', minutes: number) =>
        store.recordDecision({ code: 'ICS-AAAAAA', to, actor: 'organiser:rana', note: null, at: at(minutes) });
      const withdraw = step('u1', version, { effects: [{ type: 'contribution.withdraw', code: 'ICS-AAAAAA', at: at(40) }] });
      await Promise.all([decide('accepted', 30), decide('declined', 31), store.commit(withdraw)]);
      const history = await store.history('ICS-AAAAAA');
      for (const [i, change] of history.entries()) expect(change.from).toBe(i === 0 ? null : history[i - 1]?.to);
      expect(history.at(-1)?.to).toBe((await store.getContribution('ICS-AAAAAA'))?.contribution.state);
      expect(history.filter((h) => h.to === 'withdrawn')).toHaveLength(1);
    });

    it('finds a participant by id', async () => {
      await submitter('u1');
      const loaded = await store.load(keyOf('u1'), refOf('u1'));
      expect(await store.participantById(await idOf('u1'))).toEqual(loaded.participant);
      expect(await store.participantById('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('stores notices as JSON, lists them oldest first by status, and marks them', async () => {
      await submitter('u1');
      await submitter('u2');
      const id = await idOf('u1');
      const decision = { key: 'decision.accepted', params: { code: 'ICS-AAAAAA', note: 'تهانينا! مساهمتك مقبولة' }, dir: 'rtl', n: [1, null, true] };
      const later = await store.enqueueNotice({ participantId: id, notice: { key: 'later' }, status: 'pending', at: at(20) });
      const first = await store.enqueueNotice({ participantId: id, notice: decision, status: 'pending', at: at(10) });
      const held = await store.enqueueNotice({ participantId: id, notice: { key: 'held' }, status: 'held', at: at(15) });
      await store.enqueueNotice({ participantId: await idOf('u2'), notice: { key: 'other' }, status: 'pending', at: at(5) });
      expect(new Set([later, first, held]).size).toBe(3);
      expect([later, first, held].every((x) => x.length > 0)).toBe(true);

      expect(await store.noticesFor(id, ['pending'])).toEqual([
        { id: first, participantId: id, notice: decision, status: 'pending', reason: null, createdAt: at(10) },
        { id: later, participantId: id, notice: { key: 'later' }, status: 'pending', reason: null, createdAt: at(20) },
      ]);
      expect((await store.noticesFor(id, ['pending', 'held'])).map((n) => n.id)).toEqual([first, held, later]);
      expect(await store.noticesFor(id, [])).toEqual([]);

      await store.markNotice(first, 'sent', at(21));
      await store.markNotice(held, 'failed', at(22), 'telegram:502');
      expect((await store.noticesFor(id, ['failed']))[0]).toMatchObject({ id: held, reason: 'telegram:502' });
      await store.markNotice('00000000-0000-4000-8000-000000000000', 'sent', at(22)); // gone: no-op
      expect((await store.noticesFor(id, ['pending', 'held'])).map((n) => n.id)).toEqual([later]);
      expect(await store.noticesFor(id, ['sent'])).toEqual([{ id: first, participantId: id, notice: decision, status: 'sent', reason: null, createdAt: at(10) }]);
      expect((await store.noticesFor(id, ['failed', 'sent'])).map((n) => [n.id, n.status])).toEqual([
        [first, 'sent'],
        [held, 'failed'],
      ]);
    });

    it('counts held notices per platform', async () => {
      expect(await store.heldCounts()).toEqual({});
      await submitter('t1');
      await submitter('t2');
      const messenger = refOf('m1', 'messenger');
      await store.commit({ ...step('m1', null, { effects: [consent()] }), ref: messenger, event: { platform: 'messenger', id: 'mev-1' } });
      const [t1, t2, m1] = [await idOf('t1'), await idOf('t2'), await idOf('m1', 'messenger')];
      const enqueue = (participantId: string, status: 'pending' | 'held', minutes: number) =>
        store.enqueueNotice({ participantId, notice: { key: 'x' }, status, at: at(minutes) });
      await enqueue(t1, 'held', 1);
      await enqueue(t2, 'held', 2);
      await enqueue(t2, 'pending', 3);
      const mHeld = await enqueue(m1, 'held', 4);
      await enqueue(m1, 'held', 5);
      await enqueue(m1, 'held', 6);
      expect(await store.heldCounts()).toEqual({ telegram: 2, messenger: 3 });
      await store.markNotice(mHeld, 'sent', at(7));
      expect(await store.heldCounts()).toEqual({ telegram: 2, messenger: 2 });
    });

    it('erasure deletes every notice of the person (a sent one may quote them too), and stores none afterwards', async () => {
      const version = await submitter('u1');
      await submitter('u2');
      const id = await idOf('u1');
      const enqueue = (participantId: string, status: 'pending' | 'held', minutes: number) =>
        store.enqueueNotice({ participantId, notice: { key: 'decision', name: 'Layla' }, status, at: at(minutes) });
      await store.markNotice(await enqueue(id, 'pending', 1), 'sent', at(2));
      await enqueue(id, 'pending', 3);
      await enqueue(id, 'held', 4);
      const kept = await enqueue(await idOf('u2'), 'held', 5);
      expect((await store.commit(eraseStep('u1', version, 9))).status).toBe('committed');

      const all = ['pending', 'held', 'sent', 'failed'] as const;
      expect(await store.noticesFor(id, [...all])).toEqual([]);
      expect(await store.heldCounts()).toEqual({ telegram: 1 });
      expect((await store.noticesFor(await idOf('u2'), [...all])).map((n) => n.id)).toEqual([kept]);

      expect(await enqueue(id, 'pending', 10)).toBe('');
      expect(await enqueue(id, 'held', 11)).toBe('');
      expect(await store.noticesFor(id, [...all])).toEqual([]);
      expect(await store.heldCounts()).toEqual({ telegram: 1 });
      expect(await enqueue('00000000-0000-4000-8000-000000000000', 'pending', 12)).toBe('');
    });

    it('leaves no unsent notice when an enqueue races an erasure', async () => {
      for (const [i, user] of ['r1', 'r2', 'r3'].entries()) {
        const version = await submitter(user);
        const id = await idOf(user);
        const enqueue = () => store.enqueueNotice({ participantId: id, notice: { key: 'x' }, status: 'pending', at: at(i) });
        await Promise.all([enqueue(), store.commit(eraseStep(user, version, 9)), enqueue()]);
        expect(await store.noticesFor(id, ['pending', 'held'])).toEqual([]);
      }
    });

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

/** Lease holders (src/core/lease-holders.ts): the server's, so a database's only (SQLite, PostgreSQL). */
export function runLeaseHolderContract(name: string, makeStore: () => Promise<BotStore>): void {
  describe(`LeaseHolderStore contract: ${name}`, () => {
    const opened: BotStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('keeps lease holders’ beats and finds the conversations a holder leased', async () => {
      const store = await makeStore();
      opened.push(store);
      const mine = '0b4c7f8e-1111-4a2b-9c3d-000000000001';
      const other = '0b4c7f8e-1111-4a2b-9c3d-000000000002';
      const leased = (holder: string) => [{ text: 'Hello.', outbox: { id: `r-${holder}`, lease: at(2).toISOString(), holder } }];
      await store.commit(step('u1', null, { pending: leased(mine) }));
      await store.commit(step('u2', null, { pending: leased(other) }));
      await store.commit(step('u3', null, { pending: [{ text: 'Free.' }] }));
      await store.beatHolder(mine, at(1));
      await store.beatHolder(other, at(1));
      await store.beatHolder(mine, at(2)); // a beat replaces the last one
      expect((await store.listHolders()).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([{ id: mine, beatAt: at(2) }, { id: other, beatAt: at(1) }]);
      expect(await store.listHeldBy(mine, 10)).toEqual([keyOf('u1')]);
      expect(await store.listHeldBy(other, 10)).toEqual([keyOf('u2')]);
      // Delivered: the outbox is empty and no longer names its holder.
      expect(await store.writeOutbox(keyOf('u1'), 1, { pending: [], dueAt: null, deadLetters: [] })).toBe(2);
      expect(await store.listHeldBy(mine, 10)).toEqual([]);
      // Forgotten only if it did not beat again since the beat that was judged.
      await store.forgetHolder(mine, at(1));
      expect((await store.listHolders()).map((h) => h.id)).toContain(mine);
      await store.forgetHolder(mine, at(2));
      expect((await store.listHolders()).map((h) => h.id)).toEqual([other]);
    });
  });
}
