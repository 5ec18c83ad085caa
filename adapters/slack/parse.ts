/**
 * Slack payloads → the core's InboundEvent. DMs (message.im) are the conversation; the app's own
 * and other bots' messages, and subtypes other than edits and file shares, are not.
 */
import type { ConversationRef, InboundEvent } from '../../src/core/index.js';
import { fromSlackText } from './text.js';

export function slackRef(userId: string): ConversationRef {
  // Addressed by user id, as the core's notifier addresses a person's private conversation; the
  // sender finds the DM channel with conversations.open.
  return { platform: 'slack', chatId: userId, userId };
}

interface SlackFile {
  mimetype?: string;
  name?: string;
}

export interface MessageImEvent {
  type: 'message';
  channel_type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  /** The message's timestamp: Slack's id of a message in its channel. */
  ts?: string;
  files?: SlackFile[];
  message?: { user?: string; text?: string; bot_id?: string; ts?: string };
}

function mediaOf(mime: string | undefined): 'document' | 'image' | 'audio' | 'video' | 'other' {
  if (!mime) return 'other';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'document';
}

/** Null for what the conversation should not hear. `eventId` is the envelope's event_id. */
export function parseMessageIm(e: MessageImEvent, eventId: string, receivedAt: Date, raw: unknown): InboundEvent | null {
  if (e.channel_type !== 'im' || e.bot_id || e.subtype === 'bot_message') return null;
  if (e.subtype === 'message_changed') {
    const m = e.message;
    if (!m?.user || m.bot_id) return null;
    // `message.ts` is the edited message's own ts: the id the flow finds the draft part by.
    return { kind: 'edit', id: eventId, platform: 'slack', conversation: slackRef(m.user), text: fromSlackText(m.text ?? ''), messageId: m.ts, receivedAt, raw };
  }
  if (!e.user) return null;
  const base = { id: eventId, platform: 'slack' as const, conversation: slackRef(e.user), messageId: e.ts, receivedAt, raw };
  if (e.subtype === 'file_share') {
    const f = e.files?.[0];
    const media = mediaOf(f?.mimetype);
    // Reading Slack files needs the files:read scope, which the app does not ask for (fewer
    // permissions over partners' workspaces): a document is answered as unreadable, with the
    // invitation to paste its text.
    return { ...base, kind: 'file', media, fileName: f?.name, problem: media === 'document' ? 'unreadable' : undefined };
  }
  if (e.subtype !== undefined) return null;
  // Slack's escaping and link markup undone: stored and exported as the person typed it.
  return { ...base, kind: 'message', text: fromSlackText(e.text ?? '') };
}

/** `/icssi <sub> [args]` → sub (lower-cased) and the rest. */
export function parseCommandText(text: string): { sub: string; args: string } {
  // Slash-command text is escaped like message text.
  const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(fromSlackText(text));
  return { sub: (m?.[1] ?? '').toLowerCase(), args: (m?.[2] ?? '').trim() };
}
