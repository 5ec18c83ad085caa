/**
 * The IdentityStore contract and claimEvent (src/core/ports.ts), run against every store
 * (test/identity-store.test.ts: memory, SQLite, PostgreSQL): receipts claimed once, aliases
 * linked to live participants only, a change of id moving participant, conversation, outbox and
 * dead letters, and merging nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotStore, DataEffect, StepCommit } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';

const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const refOf = (id: string): ConversationRef => ({ platform: 'whatsapp', chatId: id, userId: id });
const keyOf = (id: string) => `key-${id}`;
const consent: DataEffect = { type: 'participant.consent', locale: 'ar', at: at(0) };

let seq = 0;
function step(id: string, expectedVersion: number | null, extra: Partial<StepCommit> = {}): StepCommit {
  return {
    event: { platform: 'whatsapp', id: `wamid.${++seq}` },
    conversationKey: keyOf(id),
    ref: refOf(id),
    expectedVersion,
    state: { step: 'body', words: seq },
    pending: [],
    effects: [],
    receivedAt: at(1),
    ...extra,
  };
}

const move = (from: string, to: string) => ({ from: refOf(from), to: refOf(to), fromKey: keyOf(from), toKey: keyOf(to), at: at(5) });

export function runIdentityContract(name: string, makeStore: () => Promise<BotStore>): void {
  describe(`IdentityStore contract: ${name}`, () => {
    const opened: BotStore[] = [];
    const open = async () => {
      const s = await makeStore();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('claims a receipt once', async () => {
      const store = await open();
      const receipt = { platform: 'whatsapp' as const, id: 'claim-of-a-status' };
      expect(await store.eventProcessed(receipt)).toBe(false);
      expect(await store.claimEvent(receipt)).toBe(true);
      expect(await store.claimEvent(receipt)).toBe(false);
      expect(await store.eventProcessed(receipt)).toBe(true);
    });

    it('links an alias to a live participant only, moves it to a new holder, and forgets it with an erased one', async () => {
      const store = await open();
      expect(await store.linkAlias({ platform: 'whatsapp', userId: 'IQ.1', aliasKey: 'phone-a', at: at(1) })).toBe(false);
      expect(await store.userIdByAlias('whatsapp', 'phone-a')).toBeNull();
      await store.commit(step('IQ.1', null, { effects: [consent] }));
      await store.commit(step('IQ.2', null, { effects: [consent] }));
      expect(await store.linkAlias({ platform: 'whatsapp', userId: 'IQ.1', aliasKey: 'phone-a', at: at(1) })).toBe(true);
      expect(await store.linkAlias({ platform: 'whatsapp', userId: 'IQ.1', aliasKey: 'phone-a', at: at(2) })).toBe(true);
      expect(await store.userIdByAlias('whatsapp', 'phone-a')).toBe('IQ.1');
      expect(await store.userIdByAlias('telegram', 'phone-a')).toBeNull();
      // The number changed hands.
      expect(await store.linkAlias({ platform: 'whatsapp', userId: 'IQ.2', aliasKey: 'phone-a', at: at(3) })).toBe(true);
      expect(await store.userIdByAlias('whatsapp', 'phone-a')).toBe('IQ.2');
      await store.commit(step('IQ.2', 1, { effects: [{ type: 'participant.erase', at: at(4) }] }));
      expect(await store.userIdByAlias('whatsapp', 'phone-a')).toBeNull();
    });

    it('moves the participant, the conversation, its outbox and dead letters to a new id; a redelivery finds nothing', async () => {
      const store = await open();
      await store.commit(step('IQ.old', null, { effects: [consent] }));
      await store.commit(step('IQ.old', 1, { pending: [{ text: 'Waiting.' }], dueAt: at(9) }));
      const dead = { conversationKey: keyOf('IQ.old'), platform: 'whatsapp' as const, reason: 'whatsapp:131009', replyKey: 'bot:menu.prompt', attempts: 1, createdAt: at(2) };
      expect(await store.writeOutbox(keyOf('IQ.old'), 2, { pending: [{ text: 'Waiting.' }], dueAt: at(9), deadLetters: [dead] })).toBe(3);
      await store.linkAlias({ platform: 'whatsapp', userId: 'IQ.old', aliasKey: 'phone-b', at: at(1) });
      const before = await store.load(keyOf('IQ.old'), refOf('IQ.old'));

      expect(await store.changeUserId(move('IQ.old', 'IQ.new'))).toBe('moved');
      const gone = await store.load(keyOf('IQ.old'), refOf('IQ.old'));
      expect(gone.conversation).toBeNull();
      expect(gone.participant).toBeNull();
      const after = await store.load(keyOf('IQ.new'), refOf('IQ.new'));
      expect(after.conversation?.state).toEqual(before.conversation?.state);
      expect(after.conversation?.version).toBe(before.conversation?.version);
      expect(after.participant?.id).toBe(before.participant?.id);
      expect(after.participant?.platformUserId).toBe('IQ.new');
      expect((await store.readOutbox(keyOf('IQ.new')))?.ref).toEqual(refOf('IQ.new'));
      expect(await store.listDue(at(10), 10)).toEqual([keyOf('IQ.new')]);
      expect((await store.deadLetters(10)).map((d) => d.conversationKey)).toEqual([keyOf('IQ.new')]);
      // The alias follows the participant.
      expect(await store.userIdByAlias('whatsapp', 'phone-b')).toBe('IQ.new');
      expect(await store.changeUserId(move('IQ.old', 'IQ.new'))).toBe('unknown');
      // The moved conversation goes on.
      expect((await store.commit(step('IQ.new', after.conversation!.version))).status).toBe('committed');
    });

    it("moves a conversation with no participant yet, replacing one the new id began; merges nothing into a new id's own participant", async () => {
      const store = await open();
      await store.commit(step('IQ.a', null));
      await store.commit(step('IQ.b', null));
      const draft = (await store.load(keyOf('IQ.a'), refOf('IQ.a'))).conversation!.state;
      expect(await store.changeUserId(move('IQ.a', 'IQ.b'))).toBe('moved');
      expect((await store.load(keyOf('IQ.b'), refOf('IQ.b'))).conversation?.state).toEqual(draft);

      await store.commit(step('IQ.c', null, { effects: [consent] }));
      await store.commit(step('IQ.d', null, { effects: [consent] }));
      expect(await store.changeUserId(move('IQ.c', 'IQ.d'))).toBe('taken');
      expect((await store.load(keyOf('IQ.c'), refOf('IQ.c'))).participant?.platformUserId).toBe('IQ.c');
      expect((await store.load(keyOf('IQ.d'), refOf('IQ.d'))).participant?.platformUserId).toBe('IQ.d');
    });
  });
}
