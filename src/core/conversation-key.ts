/**
 * The stored key of a conversation: a keyed hash of platform and chat id, so the conversation
 * table holds no raw platform id (a person who declines consent leaves nothing that names them).
 */
import { createHmac } from 'node:crypto';
import type { ConversationRef } from './types.js';

export function conversationKey(secret: string, ref: ConversationRef): string {
  return createHmac('sha256', secret).update(`conversation\0${ref.platform}\0${ref.chatId}`).digest('base64url').slice(0, 32);
}

/** A keyed pseudonym for exports: stable per secret, useless without it. */
export function pseudonym(secret: string, platform: string, platformUserId: string): string {
  return createHmac('sha256', secret).update(`export\0${platform}\0${platformUserId}`).digest('base64url').slice(0, 16);
}
