/**
 * A Telegram Update → an InboundEvent, or what else the update means (a person blocked or
 * unblocked the bot, or nothing for us). Pure: documents are only described here; handle-update.ts
 * downloads and reads them.
 */
import type { Message, Update, User } from 'grammy/types';
import type { ConversationRef, InboundEvent } from '../../src/core/index.js';
import { MAX_DOCUMENT_BYTES } from '../shared/read-document.js';
import { problemOf } from '../shared/shape.js';
import { updateShape } from './schema.js';

/** A document to download with getFile before the event is complete. */
export interface DocumentRef {
  fileId: string;
  fileName: string;
  mimeType?: string;
}

export type ParsedUpdate =
  | {
      type: 'event';
      event: InboundEvent;
      /** Set for a button press: every callback query must be answered (answerCallbackQuery). */
      callbackQueryId?: string;
      /** Set for a readable-size document: its text is still to be read. */
      document?: DocumentRef;
    }
  /** my_chat_member in a private chat: the person blocked (kicked) or unblocked the bot. */
  | { type: 'membership'; chatId: string; blocked: boolean }
  /** `field`: for a malformed update, the path of the first field that does not fit (safe to log). */
  | { type: 'ignore'; reason: string; field?: string };

export interface ParseOptions {
  /** The bot's own username (getMe), to tell `/start@ThisBot` from a command for another bot. */
  botUsername?: string;
  now: () => Date;
}

type Base = Omit<Extract<InboundEvent, { kind: 'message' }>, 'kind' | 'text'>;

function base(update: Update, chatId: number, from: User, date: number | undefined, opts: ParseOptions): Base {
  const conversation: ConversationRef = { platform: 'telegram', chatId: String(chatId), userId: String(from.id) };
  return {
    // update_id is unique per bot and repeats when Telegram redelivers: the core claims it once.
    id: String(update.update_id),
    platform: 'telegram',
    conversation,
    // language_code is the app's interface language: only a hint, the person confirms it.
    localeHint: from.language_code,
    receivedAt: date !== undefined ? new Date(date * 1000) : opts.now(),
    raw: update,
  };
}

/**
 * A command is a bot_command entity at offset 0: "/start", "/start@IcssiBot topic2". The part
 * after the command is its argument (a deep link t.me/<bot>?start=topic2 arrives as "/start topic2").
 */
function command(message: Message, opts: ParseOptions): { command: string; args: string } | 'not-ours' | null {
  const text = message.text ?? '';
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return null;
  const [name = '', mention] = text.slice(1, entity.length).split('@');
  if (mention && opts.botUsername && mention.toLowerCase() !== opts.botUsername.toLowerCase()) return 'not-ours';
  return { command: name.toLowerCase(), args: text.slice(entity.length).trim() };
}

function fromMessage(update: Update, message: Message, opts: ParseOptions): ParsedUpdate {
  // Private chats only: in a group, one person's contribution would be read by everybody.
  if (message.chat.type !== 'private') return { type: 'ignore', reason: 'not-private' };
  if (!message.from || message.from.is_bot) return { type: 'ignore', reason: 'no-person' };
  const b = base(update, message.chat.id, message.from, message.date, opts);

  if (message.text !== undefined) {
    const cmd = command(message, opts);
    if (cmd === 'not-ours') return { type: 'ignore', reason: 'other-bot' };
    if (cmd) return { type: 'event', event: { ...b, kind: 'command', ...cmd } };
    return { type: 'event', event: { ...b, kind: 'message', text: message.text, messageId: String(message.message_id) } };
  }
  // A GIF comes with both `animation` and `document` set: it is a video, not a contribution.
  if (message.animation || message.video || message.video_note) return { type: 'event', event: { ...b, kind: 'file', media: 'video' } };
  if (message.document) {
    const d = message.document;
    const fileName = d.file_name ?? 'document';
    // getFile serves at most 20 MB: a larger file is refused before anything is downloaded.
    if (d.file_size !== undefined && d.file_size > MAX_DOCUMENT_BYTES) {
      return { type: 'event', event: { ...b, kind: 'file', media: 'document', fileName, problem: 'too-large' } };
    }
    return {
      type: 'event',
      event: { ...b, kind: 'file', media: 'document', fileName },
      document: { fileId: d.file_id, fileName, mimeType: d.mime_type },
    };
  }
  if (message.photo) return { type: 'event', event: { ...b, kind: 'file', media: 'image' } };
  if (message.sticker) return { type: 'event', event: { ...b, kind: 'file', media: 'sticker' } };
  if (message.voice || message.audio) return { type: 'event', event: { ...b, kind: 'file', media: 'audio' } };
  // A location, a contact (a phone number we do not want), a poll, a dice…: a clear "cannot read".
  return { type: 'event', event: { ...b, kind: 'file', media: 'other' } };
}

export function parseUpdate(update: Update, opts: ParseOptions): ParsedUpdate {
  const field = problemOf(updateShape, update, 'update');
  if (field) return { type: 'ignore', reason: 'malformed', field };
  if (update.message) return fromMessage(update, update.message, opts);

  if (update.edited_message) {
    const m = update.edited_message;
    if (m.chat.type !== 'private' || !m.from || m.from.is_bot) return { type: 'ignore', reason: 'not-private' };
    const b = base(update, m.chat.id, m.from, m.edit_date ?? m.date, opts);
    return { type: 'event', event: { ...b, kind: 'edit', text: m.text ?? m.caption ?? '', messageId: String(m.message_id) } };
  }

  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if (chat && chat.type !== 'private') return { type: 'ignore', reason: 'not-private' };
    // A button on a message too old for Telegram to include still has a sender: in a private
    // chat the chat id is the person's id.
    const chatId = chat?.id ?? q.from.id;
    const b = base(update, chatId, q.from, undefined, opts);
    // An inline-mode button (no data) is not one of ours; it is still answered, with no event.
    if (q.data === undefined) return { type: 'ignore', reason: 'no-data' };
    return { type: 'event', event: { ...b, kind: 'choice', choice: q.data }, callbackQueryId: q.id };
  }

  if (update.my_chat_member) {
    const m = update.my_chat_member;
    if (m.chat.type !== 'private') return { type: 'ignore', reason: 'not-private' };
    // "kicked" in a private chat means the person blocked the bot; "member" that they unblocked
    // (or started) it. Neither is a message: the conversation is not touched.
    return { type: 'membership', chatId: String(m.chat.id), blocked: m.new_chat_member.status === 'kicked' };
  }

  return { type: 'ignore', reason: 'unhandled-update' };
}

/** The callback query id of an update, even when the update itself is ignored. */
export function callbackQueryIdOf(update: Update): string | undefined {
  const id: unknown = update.callback_query?.id;
  return typeof id === 'string' ? id : undefined;
}
