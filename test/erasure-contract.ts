/**
 * The erasure and retention part of the BotStore contract: posts about a contribution are marked
 * for rewriting when its author is erased, also when the post comes after the erasure (memory,
 * SQLite, PostgreSQL); event claims are pruned by age, and purge erases a call's participants
 * (SQLite, PostgreSQL: the memory double keeps no retention ports).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotStore, DataEffect, StepCommit } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';

const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const DAY = 24 * 60 * 60 * 1000;

const refOf = (user: string): ConversationRef => ({ platform: 'telegram', chatId: user, userId: user });

let seq = 0;
function step(user: string, expectedVersion: number | null, effects: DataEffect[] = [], eventId = `ev-${++seq}`): StepCommit {
  return {
    event: { platform: 'telegram', id: eventId }, conversationKey: `key-${user}`, ref: refOf(user), expectedVersion,
    state: { step: 'menu' }, pending: [{ text: `a reply quoting ${user}` }], effects, receivedAt: at(0),
  };
}

const consent: DataEffect = { type: 'participant.consent', locale: 'en', at: at(0) };
const create = (code: string, callId: string): DataEffect => ({
  type: 'contribution.create', code, callId, topic: 1, language: 'en', at: at(1),
  revision: { text: 'one two three', wordCount: 3, details: { name: 'Layla', organisation: 'Tammuz', country: 'Iraq', email: 'l@example.org' } },
});

/** Posts about an erased author (every store: Slack's admin channel runs on the memory double too). */
export function runErasureContract(name: string, makeStore: () => Promise<BotStore>): void {
  suite(`BotStore erasure: ${name}`, makeStore, 'erasure');
}

/** Pruning claims and purging a call: the server's and the CLI's, so a database's only (SQLite, PostgreSQL). */
export function runRetentionContract(name: string, makeStore: () => Promise<BotStore>): void {
  suite(`BotStore retention: ${name}`, makeStore, 'retention');
}

function suite(title: string, makeStore: () => Promise<BotStore>, part: 'erasure' | 'retention'): void {
  describe(title, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => store.close());

    /** Consents and submits: returns the conversation's version. */
    async function submitter(user: string, code: string, callId = 'call-a'): Promise<number> {
      expect((await store.commit(step(user, null, [consent]))).status).toBe('committed');
      expect((await store.commit(step(user, 1, [create(code, callId)]))).status).toBe('committed');
      return 2;
    }

    if (part === 'erasure') {
      it('marks the posts about an erased author for rewriting, also a post that comes after the erasure', async () => {
        const version = await submitter('u1', 'ICS-AAAAAA');
        await submitter('u2', 'ICS-BBBBBB');
        await store.recordPost({ platform: 'slack', code: 'ICS-AAAAAA', channel: 'C1', ts: '1.1', at: at(2) });
        await store.recordPost({ platform: 'slack', code: 'ICS-BBBBBB', channel: 'C1', ts: '1.2', at: at(2) });
        await store.recordPost({ platform: 'slack', code: 'ICS-UNKNOWN', channel: 'C1', ts: '1.3', at: at(2) });
        expect(await store.postsToRedact('slack', 10)).toEqual([]);

        expect((await store.commit(step('u1', version, [{ type: 'participant.erase', at: at(5) }]))).status).toBe('committed');
        await store.recordPost({ platform: 'slack', code: 'ICS-AAAAAA', channel: 'C1', ts: '1.4', at: at(6) });
        const posts = await store.postsToRedact('slack', 10);
        expect(posts.map((p) => [p.code, p.channel, p.ts]).sort()).toEqual([['ICS-AAAAAA', 'C1', '1.1'], ['ICS-AAAAAA', 'C1', '1.4']]);
        expect(await store.postsToRedact('telegram', 10)).toEqual([]);
        await store.forgetPost(posts[0]!.id);
        expect((await store.postsToRedact('slack', 10)).map((p) => p.id)).toEqual([posts[1]!.id]);
      });
      return;
    }

      it('forgets event claims older than the given instant, and only those', async () => {
        expect((await store.commit(step('u1', null, [], 'kept-or-not'))).status).toBe('committed');
        expect((await store.commit(step('u1', 1, [], 'kept-or-not'))).status).toBe('duplicate');
        // Claims are stamped with the database's time of processing.
        expect(await store.pruneProcessedEvents(new Date(Date.now() - DAY))).toBe(0);
        expect((await store.commit(step('u1', 1, [], 'kept-or-not'))).status).toBe('duplicate');
        expect(await store.pruneProcessedEvents(new Date(Date.now() + DAY))).toBe(1);
        expect((await store.commit(step('u1', 1, [], 'kept-or-not'))).status).toBe('committed');
      });

      it('purge erases the participants of the call and those without a contribution, and every conversation', async () => {
        await submitter('u1', 'ICS-AAAAAA');
        await submitter('u2', 'ICS-BBBBBB');
        await submitter('other', 'ICS-CCCCCC', 'call-b');
        expect((await store.commit(step('consented-only', null, [consent]))).status).toBe('committed');
        expect((await store.commit(step('declined', null))).status).toBe('committed');
        await store.recordPost({ platform: 'slack', code: 'ICS-AAAAAA', channel: 'C1', ts: '1.1', at: at(2) });
        const counts = { participants: 3, contributions: 2, conversations: 5 };
        expect(await store.purgeCounts('call-a')).toEqual(counts);

        let progressed = 0;
        expect(await store.purge('call-a', at(60), (n) => (progressed += n))).toEqual(counts);
        // The CLI's progress bar: every participant counted once.
        expect(progressed).toBe(counts.participants);
        expect(await store.purgeCounts('call-a')).toEqual({ participants: 0, contributions: 0, conversations: 0 });
        for (const user of ['u1', 'u2', 'consented-only', 'declined']) {
          expect(await store.load(`key-${user}`, refOf(user))).toEqual({ conversation: null, participant: null, contributions: [], noticesWaiting: false });
        }
        const erased = (await store.getContribution('ICS-AAAAAA'))!;
        expect(erased.contribution).toMatchObject({ state: 'withdrawn', text: '', details: { name: '', organisation: null, country: null, email: null } });
        expect(erased.participant.erasedAt).toEqual(at(60));
        // Another call's author keeps everything but the conversation.
        expect((await store.load('key-other', refOf('other'))).participant?.erasedAt).toBeNull();
        expect((await store.getContribution('ICS-CCCCCC'))!.contribution.text).toBe('one two three');
        expect((await store.postsToRedact('slack', 10)).map((p) => p.code)).toEqual(['ICS-AAAAAA']);
      });
  });
}
