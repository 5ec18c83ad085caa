/**
 * Replies as the flow returns them: translation keys with parameters, not text. The core
 * translates them into the conversation's language (the flow knows no i18n library).
 */
import type { Locale } from '../domain/records.js';

/** A parameter value: plain, left-to-right text to isolate inside RTL sentences, or a nested key. */
export type ParamValue =
  | string
  | number
  | { ltr: string }
  | { t: string; params?: Params }
  /** An instant (ISO 8601), shown in the call's timezone in the reader's language. */
  | { time: string }
  /** Days (YYYY-MM-DD, first and last), shown as a range of dates in the reader's language. */
  | { dates: [string, string] }
  /** A calendar day (YYYY-MM-DD), shown as a long date in the reader's language and digits. */
  | { day: string }
  /**
   * The person's own text echoed back. In a right-to-left reply its Latin runs are isolated so a
   * mixed Arabic/English text reads in order; the stored text is never changed.
   */
  | { userText: string };
export type Params = Record<string, ParamValue>;

export interface ReplyChoice {
  /** Short ASCII id, e.g. `topic:2` (Telegram callback data is at most 64 bytes). */
  id: string;
  key: string;
  params?: Params;
  /**
   * A shorter label for small buttons (Messenger's 20 characters), where the label has a part
   * that may make it long: a topic's title without its number, "Change {{code}}", "Same as before".
   */
  short?: Paragraph;
}

export interface Paragraph {
  key: string;
  params?: Params;
  /** Rendered in this language rather than the conversation's (the first screen speaks all three). */
  lng?: Locale;
}

export interface Reply {
  key: string;
  params?: Params;
  /** As Paragraph.lng: this reply's first paragraph in a fixed language. */
  lng?: Locale;
  /** Further paragraphs of the same message (a list of topics, the lines of a receipt). */
  more?: Paragraph[];
  choices?: ReplyChoice[];
  expectsText?: boolean;
  /** What the reply is for, where a platform shows it its own way (OutboundMessage.role). */
  role?: ReplyRole;
}

/**
 * `greeting`: the first words to a new person in their language — the bot introducing itself, or,
 * after the three-language first screen, the first question in the language they chose. Messenger
 * joins a greeting without choices to the question after it; Slack adds its own ways to take part.
 */
export type ReplyRole = 'greeting';

/** Wrap codes, e-mail addresses and links so they display right inside Arabic or Kurdish text. */
export const ltr = (s: string): { ltr: string } => ({ ltr: s });
export const nested = (t: string, params?: Params): { t: string; params?: Params } => ({ t, params });

export const userText = (s: string): { userText: string } => ({ userText: s });

export const time = (d: Date): { time: string } => ({ time: d.toISOString() });

export const choice = (id: string, key: string, params?: Params, short?: Paragraph): ReplyChoice =>
  short ? { id, key, params, short } : { id, key, params };
