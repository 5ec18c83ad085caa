/**
 * The shapes every adapter and the core agree on. An adapter turns a platform request into an
 * InboundEvent and renders an OutboundMessage; nothing here knows a platform's wire format.
 */

import type { Platform } from '../domain/platform.js';
import type { ReplyRole } from '../flow/replies.js';
import type { FileProblem } from '../flow/context.js';

// Defined in the domain (records name a platform); re-exported so adapters keep one import.
export { PLATFORMS, type Platform } from '../domain/platform.js';

/** Where a conversation happens. In a private chat chatId and userId may be equal. */
export interface ConversationRef {
  platform: Platform;
  chatId: string;
  userId: string;
}

interface EventBase {
  /** The platform's own id (Telegram update_id, Messenger mid, Slack event_id): claimed once. */
  id: string;
  platform: Platform;
  conversation: ConversationRef;
  /** The platform's language hint (e.g. Telegram from.language_code); only a hint. */
  localeHint?: string;
  /**
   * The platform's id of the person's message (Telegram message_id, Messenger mid, Slack ts), when
   * the event is or edits a message: it lets an edit find the draft part it changes.
   */
  messageId?: string;
  receivedAt: Date;
  /** The payload exactly as received; never stored or logged (it holds message bodies). */
  raw: unknown;
}

export type InboundEvent =
  | (EventBase & { kind: 'message'; text: string })
  /**
   * A button press: `choice` is the id the bot attached to the button. `fallbackText` is the
   * button's visible text where the platform sends it (Messenger's quick replies): when the id is
   * not one the current step offers (a keyboard from an older release), that text is read as if
   * the person had typed it.
   */
  | (EventBase & { kind: 'choice'; choice: string; fallbackText?: string })
  /**
   * The person edited a message they had sent. Edits are not applied retroactively (the text may
   * already be counted or sent); the person is asked to send the correction as a new message.
   */
  | (EventBase & { kind: 'edit'; text: string })
  /** A slash command without its slash, lower-cased: `start`, `help`, `lang`… */
  | (EventBase & { kind: 'command'; command: string; args: string })
  /**
   * Anything that is not text: a document, an image, a sticker, audio, video or something else.
   * A document's text is fetched only when the conversation takes it (`fetchText`).
   */
  | (EventBase & {
      kind: 'file';
      media: 'document' | 'image' | 'sticker' | 'audio' | 'video' | 'other';
      fileName?: string;
      /** Extracted text of a readable document; undefined when it could not be read. */
      text?: string;
      /** Why the text could not be read, when it could not (or, known from the event, need not be). */
      problem?: FileProblem;
      /**
       * Downloads and reads the document. The core calls it only when the conversation is at a
       * step that takes a file and the event was not processed before (a redelivery): a file sent
       * at any other step costs no download and no parsing.
       */
      fetchText?: () => Promise<DocumentRead>;
    });

/** What an adapter's fetchText gives: the document's text, or why there is none. */
export type DocumentRead = { ok: true; text: string } | { ok: false; problem: FileProblem };

export interface Choice {
  /** Short ASCII id (Telegram callback_data is at most 64 bytes). */
  id: string;
  label: string;
  /**
   * A shorter label, for a platform whose buttons are small (Messenger cuts at 20 characters),
   * where the label may be long: "Rebuilding Iraq" for "2. Rebuilding Iraq", "Same as before" for
   * "Same details as before (Layla Hassan)". Codes in it are isolated in right-to-left languages,
   * as in the label. Absent on most choices, and on replies stored before it existed.
   */
  short?: string;
}

/** A reply, already translated. Adapters render choices their own way and split long text. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** The bot waits for typed text (adapters may show a reply field or hint). */
  expectsText?: boolean;
  /** Text direction of the language it is written in. */
  dir?: 'ltr' | 'rtl';
  /**
   * The translation key of the reply (for tests and logs: adapters never compare it, they read
   * `role`) and the language it is written in (an adapter adds its own words in that language).
   * Optional: replies stored before lack them.
   */
  key?: string;
  lang?: string;
  /**
   * What the reply is for, set by the flow where a platform may show it its own way: 'greeting'
   * is the bot's first words to a new person (Messenger joins it to the next question, Slack adds
   * its ways to take part). Adapters read this, never the translation key.
   */
  role?: ReplyRole;
  /**
   * Set on a message the bot starts (a review decision, a reminder), as opposed to a reply to
   * what the person just sent. Messenger labels the two differently (messaging_type UPDATE vs
   * RESPONSE); other adapters may ignore it.
   */
  initiated?: boolean;
  /**
   * Parts of this message (a text split to the platform's limit) already delivered by an earlier
   * attempt: the adapter sends from this part on. Set by the outbox only.
   */
  fromPart?: number;
}
