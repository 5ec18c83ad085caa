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

/**
 * The stored claim of a platform event: a keyed hash of its id. Some ids name the person (Meta's
 * data-deletion callback is claimed as `data-deletion:<PSID>:…`; a Messenger mid leads to the
 * message), so none is kept as given. Equal ids still give equal claims, so redeliveries are
 * recognised as before.
 */
export function eventClaim(secret: string, platform: string, eventId: string): string {
  return createHmac('sha256', secret).update(`event\0${platform}\0${eventId}`).digest('base64url').slice(0, 32);
}

/**
 * The stored form of another id a platform knows a person by (WhatsApp: the phone number beside
 * the BSUID): a keyed hash, so no table holds the phone itself. Equal ids give equal keys, which
 * is all a look-up needs.
 */
export function aliasKey(secret: string, platform: string, alias: string): string {
  return createHmac('sha256', secret).update(`alias\0${platform}\0${alias}`).digest('base64url').slice(0, 32);
}
