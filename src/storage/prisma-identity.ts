/**
 * Aliases and changes of id on the Prisma store (IdentityStore; the rules are in
 * src/core/identities.ts). An alias row holds a keyed hash and the participant's id, nothing
 * else; erasing the participant deletes it (prisma-effects.ts, so /delete and purge alike).
 */
import type { IdChange, IdentityStore } from '../core/ports.js';
import type { ConversationRef, Platform } from '../core/types.js';
import type { Tx } from './prisma-client.js';
import type { PrismaEngine } from './prisma-engine.js';
import { toJson } from './rows.js';

export class PrismaIdentity implements IdentityStore {
  constructor(private readonly engine: PrismaEngine) {}

  /**
   * Asked on messages until the person consents (the core then remembers the link): the common
   * case is one read by the unique (platform, platformUserId) and no transaction. The write reads
   * again in its transaction; the core runs it in the conversation's queue, so /delete (a step
   * of that conversation) cannot erase the participant in between.
   */
  async linkAlias(input: { platform: Platform; userId: string; aliasKey: string; at: Date }): Promise<boolean> {
    const live = (tx: Tx) => tx.participant.findFirst({ where: { platform: input.platform, platformUserId: input.userId, erasedAt: null }, select: { id: true } });
    if (!(await this.engine.run('linkAlias', live))) return false;
    return this.engine.transact('linkAlias', async (tx) => {
      const participant = await live(tx);
      if (!participant) return false;
      const where = { platform_aliasKey: { platform: input.platform, aliasKey: input.aliasKey } };
      // A phone number that changed hands moves to its new holder.
      await tx.participantAlias.upsert({ where, create: { platform: input.platform, aliasKey: input.aliasKey, participantId: participant.id, createdAt: input.at }, update: { participantId: participant.id } });
      return true;
    });
  }

  async userIdByAlias(platform: Platform, aliasKey: string): Promise<string | null> {
    const row = await this.engine.run('userIdByAlias', (tx) =>
      tx.participantAlias.findUnique({ where: { platform_aliasKey: { platform, aliasKey } }, select: { participant: { select: { platformUserId: true, erasedAt: true } } } }),
    );
    return row && row.participant.erasedAt === null ? row.participant.platformUserId : null;
  }

  /** One transaction; the cached conversations are forgotten (both keys change). */
  changeUserId(input: { from: ConversationRef; to: ConversationRef; fromKey: string; toKey: string; at: Date }): Promise<IdChange> {
    return this.engine.forgettingCache(this.engine.transact('changeUserId', (tx) => moveUser(tx, input)));
  }
}

async function moveUser(tx: Tx, input: { from: ConversationRef; to: ConversationRef; fromKey: string; toKey: string }): Promise<IdChange> {
  const { from, to, fromKey, toKey } = input;
  const live = (userId: string) => ({ platform: from.platform, platformUserId: userId, erasedAt: null });
  const participant = await tx.participant.findFirst({ where: live(from.userId), select: { id: true } });
  const conversation = await tx.conversation.findUnique({ where: { key: fromKey }, select: { pendingRef: true } });
  // Nothing under the old id: never stored, or moved already (a redelivered system message).
  if (!participant && !conversation) return 'unknown';
  if (await tx.participant.findFirst({ where: live(to.userId), select: { id: true } })) return 'taken';
  // A participant for the new id committed meanwhile by another process fails this on the
  // unique (platform, platformUserId): the webhook answers 503 and the redelivery finds 'taken'.
  if (participant) await tx.participant.update({ where: { id: participant.id }, data: { platformUserId: to.userId } });
  if (conversation) {
    // A conversation the person started from the new id before the platform said so (no
    // participant: checked above) gives way to the one that holds their draft.
    await tx.deadLetter.deleteMany({ where: { conversationKey: toKey } });
    await tx.conversation.deleteMany({ where: { key: toKey } });
    // Replies still waiting go to the new id.
    await tx.conversation.update({ where: { key: fromKey }, data: { key: toKey, ...(conversation.pendingRef ? { pendingRef: toJson(to) } : {}) } });
    await tx.deadLetter.updateMany({ where: { conversationKey: fromKey }, data: { conversationKey: toKey } });
  }
  return 'moved';
}
