/**
 * What the flow is given besides its state and the input: data in, data out.
 */
import type { CallDefinition } from '../domain/call-definition.js';
import type { ContributionRecord, Locale, ParticipantRecord } from '../domain/records.js';
import type { DataEffect } from '../domain/effects.js';
import type { ConversationState } from './state.js';
import type { Understanding } from '../understanding/index.js';
import type { Reply, ReplyChoice } from './replies.js';

export interface FlowContext {
  now: Date;
  call: CallDefinition;
  participant: ParticipantRecord | null;
  /** The person's contributions to this call, newest first (all states). */
  contributions: ContributionRecord[];
  /** Numbers in [0, 1) for receipt codes; injected so tests are deterministic. */
  random: () => number;
  /** The platform's language hint, already mapped to a supported language. */
  localeHint: Locale | null;
  /**
   * A choice's label as the person sees it on their platform, in `lng`: typed words are read
   * against it (choice-match.ts). The core renders it; the flow knows no i18n library.
   */
  label: (choice: ReplyChoice, lng: Locale) => string;
}

/**
 * Why a document's text is not there: too-large (over the download cap) · too-long (more text or
 * pages than any contribution) · too-complex (reading it took more time or memory than allowed) ·
 * unsupported-type · unreadable.
 */
export type FileProblem = 'too-large' | 'too-long' | 'too-complex' | 'unsupported-type' | 'unreadable';

/** What a person sent, as the flow sees it (the core maps platform events to this). */
export type FlowInput =
  /** messageId: the platform's id of the message (an edit of it later names the same id). */
  /** `understood`: what the message was read as (src/understanding), set once by readChoice. */
  | { kind: 'text'; text: string; messageId?: string; understood?: Understanding }
  /**
   * A button press. `fallbackText` is the button's visible text where the platform sends it
   * (Messenger's quick replies): read as if typed when the id is not one the step offers.
   */
  | { kind: 'choice'; id: string; fallbackText?: string; messageId?: string }
  | { kind: 'edit'; text: string; messageId?: string }
  | { kind: 'command'; command: string; args: string }
  | {
      kind: 'file';
      media: 'document' | 'image' | 'sticker' | 'audio' | 'video' | 'other';
      fileName?: string;
      text?: string;
      problem?: FileProblem;
      messageId?: string;
    };

export interface FlowResult {
  state: ConversationState;
  replies: Reply[];
  effects: DataEffect[];
  /**
   * The input was a button the conversation no longer offers (pressed on an older message): the
   * replies say so and ask the current question. A platform that acknowledges a press itself
   * (Telegram's answerCallbackQuery) says so there too (Dispatcher.handle's result).
   */
  stale?: true;
}
