/**
 * A WhatsApp Cloud API webhook body → the events in it, in order. Pure: a document is only
 * described here (its media id); the adapter fetches it through the media API.
 *
 * Shape: { object: "whatsapp_business_account", entry: [{ id, changes: [{ field: "messages",
 *   value: { messaging_product, metadata: {phone_number_id}, contacts?: [{ profile, wa_id?,
 *   user_id? }], messages?: [...], statuses?: [...] } }] }] }. One POST may carry several
 * entries, changes, messages and statuses: every one is read.
 */
import type { ConversationRef, InboundEvent } from '../../src/core/index.js';
import { arr, isObj, obj, optional, problemOf, str, type Check } from '../shared/shape.js';
import { identityChange, isPhone, phoneOf, type IdentityItem } from './identity.js';

const message: Check = obj({
  id: str,
  // Seconds since 1970, as a string.
  timestamp: optional(str),
  from: optional(str),
  from_user_id: optional(str),
  type: str,
  text: optional(obj({ body: str })),
  interactive: optional(obj({ type: str, button_reply: optional(obj({ id: optional(str), title: optional(str) })), list_reply: optional(obj({ id: optional(str), title: optional(str) })) })),
  button: optional(obj({ payload: optional(str), text: optional(str) })),
  document: optional(obj({ id: str, mime_type: optional(str), filename: optional(str) })),
  referral: optional(obj({ headline: optional(str), body: optional(str), source_url: optional(str) })),
  system: optional(obj({ type: optional(str), body: optional(str), user_id: optional(str), wa_id: optional(str), previous_user_id: optional(str) })),
});

const status: Check = obj({ id: str, status: str, recipient_id: optional(str), recipient_user_id: optional(str), errors: optional(arr(obj({ code: optional((v, p) => (typeof v === 'number' ? null : p)) }))) });

export interface WaMessage {
  id: string;
  timestamp?: string;
  from?: string;
  from_user_id?: string;
  type: string;
  text?: { body: string };
  interactive?: { type: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string } };
  button?: { payload?: string; text?: string };
  document?: { id: string; mime_type?: string; filename?: string };
  referral?: { headline?: string; body?: string; source_url?: string };
  system?: { type?: string; body?: string; user_id?: string; wa_id?: string; previous_user_id?: string };
}

export interface WaStatus {
  id: string;
  status: string;
  recipient_id?: string;
  recipient_user_id?: string;
  errors?: { code?: number }[];
}

interface Contact {
  wa_id?: string;
  user_id?: string;
}

export interface WebhookBody {
  object?: string;
  entry?: unknown[];
}

/** A document to fetch through the media API before the event is complete. */
export interface MediaRef {
  mediaId: string;
  fileName: string;
  mimeType?: string;
}

export type Parsed =
  /** `phone`: the person's phone number when it came beside their BSUID (kept as a keyed hash only: identity.ts). */
  | { type: 'event'; event: InboundEvent; media?: MediaRef; phone?: string }
  /**
   * A delivery receipt: never answered; a failed one says why (its error code). Who it is about:
   * `userId` (recipient_user_id, the BSUID) and/or `phone` (recipient_id): Meta leaves the BSUID
   * out of a failed status for a message sent to a phone number.
   */
  | { type: 'status'; id: string; status: string; userId?: string; phone?: string; code?: number }
  | IdentityItem
  /** `field`: for a malformed item, the path of the first field that does not fit (safe to log). */
  | { type: 'ignore'; reason: string; field?: string };

function typedCommand(text: string): { command: string; args: string } | null {
  // WhatsApp has no commands of its own; the help text teaches /status, /lang, /delete… typed.
  const m = /^\/([a-z0-9_]{1,32})(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? { command: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() } : null;
}

/**
 * Who wrote. Since 2026 every inbound message carries the business-scoped user id (BSUID,
 * `from_user_id`, also in `contacts[].user_id`); a person with a WhatsApp username may come with no
 * phone at all. The BSUID keys the conversation; a phone number (`from`/`wa_id`) only when no
 * BSUID came (older payloads). Both are personal data: the core stores a keyed hash of the chat id
 * as the conversation key, and no log line holds either.
 */
function personOf(m: WaMessage, contacts: Contact[]): string | undefined {
  const contact = contacts.find((c) => (m.from !== undefined && c.wa_id === m.from) || (m.from_user_id !== undefined && c.user_id === m.from_user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const id = m.from_user_id ?? contact?.user_id ?? m.from ?? contact?.wa_id;
  // BSUIDs are "<country code>.<up to 128 alphanumerics>" (a parent BSUID one part more); phones are digits.
  return id && /^[A-Za-z0-9.]{1,140}$/.test(id) ? id : undefined;
}

/**
 * A topic named in a wa.me link's prefilled text or a Click-to-WhatsApp ad: the tag "#topic2"
 * (README "WhatsApp"). Only the tag counts, so an ordinary sentence never jumps to a topic.
 */
function topicArg(text: string | undefined): string {
  const m = /(?:^|\s)#topic(\d{1,2})\b/i.exec(text ?? '');
  return m ? `topic${m[1]}` : '';
}

/** The text without its topic tag (the tag is ours, not the person's words). */
function withoutTag(text: string): string {
  return text.replace(/(?:^|\s)#topic\d{1,2}\b/gi, ' ').replace(/\s+/g, ' ').trim();
}

/** One message: its event, with the phone number that came beside the BSUID (for the alias). */
export function parseMessage(raw: unknown, contacts: Contact[], now: Date): Parsed {
  const parsed = parseOne(raw, contacts, now);
  if (parsed.type !== 'event') return parsed;
  const phone = phoneOf(raw as WaMessage, contacts, parsed.event.conversation.userId);
  return phone ? { ...parsed, phone } : parsed;
}

function parseOne(raw: unknown, contacts: Contact[], now: Date): Parsed {
  const field = problemOf(message, raw, 'message');
  if (field) return { type: 'ignore', reason: 'malformed', field };
  const m = raw as WaMessage;
  const person = personOf(m, contacts);
  if (!person) return { type: 'ignore', reason: 'no-sender' };
  const seconds = Number(m.timestamp);
  const sent = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : now.getTime();
  const conversation: ConversationRef = { platform: 'whatsapp', chatId: person, userId: person };
  const base = {
    platform: 'whatsapp' as const,
    conversation,
    id: m.id,
    // No messageId: the core keeps it in the draft to match later edits, but an edit never comes
    // (it arrives as `unsupported`), and a wamid holds the sender's phone number in base64.
    // WhatsApp sends no language; the person picks one.
    localeHint: undefined,
    // The person's own send time opens the 24-hour window; a skewed clock cannot push it ahead.
    receivedAt: new Date(Math.min(sent, now.getTime())),
    raw: m,
  };
  switch (m.type) {
    case 'text': {
      const text = m.text?.body ?? '';
      const cmd = typedCommand(text);
      if (cmd) return { type: 'event', event: { ...base, kind: 'command', ...cmd } };
      // A Click-to-WhatsApp ad's first message carries `referral`; a wa.me link's prefilled text
      // names the topic itself ("… topic2"). Either opens the call at that topic, like Telegram's
      // deep links (/start topic2); the flow ignores args that are not topics.
      const topic = topicArg(text) || (m.referral ? topicArg(`${m.referral.headline ?? ''} ${m.referral.body ?? ''}`) : '');
      // The person's own words go after the topic: on first contact they tell the language
      // ("مرحبا #topic2" greets in Arabic), as a first message does.
      if (topic) return { type: 'event', event: { ...base, kind: 'command', command: 'start', args: `${topic} ${withoutTag(text)}`.trim() } };
      return { type: 'event', event: { ...base, kind: 'message', text } };
    }
    case 'interactive': {
      // Read by id; the visible title is the fallback when the id is one the step does not know.
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (reply?.id) return { type: 'event', event: { ...base, kind: 'choice', choice: reply.id, ...(reply.title ? { fallbackText: reply.title } : {}) } };
      if (reply?.title) return { type: 'event', event: { ...base, kind: 'message', text: reply.title } };
      return { type: 'ignore', reason: 'empty-interactive' };
    }
    case 'button': {
      // A template's quick-reply button: its payload is ours, its text what the person saw.
      const b = m.button ?? {};
      if (b.payload) return { type: 'event', event: { ...base, kind: 'choice', choice: b.payload, ...(b.text ? { fallbackText: b.text } : {}) } };
      if (b.text) return { type: 'event', event: { ...base, kind: 'message', text: b.text } };
      return { type: 'ignore', reason: 'empty-button' };
    }
    case 'document': {
      const d = m.document!;
      const fileName = d.filename?.trim() || 'document';
      return { type: 'event', event: { ...base, kind: 'file', media: 'document', fileName }, media: { mediaId: d.id, fileName, mimeType: d.mime_type } };
    }
    case 'image':
      return { type: 'event', event: { ...base, kind: 'file', media: 'image' } };
    case 'sticker':
      return { type: 'event', event: { ...base, kind: 'file', media: 'sticker' } };
    case 'audio':
      return { type: 'event', event: { ...base, kind: 'file', media: 'audio' } };
    case 'video':
      return { type: 'event', event: { ...base, kind: 'file', media: 'video' } };
    // location, contacts, unsupported (an edit arrives this way, code 131051): "I can read text only".
    case 'location':
    case 'contacts':
    case 'unsupported':
      return { type: 'event', event: { ...base, kind: 'file', media: 'other' } };
    case 'reaction':
      // An emoji on an earlier message: nothing to answer.
      return { type: 'ignore', reason: 'reaction' };
    case 'system':
      // A change of number gives the person a new BSUID (and user_changed_user_id a new BSUID
      // alone): their conversation moves to it (identity.ts). Nothing is said to them.
      return identityChange(m);
    default:
      return { type: 'event', event: { ...base, kind: 'file', media: 'other' } };
  }
}

export function parseStatus(raw: unknown): Parsed {
  const field = problemOf(status, raw, 'status');
  if (field) return { type: 'ignore', reason: 'malformed', field };
  const s = raw as WaStatus;
  const phone = s.recipient_id !== undefined && isPhone(s.recipient_id) ? s.recipient_id : undefined;
  return { type: 'status', id: s.id, status: s.status, ...(s.recipient_user_id ? { userId: s.recipient_user_id } : {}), ...(phone ? { phone } : {}), code: s.errors?.[0]?.code };
}

/** Every entry, change, message and status, in the order Meta sent them. */
export function parseWebhook(body: WebhookBody, now: Date): Parsed[] {
  if (body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) return [];
  const out: Parsed[] = [];
  body.entry.forEach((entry, i) => {
    const changes = isObj(entry) ? entry.changes : undefined;
    if (!Array.isArray(changes)) return void out.push({ type: 'ignore', reason: 'malformed', field: `entry[${i}]` });
    for (const change of changes) {
      const value = isObj(change) && isObj(change.value) ? change.value : undefined;
      if (!value) {
        out.push({ type: 'ignore', reason: 'malformed', field: `entry[${i}].changes` });
        continue;
      }
      const contacts = (Array.isArray(value.contacts) ? value.contacts : []).filter(isObj) as Contact[];
      if (Array.isArray(value.messages)) for (const m of value.messages) out.push(parseMessage(m, contacts, now));
      if (Array.isArray(value.statuses)) for (const s of value.statuses) out.push(parseStatus(s));
    }
  });
  return out;
}
