/**
 * An OutboundMessage → the Cloud API message bodies that show it (without `messaging_product`
 * and the recipient, which the sender adds).
 *
 * - Text is split at word boundaries under 4,096 characters (splitText counts UTF-16 units, as
 *   Meta does); WhatsApp refuses an empty text, so empty parts are dropped.
 * - Up to 3 choices: reply buttons (titles 1–20 characters, unique) under the last part.
 * - More: a list message (at most 10 rows, row titles ≤ 24, the button that opens it ≤ 20).
 * - An interactive message's body is at most 1,024 characters: a longer last part is split again
 *   and only its last piece carries the buttons.
 * Typed numbers and labels keep working: the flow reads them whatever was rendered.
 */
import { splitText, type OutboundMessage } from '../../src/core/index.js';
import { cut, titlesOf } from './labels.js';

export const MAX_TEXT = 4096;
export const MAX_INTERACTIVE_BODY = 1024;
export const MAX_BUTTONS = 3;
export const MAX_BUTTON_TITLE = 20;
export const MAX_ROWS = 10;
export const MAX_ROW_TITLE = 24;
export const MAX_LIST_BUTTON = 20;
/** Ids of buttons and rows: at most 256 characters. */
const MAX_ID = 256;

export type CloudMessage =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | {
      type: 'interactive';
      interactive:
        | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
        | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: { id: string; title: string }[] }[] } };
    };

/** `listButton`: the translated text of the button that opens a list ("Choose"). */
export function render(message: OutboundMessage, listButton: string): CloudMessage[] {
  const choices = (message.choices ?? []).filter((c) => c.id.length <= MAX_ID).slice(0, MAX_ROWS);
  let parts = splitText(message.text, MAX_TEXT).filter((p) => p.trim() !== '');
  if (choices.length === 0 || parts.length === 0) return parts.map((body) => ({ type: 'text', text: { body } }));
  const last = parts.pop()!;
  const pieces = splitText(last, MAX_INTERACTIVE_BODY).filter((p) => p.trim() !== '');
  parts = [...parts, ...pieces.slice(0, -1)];
  const body = { text: pieces.at(-1)! };
  const out: CloudMessage[] = parts.map((b) => ({ type: 'text', text: { body: b } }));
  if (choices.length <= MAX_BUTTONS) {
    const titles = titlesOf(choices, MAX_BUTTON_TITLE);
    out.push({ type: 'interactive', interactive: { type: 'button', body, action: { buttons: choices.map((c, i) => ({ type: 'reply', reply: { id: c.id, title: titles[i]! } })) } } });
  } else {
    const titles = titlesOf(choices, MAX_ROW_TITLE);
    out.push({
      type: 'interactive',
      interactive: { type: 'list', body, action: { button: cut(listButton, MAX_LIST_BUTTON), sections: [{ rows: choices.map((c, i) => ({ id: c.id, title: titles[i]! })) }] } },
    });
  }
  return out;
}
