/**
 * An OutboundMessage → the sendMessage calls that show it: text split under Telegram's limit at
 * word boundaries, choices as an inline keyboard under the last part.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { PlatformError, splitText, type Choice, type OutboundMessage } from '../../src/core/index.js';

/** sendMessage text: 1–4096 characters (UTF-16 code units, what splitText counts). */
export const MAX_MESSAGE_CHARS = 4096;
/** callback_data: 1–64 bytes of UTF-8 — an Arabic label would not fit, hence short ASCII ids. */
export const MAX_CALLBACK_BYTES = 64;
/** Two buttons share a row only when both labels are this short (they stay readable on a phone). */
const SHORT_LABEL = 16;

export interface SendPayload {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

function button(c: Choice): InlineKeyboardButton.CallbackButton {
  const bytes = Buffer.byteLength(c.id, 'utf8');
  if (bytes < 1 || bytes > MAX_CALLBACK_BYTES) {
    // A flow bug, not the person's: Telegram would refuse the whole message (BUTTON_DATA_INVALID).
    throw new PlatformError('PLATFORM_REFUSED', 'telegram', `choice id of ${bytes} bytes does not fit callback_data (1–${MAX_CALLBACK_BYTES})`, {
      refusal: 'message',
      reason: 'telegram:callback-data',
    });
  }
  return { text: c.label, callback_data: c.id };
}

/** One button per row; two on a row when both are short (Yes / No, Skip / Menu). */
export function keyboard(choices: Choice[]): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < choices.length; i++) {
    const a = choices[i]!;
    const b = choices[i + 1];
    if (b && [...a.label].length <= SHORT_LABEL && [...b.label].length <= SHORT_LABEL) {
      rows.push([button(a), button(b)]);
      i++;
    } else rows.push([button(a)]);
  }
  return { inline_keyboard: rows };
}

/**
 * The text arrives translated and, in Arabic and Sorani, with codes, e-mails and links already
 * wrapped in FSI…PDI by the core: it is sent as it is (no parse_mode, so nothing needs escaping).
 */
export function render(message: OutboundMessage): SendPayload[] {
  // Telegram refuses an empty text ("message text is empty"); there is nothing to show anyway.
  const parts = splitText(message.text, MAX_MESSAGE_CHARS).filter((p) => p.trim() !== '');
  const payloads: SendPayload[] = parts.map((text) => ({ text }));
  if (message.choices && message.choices.length > 0 && payloads.length > 0) {
    // The buttons go under the last part, next to the question they answer.
    payloads[payloads.length - 1]!.reply_markup = keyboard(message.choices);
  }
  return payloads;
}
