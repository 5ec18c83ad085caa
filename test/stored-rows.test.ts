/**
 * Stored rows are parsed, not cast: a corrupt row (written by hand, by a broken copy, by a newer
 * release) fails with an error that names the table and column and never quotes the value, which
 * may be personal.
 */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../src/core/errors.js';
import type { StepCommit } from '../src/core/ports.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import {
  parsePending,
  parseRef,
  toContributionRecord,
  toDeadLetter,
  toParticipantRecord,
  toStateChange,
  toStoredConversation,
  toStoredNotice,
  type ContributionRow,
  type ParticipantRow,
} from '../src/storage/rows.js';
import { announcementKind, deliveryStatus, parseAudience, parseTexts } from '../src/storage/announcement-rows.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';

/** Personal-looking text: must never appear in an error. */
const SECRET = 'Layla Hassan <layla@example.org>';
const at = new Date('2025-01-10T08:00:00Z');

/** The error `read` throws, checked: STATE_UNREADABLE, naming `column`, quoting no value. */
function corrupt(read: () => unknown, column: string): void {
  let thrown: unknown;
  try {
    read();
  } catch (err) {
    thrown = err;
  }
  expect(isAppError(thrown, 'STATE_UNREADABLE'), `reading ${column} should fail`).toBe(true);
  const err = thrown as Error;
  expect(err.message).toContain(column);
  expect(err.message).not.toContain('Layla');
  expect(String((err.cause as Error | undefined)?.message ?? '')).not.toContain('Layla');
}

const participant: ParticipantRow = {
  id: 'p1', platform: 'telegram', platformUserId: '42', locale: 'ar', consentAt: at, draftedAt: null, lastInboundAt: at, erasedAt: null,
  unreachableAt: null, unreachableReason: null, announcementsOffAt: null, name: null, organisation: null, country: null, email: null, createdAt: at,
};
const contribution: ContributionRow = {
  id: 'c1', code: 'ICS-1', callId: 'icssi', participantId: 'p1', topic: 1, state: 'submitted', language: 'ckb', platform: 'messenger', revision: 1, createdAt: at, updatedAt: at,
};
const reply = { text: 'سڵاو', choices: [{ id: 'a', label: 'A' }], expectsText: false, dir: 'rtl', key: 'menu.title', lang: 'ckb', initiated: true, fromPart: 1, outbox: { id: 'r1', lease: at.toISOString(), attempts: 2 } };

describe('stored rows, parsed', () => {
  it('read sound rows as before', () => {
    expect(toParticipantRecord(participant)).toMatchObject({ platform: 'telegram', locale: 'ar' });
    expect(toContributionRecord(contribution, undefined)).toMatchObject({ state: 'submitted', language: 'ckb', platform: 'messenger' });
    expect(toStateChange('ICS-1', { fromState: null, toState: 'submitted', actor: 'participant', note: null, at })).toMatchObject({ from: null, to: 'submitted' });
    expect(parsePending(JSON.stringify([reply, { text: 'old reply, no outbox marks' }]))).toEqual([reply, { text: 'old reply, no outbox marks' }]);
    expect(parseRef('{"platform":"slack","chatId":"D1","userId":"U1"}')).toEqual({ platform: 'slack', chatId: 'D1', userId: 'U1' });
    expect(toStoredNotice({ id: 'n1', participantId: 'p1', notice: '{"key":"decision.accepted"}', status: 'held', reason: null, createdAt: at, updatedAt: at }).status).toBe('held');
  });

  it('refuse an unknown value in an enumerated column, naming it', () => {
    corrupt(() => toParticipantRecord({ ...participant, platform: SECRET }), 'Participant.platform');
    corrupt(() => toParticipantRecord({ ...participant, locale: SECRET }), 'Participant.locale');
    corrupt(() => toContributionRecord({ ...contribution, state: SECRET }, undefined), 'Contribution.state');
    corrupt(() => toContributionRecord({ ...contribution, language: 'fr' }, undefined), 'Contribution.language');
    corrupt(() => toContributionRecord({ ...contribution, platform: 'signal' }, undefined), 'Contribution.platform');
    corrupt(() => toStateChange('ICS-1', { fromState: SECRET, toState: 'submitted', actor: 'x', note: null, at }), 'ContributionStateChange.fromState');
    corrupt(() => toStateChange('ICS-1', { fromState: null, toState: '', actor: 'x', note: null, at }), 'ContributionStateChange.toState');
    corrupt(() => toStoredNotice({ id: 'n1', participantId: 'p1', notice: '{}', status: 'lost', reason: null, createdAt: at, updatedAt: at }), 'Notice.status');
    corrupt(() => toDeadLetter({ conversationKey: 'k', platform: SECRET, reason: 'telegram:403', replyKey: null, attempts: 1, createdAt: at }), 'DeadLetter.platform');
  });

  it('refuse JSON columns that are not JSON, without passing on the parser message (it quotes the text)', () => {
    corrupt(() => parsePending(`[{"text":"${SECRET}"`), 'Conversation.pending');
    corrupt(() => toStoredConversation({ key: 'k', state: `{"draft":"${SECRET}`, version: 1, pending: '[]', pendingRef: null, pendingDueAt: null, createdAt: at, updatedAt: at }), 'Conversation.state');
    corrupt(() => toStoredNotice({ id: 'n1', participantId: 'p1', notice: SECRET, status: 'held', reason: null, createdAt: at, updatedAt: at }), 'Notice.notice');
    corrupt(() => parseRef(`{"platform":"telegram","chatId":"${SECRET}`), 'Conversation.pendingRef');
  });

  it('refuse pending replies and refs of the wrong shape', () => {
    for (const bad of ['{}', 'null', `[{"txt":"${SECRET}"}]`, '[{"text":5}]', '[{"text":"a","choices":[{"id":"a"}]}]', '[{"text":"a","dir":"up"}]', '[{"text":"a","outbox":{"lease":"x"}}]', '[{"text":"a","outbox":{"id":"r","attempts":-1}}]', '[{"text":"a","fromPart":"1"}]']) {
      corrupt(() => parsePending(bad), 'Conversation.pending');
    }
    for (const bad of ['null', '[]', `{"platform":"telegram","chatId":"${SECRET}"}`, `{"platform":"fax","chatId":"1","userId":"${SECRET}"}`]) {
      corrupt(() => parseRef(bad), 'Conversation.pendingRef');
    }
  });
});

describe('announcement rows, parsed', () => {
  it('read sound texts and audiences', () => {
    expect(parseTexts('{"ar":"مرحبا","en":"Hello"}')).toEqual({ ar: 'مرحبا', en: 'Hello' });
    expect(parseAudience('{"who":"contributed","topics":[1,3],"platforms":["slack"],"languages":["ckb"]}')).toEqual({ who: 'contributed', topics: [1, 3], platforms: ['slack'], languages: ['ckb'] });
    expect(announcementKind('reminder')).toBe('reminder');
  });

  it('refuse corrupt ones, naming the column', () => {
    corrupt(() => parseTexts(`{"de":"${SECRET}"}`), 'Announcement.texts');
    corrupt(() => parseTexts(`["${SECRET}"]`), 'Announcement.texts');
    corrupt(() => parseTexts(`{"en":"${SECRET}`), 'Announcement.texts');
    corrupt(() => parseAudience('{"who":"everyone"}'), 'Announcement.audience');
    corrupt(() => parseAudience('{"who":"consented","platforms":["fax"]}'), 'Announcement.audience');
    corrupt(() => parseAudience('{"who":"contributed","topics":["1"]}'), 'Announcement.audience');
    corrupt(() => announcementKind(SECRET), 'Announcement.kind');
    corrupt(() => deliveryStatus('lost'), 'AnnouncementDelivery.status');
  });
});

describe('a corrupt row in a real database', () => {
  const scratch = scratchDatabases('stored-rows');

  it('fails the read that meets it, naming the column (SQLite)', async () => {
    const target = await scratch.empty('sqlite');
    const ref = { platform: 'telegram' as const, chatId: '7', userId: '7' };
    const commit: StepCommit = {
      event: { platform: 'telegram', id: 'e1' }, conversationKey: 'k7', ref, expectedVersion: null, state: { step: 'menu' },
      pending: [{ text: 'hello' }], receivedAt: at,
      effects: [
        { type: 'participant.consent', locale: 'en', at },
        { type: 'contribution.create', code: 'ICS-7', callId: 'icssi', topic: 1, language: 'en', at, revision: { text: 'one two', wordCount: 2, details: { name: 'Layla Hassan', organisation: null, country: null, email: null } } },
      ],
    };
    const writer = await openStore(databaseUrl(target));
    expect(await writer.commit(commit)).toMatchObject({ status: 'committed' });
    await writer.close();

    const raw = await connectRaw(target);
    await raw.exec(`UPDATE "Contribution" SET state = 'Layla Hassan'`);
    await raw.exec(`UPDATE "Conversation" SET pending = '[{"text":"Layla Hassan"'`);
    await raw.close();

    const reader = await openStore(databaseUrl(target), { migrate: false });
    try {
      const review = await reader.getContribution('ICS-7').catch((e: unknown) => e);
      expect(isAppError(review, 'STATE_UNREADABLE')).toBe(true);
      expect((review as Error).message).toContain('Contribution.state');
      expect((review as Error).message).not.toContain('Layla');
      const outbox = await reader.readOutbox('k7').catch((e: unknown) => e);
      expect(isAppError(outbox, 'STATE_UNREADABLE')).toBe(true);
      expect((outbox as Error).message).toContain('Conversation.pending');
      expect((outbox as Error).message).not.toContain('Layla');
    } finally {
      await reader.close();
    }
  });
});
