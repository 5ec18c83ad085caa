/**
 * A Messenger webhook body → the events in it, in order. Pure: a file attachment is only
 * described here; the adapter downloads and reads it.
 *
 * Shape (Meta's "messages" and "messaging_postbacks" webhooks):
 *   { object: "page", entry: [{ id, time, messaging: [{ sender: {id}, recipient: {id}, timestamp,
 *     message?: {mid, text?, quick_reply?: {payload}, attachments?: [...], is_echo?},
 *     postback?: {mid?, title, payload}, delivery?, read? }] }] }
 */
import type { ConversationRef, InboundEvent } from '../../src/core/types.js';

/** The Get Started button's postback (set by messenger:setup). */
export const GET_STARTED_PAYLOAD = 'GET_STARTED';
/** Persistent-menu items send `CMD:<command>`: they work at any step, like typed commands. */
export const COMMAND_PAYLOAD_PREFIX = 'CMD:';

export interface Attachment {
  type: string;
  payload?: { url?: string; sticker_id?: number; title?: string } | null;
}

export interface MessagingItem {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: { mid?: string; text?: string; is_echo?: boolean; quick_reply?: { payload?: string }; attachments?: Attachment[] };
  postback?: { mid?: string; title?: string; payload?: string };
  delivery?: unknown;
  read?: unknown;
}

export interface WebhookBody {
  object?: string;
  entry?: { id?: string; time?: number; messaging?: MessagingItem[] }[];
}

/** A file to download from the attachment URL before the event is complete. */
export interface FileRef {
  url: string;
  fileName: string;
}

export type Parsed = { type: 'event'; event: InboundEvent; file?: FileRef } | { type: 'ignore'; reason: string };

/** The original file name is the last path segment of Messenger's CDN URL (it sends no name field). */
export function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
    return decodeURIComponent(last) || 'document';
  } catch {
    return 'document';
  }
}

function typedCommand(text: string): { command: string; args: string } | null {
  // Messenger has no commands of its own; the help text teaches /status, /lang, /delete… typed.
  const m = /^\/([a-z0-9_]{1,32})(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? { command: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() } : null;
}

function mediaOf(a: Attachment): Extract<InboundEvent, { kind: 'file' }>['media'] {
  switch (a.type) {
    // A sticker arrives as an image attachment carrying a sticker_id (the thumbs-up too).
    case 'image':
      return a.payload?.sticker_id !== undefined ? 'sticker' : 'image';
    case 'audio':
      return 'audio';
    case 'video':
      return 'video';
    case 'file':
      return 'document';
    // location, fallback (a shared link), template, reel…: "I can read text only".
    default:
      return 'other';
  }
}

export function parseItem(item: MessagingItem, now: Date): Parsed {
  const psid = item.sender?.id;
  if (!psid || !/^\d{1,32}$/.test(psid)) return { type: 'ignore', reason: 'no-sender' };
  // Echoes are our own messages coming back (only if message_echoes is subscribed): never answer them.
  if (item.message?.is_echo) return { type: 'ignore', reason: 'echo' };
  const timestamp = typeof item.timestamp === 'number' ? item.timestamp : now.getTime();
  // In a Page conversation the PSID names both the person and the chat.
  const conversation: ConversationRef = { platform: 'messenger', chatId: psid, userId: psid };
  const base = {
    platform: 'messenger' as const,
    conversation,
    // Messenger sends no locale in webhooks, and fetching the profile is what the privacy rules
    // forbid: no hint; the person picks a language.
    localeHint: undefined,
    // The person's own send time starts the 24-hour window; a skewed clock cannot push it ahead.
    receivedAt: new Date(Math.min(timestamp, now.getTime())),
    raw: item,
  };

  if (item.postback) {
    const payload = item.postback.payload ?? '';
    // Current postbacks carry a mid; older ones none: sender + timestamp + payload is then unique.
    const id = item.postback.mid ?? `${psid}:${timestamp}:${payload}`;
    if (payload === GET_STARTED_PAYLOAD) return { type: 'event', event: { ...base, id, kind: 'command', command: 'start', args: '' } };
    if (payload.startsWith(COMMAND_PAYLOAD_PREFIX)) {
      const command = payload.slice(COMMAND_PAYLOAD_PREFIX.length).toLowerCase();
      return { type: 'event', event: { ...base, id, kind: 'command', command, args: '' } };
    }
    if (!payload) return { type: 'ignore', reason: 'empty-postback' };
    return { type: 'event', event: { ...base, id, kind: 'choice', choice: payload } };
  }

  const m = item.message;
  if (!m) {
    // delivery, read, reaction, referral, optin…: nothing the person said.
    return { type: 'ignore', reason: item.delivery ? 'delivery' : item.read ? 'read' : 'other' };
  }
  const id = m.mid ?? `${psid}:${timestamp}:message`;
  // A quick reply is a tap on one of our buttons: its text is only the button's title.
  if (m.quick_reply?.payload) return { type: 'event', event: { ...base, id, kind: 'choice', choice: m.quick_reply.payload } };
  if (m.attachments && m.attachments.length > 0) {
    // Several attachments in one message: the first decides (a contribution is one file).
    const a = m.attachments[0]!;
    const media = mediaOf(a);
    if (media === 'document' && a.payload?.url) {
      const fileName = fileNameOf(a.payload.url);
      return { type: 'event', event: { ...base, id, kind: 'file', media, fileName }, file: { url: a.payload.url, fileName } };
    }
    return { type: 'event', event: { ...base, id, kind: 'file', media } };
  }
  if (typeof m.text === 'string') {
    const cmd = typedCommand(m.text);
    if (cmd) return { type: 'event', event: { ...base, id, kind: 'command', ...cmd } };
    return { type: 'event', event: { ...base, id, kind: 'message', text: m.text } };
  }
  return { type: 'ignore', reason: 'empty-message' };
}

/** Every entry and every messaging item, in the order Meta sent them. */
export function parseWebhook(body: WebhookBody, now: Date): Parsed[] {
  if (body.object !== 'page' || !Array.isArray(body.entry)) return [];
  const out: Parsed[] = [];
  for (const entry of body.entry) {
    // `messaging` is documented as holding one event, but a bot that reads only [0] loses messages.
    for (const item of Array.isArray(entry?.messaging) ? entry.messaging : []) out.push(parseItem(item, now));
  }
  return out;
}
