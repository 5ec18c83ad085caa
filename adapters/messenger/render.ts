/**
 * An OutboundMessage → the Send API `message` objects that show it.
 *
 * - Text is split at word boundaries under Messenger's 2000 characters (UTF-16 units, what
 *   splitText counts); Messenger refuses an empty text, so empty parts are dropped.
 * - Choices usually become quick replies (at most 13, titles at most 20 characters) under the last
 *   part. They vanish once the person taps one or types anything, which suits the flow's many
 *   one-off questions that also accept typed answers.
 * - A short question (text ≤ 640 characters) with at most 3 choices and no typed answer expected
 *   becomes a button template instead: its buttons stay on the message. That is where a person
 *   may scroll back and decide later — the language choice, "continue or discard your draft",
 *   "withdraw this contribution?", "erase your data?" — and where a quick reply, gone after the
 *   next message, would leave them retyping an exact label.
 */
import { splitText, type Choice, type OutboundMessage } from '../../src/core/index.js';

export const MAX_TEXT = 2000;
export const MAX_QUICK_REPLIES = 13;
export const MAX_BUTTONS = 3;
export const MAX_TEMPLATE_TEXT = 640;

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export type SendMessage =
  | { text: string; quick_replies?: QuickReply[] }
  | { attachment: { type: 'template'; payload: { template_type: 'button'; text: string; buttons: { type: 'postback'; title: string; payload: string }[] } } };

/** Titles for one message's choices, in order (see labels.ts: they are chosen together). */
export type TitlesOf = (choices: Choice[]) => string[];

export function usesButtonTemplate(message: OutboundMessage): boolean {
  const n = message.choices?.length ?? 0;
  return n > 0 && n <= MAX_BUTTONS && !message.expectsText && message.text.trim() !== '' && message.text.length <= MAX_TEMPLATE_TEXT;
}

export function render(message: OutboundMessage, titlesOf: TitlesOf): SendMessage[] {
  const choices = message.choices ?? [];
  if (usesButtonTemplate(message)) {
    const titles = titlesOf(choices);
    const buttons = choices.map((c, i) => ({ type: 'postback' as const, title: titles[i]!, payload: c.id }));
    return [{ attachment: { type: 'template', payload: { template_type: 'button', text: message.text, buttons } } }];
  }
  const parts: SendMessage[] = splitText(message.text, MAX_TEXT)
    .filter((p) => p.trim() !== '')
    .map((text) => ({ text }));
  if (choices.length > 0 && parts.length > 0) {
    // The flow shows at most 7 choices; more than 13 would be refused whole (error 100).
    const shown = choices.slice(0, MAX_QUICK_REPLIES);
    const titles = titlesOf(shown);
    const quick = shown.map((c, i) => ({ content_type: 'text' as const, title: titles[i]!, payload: c.id }));
    (parts[parts.length - 1] as { quick_replies?: QuickReply[] }).quick_replies = quick;
  }
  return parts;
}
