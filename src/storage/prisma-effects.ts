/**
 * DataEffects applied inside the commit transaction (see DataEffect in src/core/ports.ts).
 */
import type { DataEffect } from '../core/ports.js';
import type { ConversationRef } from '../core/types.js';
import { isUniqueViolation, type Tx } from './prisma-client.js';
import {
  ERASED_PERSONAL,
  PARTICIPANT_ACTOR,
  personalColumns,
  revisionColumns,
  RollbackWith,
  unknownContribution,
} from './rows.js';

function who(ref: ConversationRef) {
  return { platform: ref.platform, platformUserId: ref.userId };
}

/** The live (not erased) participant; erased rows never match (their platformUserId was replaced). */
function findParticipant(tx: Tx, ref: ConversationRef) {
  return tx.participant.findFirst({ where: { ...who(ref), erasedAt: null } });
}

async function requireParticipant(tx: Tx, ref: ConversationRef) {
  const participant = await findParticipant(tx, ref);
  if (!participant) throw new Error('A contribution effect came before the participant consented');
  return participant;
}

/**
 * A no-op write that locks the contributions' rows (PostgreSQL) before their state is read: an
 * organiser's decision may change that state meanwhile (prisma-organiser.ts), and a state change
 * must name the state it really replaces. The read that follows sees the latest committed state.
 */
async function lockContributions(tx: Tx, where: { code?: string; participantId: string }): Promise<void> {
  await tx.contribution.updateMany({ where, data: { revision: { increment: 0 } } });
}

async function ownContribution(tx: Tx, ref: ConversationRef, code: string) {
  const participant = await requireParticipant(tx, ref);
  await lockContributions(tx, { code, participantId: participant.id });
  const contribution = await tx.contribution.findFirst({ where: { code, participantId: participant.id } });
  if (!contribution) throw unknownContribution(code);
  return { participant, contribution };
}

export async function applyEffect(tx: Tx, ref: ConversationRef, conversationKey: string, effect: DataEffect): Promise<void> {
  switch (effect.type) {
    case 'participant.consent':
      await tx.participant.upsert({
        where: { platform_platformUserId: who(ref) },
        create: { ...who(ref), locale: effect.locale, consentAt: effect.at, createdAt: effect.at },
        update: { locale: effect.locale, consentAt: effect.at },
      });
      return;
    case 'participant.locale':
      await tx.participant.updateMany({ where: { ...who(ref), erasedAt: null }, data: { locale: effect.locale } });
      return;
    case 'participant.announcements':
      await tx.participant.updateMany({ where: { ...who(ref), erasedAt: null }, data: { announcementsOffAt: effect.on ? null : effect.at } });
      return;
    case 'participant.drafted':
      // Idempotent: the first draft counts.
      await tx.participant.updateMany({
        where: { ...who(ref), erasedAt: null, draftedAt: null },
        data: { draftedAt: effect.at },
      });
      return;
    case 'contribution.create': {
      const participant = await requireParticipant(tx, ref);
      try {
        await tx.contribution.create({
          data: {
            code: effect.code,
            callId: effect.callId,
            participantId: participant.id,
            topic: effect.topic,
            state: 'submitted',
            language: effect.language,
            platform: ref.platform,
            revision: 1,
            wordCount: effect.revision.wordCount,
            createdAt: effect.at,
            updatedAt: effect.at,
            revisions: { create: { number: 1, ...revisionColumns(effect.revision), createdAt: effect.at } },
            stateChanges: { create: { fromState: null, toState: 'submitted', actor: PARTICIPANT_ACTOR, at: effect.at } },
          },
        });
      } catch (err) {
        // The only unique column written here is the code (ids are fresh UUIDs).
        if (isUniqueViolation(err)) throw new RollbackWith('code-taken');
        throw err;
      }
      await tx.participant.update({ where: { id: participant.id }, data: personalColumns(effect.revision.details) });
      return;
    }
    case 'contribution.revise': {
      const { participant, contribution } = await ownContribution(tx, ref, effect.code);
      const number = contribution.revision + 1;
      await tx.contribution.update({
        where: { id: contribution.id },
        data: {
          topic: effect.topic,
          state: 'submitted',
          revision: number,
          wordCount: effect.revision.wordCount,
          updatedAt: effect.at,
          revisions: { create: { number, ...revisionColumns(effect.revision), createdAt: effect.at } },
          stateChanges: {
            create: {
              fromState: contribution.state,
              toState: 'submitted',
              actor: PARTICIPANT_ACTOR,
              note: `revision ${number}`,
              at: effect.at,
            },
          },
        },
      });
      await tx.participant.update({ where: { id: participant.id }, data: personalColumns(effect.revision.details) });
      return;
    }
    case 'contribution.withdraw': {
      const { contribution } = await ownContribution(tx, ref, effect.code);
      if (contribution.state === 'withdrawn') return;
      await tx.contribution.update({
        where: { id: contribution.id },
        data: {
          state: 'withdrawn',
          updatedAt: effect.at,
          stateChanges: {
            create: { fromState: contribution.state, toState: 'withdrawn', actor: PARTICIPANT_ACTOR, at: effect.at },
          },
        },
      });
      return;
    }
    case 'participant.erase':
      await erase(tx, ref, conversationKey, effect.at);
      return;
  }
}

async function erase(tx: Tx, ref: ConversationRef, conversationKey: string, at: Date): Promise<void> {
  const participant = await findParticipant(tx, ref);
  if (participant) await eraseParticipantRow(tx, participant.id, at);
  // The person starts afresh: the state this step just wrote goes too (with any reply it quotes),
  // and so do the dead letters under their conversation key (no text, but a trace of them).
  await tx.conversation.deleteMany({ where: { key: conversationKey } });
  await tx.deadLetter.deleteMany({ where: { conversationKey } });
}

/**
 * Erases one participant: their contributions are withdrawn, every text and personal field is
 * emptied, the platform id forgotten, their notices deleted (a decision notice may quote an
 * organiser's note about the text) with their send receipts, and the organisers' notes on their contributions emptied for
 * the same reason; posts about their contributions are marked to be rewritten on their platform.
 * The stored conversation is the caller's to delete (it is keyed by a hash of the chat).
 */
export async function eraseParticipantRow(tx: Tx, participantId: string, at: Date): Promise<void> {
  await lockContributions(tx, { participantId });
  const contributions = await tx.contribution.findMany({ where: { participantId }, select: { id: true, state: true } });
  const ids = contributions.map((c) => c.id);
  const open = contributions.filter((c) => c.state !== 'withdrawn');
  // Organisers' notes go (they may quote the text); the participant's own markers ("revision 2") stay.
  await tx.contributionStateChange.updateMany({
    where: { contributionId: { in: ids }, actor: { not: PARTICIPANT_ACTOR }, note: { not: null } },
    data: { note: null },
  });
  if (open.length > 0) {
    await tx.contributionStateChange.createMany({
      data: open.map((c) => ({
        contributionId: c.id,
        fromState: c.state,
        toState: 'withdrawn',
        actor: PARTICIPANT_ACTOR,
        note: 'erased',
        at,
      })),
    });
    await tx.contribution.updateMany({ where: { id: { in: open.map((c) => c.id) } }, data: { state: 'withdrawn', updatedAt: at } });
  }
  // The organisers' desk notes go with the author (they may quote the text; src/desk/).
  await tx.deskNote.deleteMany({ where: { contributionId: { in: ids } } });
  // Word counts stay for the statistics; every text and personal field goes.
  await tx.contributionRevision.updateMany({ where: { contributionId: { in: ids } }, data: { text: '', ...ERASED_PERSONAL } });
  await tx.participant.update({
    where: { id: participantId },
    data: { ...ERASED_PERSONAL, platformUserId: `erased:${participantId}`, erasedAt: at, lastInboundAt: null },
  });
  // Messages to the person do not outlive erasure. After the participant's row is written: a
  // notice being enqueued holds that row's lock, so it is committed (and deleted here) or refused.
  await tx.notice.deleteMany({ where: { participantId } });
  // Other ids the platform knew them by (keyed hashes of a phone number: prisma-identity.ts).
  await tx.participantAlias.deleteMany({ where: { participantId } });
  // Their send receipts too: keyed hashes only, but each ties a platform message to them.
  await tx.sendReceipt.deleteMany({ where: { participantId } });
  await tx.platformPost.updateMany({ where: { contributionId: { in: ids }, redactFrom: null }, data: { redactFrom: at } });
}
