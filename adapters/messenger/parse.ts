/**
 * A Messenger webhook body → the events in it, in order. Pure: a file attachment is only
 * described here; the adapter downloads and reads it.
 *
 * Shape (Meta's "messages", "messaging_postbacks", "messaging_referrals" and "message_edits"
 * webhooks):
 *   { object: "page", entry: [{ id, time, messaging: [{ sender: {id}, recipient: {id}, timestamp,
 *     message?: {mid, text?, quick_reply?: {payload}, attachments?: [...], is_echo?},
 *     postback?: {mid?, title, payload, referral?: {ref, source, type}},
 *     referral?: {ref, source, type}, message_edit?: {mid, text, num_edit}, delivery?, read? }] }] }
 * Every item is checked against schema.ts before it is read; one that does not fit is ignored.
 */
import type { ConversationRef, InboundEvent } from '../../src/core/index.js';
import { isObj, problemOf } from '../shared/shape.js';
import { messagingItemShape } from './schema.js';

/** The Get Started button's postback (set by messenger:setup). */
export const GET_STARTED_PAYLOAD = 'GET_STARTED';
/** Persistent-menu items send `CMD:<command>`: they work at any step, like typed commands. */
export const COMMAND_PAYLOAD_PREFIX = 'CMD:';

export interface Attachment {
  type: string;
  payload?: { url?: string; sticker_id?: number | string; title?: string } | null;
}

export interface Referral {
  ref?: string;
  source?: string;
  type?: string;
}

export interface MessagingItem {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: { mid?: string; text?: string; is_echo?: boolean; sticker_id?: number | string; quick_reply?: { payload?: string }; attachments?: Attachment[] };
  postback?: { mid?: string; title?: string; payload?: string; referral?: Referral };
  referral?: Referral;
  message_edit?: { mid: string; text?: string; num_edit?: number };
  delivery?: unknown;
  read?: unknown;
}

export interface WebhookBody {
  object?: string;
  entry?: unknown[];
}

/** A file to download from the attachment URL before the event is complete. */
export interface FileRef {
  url: string;
  fileName: string;
}

export type Parsed =
  | { type: 'event'; event: InboundEvent; file?: FileRef }
  /** `field`: for a malformed item, the path of the first field that does not fit (safe to log). */
  | { type: 'ignore'; reason: string; field?: string };

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

/**
 * A sticker is an attachment of `type: "sticker"` in the current API, an image carrying a
 * sticker_id in older payloads; the thumbs-up ("Like") may come as both at once (a sticker and an
 * image with the same sticker_id), or with the id on the message itself. Any of these is one
 * sticker, answered once.
 */
function isSticker(m: NonNullable<MessagingItem['message']>): boolean {
  return m.sticker_id !== undefined || (m.attachments ?? []).some((a) => a.type === 'sticker' || a.payload?.sticker_id !== undefined);
}

function mediaOf(a: Attachment): Extract<InboundEvent, { kind: 'file' }>['media'] {
  switch (a.type) {
    case 'image':
      return 'image';
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

/** A referral's ref as the argument of /start, like Telegram's deep link (`/start topic2`). */
function refArgs(r: Referral | undefined): string {
  // Meta allows refs up to 250 characters of [A-Za-z0-9_=+/-]: anything else is not ours.
  const ref = r?.ref ?? '';
  return /^[A-Za-z0-9_=+/-]{1,250}$/.test(ref) ? ref : '';
}

export function parseItem(raw: unknown, now: Date): Parsed {
  const field = problemOf(messagingItemShape, raw, 'item');
  if (field) return { type: 'ignore', reason: 'malformed', field };
  const item = raw as MessagingItem;
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
    // A new thread opened from an m.me link (m.me/<page>?ref=topic2) starts with Get Started
    // carrying the link's ref: it opens the call at that topic, as Telegram's deep links do.
    if (payload === GET_STARTED_PAYLOAD) return { type: 'event', event: { ...base, id, kind: 'command', command: 'start', args: refArgs(item.postback.referral) } };
    if (payload.startsWith(COMMAND_PAYLOAD_PREFIX)) {
      const command = payload.slice(COMMAND_PAYLOAD_PREFIX.length).toLowerCase();
      return { type: 'event', event: { ...base, id, kind: 'command', command, args: '' } };
    }
    if (!payload) return { type: 'ignore', reason: 'empty-postback' };
    // The button's title comes with the press: when the payload is one the conversation does not
    // know (a template from an older release), the flow reads the title as the button's text.
    const title = item.postback.title;
    return { type: 'event', event: { ...base, id, kind: 'choice', choice: payload, ...(title ? { fallbackText: title } : {}) } };
  }

  if (item.referral) {
    // An existing thread opened again from an m.me link (source SHORTLINK), an ad or a QR code:
    // no mid, so sender + timestamp + ref names it. With a topic ref the flow offers that topic
    // (keeping a draft in progress); the flow ignores refs that are not topics.
    const args = refArgs(item.referral);
    return { type: 'event', event: { ...base, id: `${psid}:${timestamp}:referral:${args}`, kind: 'command', command: 'start', args } };
  }

  if (item.message_edit) {
    const e = item.message_edit;
    // One id per edit: the same message may be edited several times (num_edit counts them).
    return { type: 'event', event: { ...base, id: `${e.mid}:edit:${e.num_edit ?? timestamp}`, kind: 'edit', text: e.text ?? '', messageId: e.mid } };
  }

  const m = item.message;
  if (!m) {
    // delivery, read, reaction, optin…: nothing the person said.
    return { type: 'ignore', reason: item.delivery ? 'delivery' : item.read ? 'read' : 'other' };
  }
  const id = m.mid ?? `${psid}:${timestamp}:message`;
  const messageId = m.mid;
  // A quick reply is a tap on one of our buttons. Its text is the button's title: when the
  // payload is one the conversation does not know (a keyboard from an older release, `TOPIC_2`
  // with "2 · Rebuilding Iraq"), the flow reads that title — a number or a label in it.
  if (m.quick_reply?.payload) {
    return { type: 'event', event: { ...base, id, messageId, kind: 'choice', choice: m.quick_reply.payload, ...(m.text ? { fallbackText: m.text } : {}) } };
  }
  if (isSticker(m)) return { type: 'event', event: { ...base, id, messageId, kind: 'file', media: 'sticker' } };
  if (m.attachments && m.attachments.length > 0) {
    // Several attachments in one message: the first decides (a contribution is one file).
    const a = m.attachments[0]!;
    const media = mediaOf(a);
    if (media === 'document' && a.payload?.url) {
      const fileName = fileNameOf(a.payload.url);
      return { type: 'event', event: { ...base, id, messageId, kind: 'file', media, fileName }, file: { url: a.payload.url, fileName } };
    }
    return { type: 'event', event: { ...base, id, messageId, kind: 'file', media } };
  }
  if (typeof m.text === 'string') {
    const cmd = typedCommand(m.text);
    if (cmd) return { type: 'event', event: { ...base, id, messageId, kind: 'command', ...cmd } };
    return { type: 'event', event: { ...base, id, messageId, kind: 'message', text: m.text } };
  }
  return { type: 'ignore', reason: 'empty-message' };
}

/** Every entry and every messaging item, in the order Meta sent them. */
export function parseWebhook(body: WebhookBody, now: Date): Parsed[] {
  if (body.object !== 'page' || !Array.isArray(body.entry)) return [];
  const out: Parsed[] = [];
  body.entry.forEach((entry, i) => {
    const messaging = isObj(entry) ? entry.messaging : undefined;
    if (messaging === undefined && isObj(entry)) return;
    if (!Array.isArray(messaging)) return void out.push({ type: 'ignore', reason: 'malformed', field: `entry[${i}]` });
    // `messaging` is documented as holding one event, but a bot that reads only [0] loses messages.
    for (const item of messaging) out.push(parseItem(item, now));
  });
  return out;
}
