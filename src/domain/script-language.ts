/**
 * The language a person most likely writes in, read from the letters of a message. Used when the
 * platform gives no hint (Messenger never does; Telegram users without language_code; Slack DMs).
 *
 * Sorani is written in an Arabic-based script with letters Arabic does not use (ڕ ڵ ێ ۆ ە and
 * the Kurdish ک/ی forms are shared with Persian, so only the five are decisive); any other Arabic
 * script is taken as Arabic; Latin letters as English. A message with no letters says nothing.
 */
import type { Locale } from './records.js';

const SORANI_ONLY = /[\u0695\u06B5\u06CE\u06C6\u06D5]/u; // ڕ ڵ ێ ۆ ە
const ARABIC_LETTER = /[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F]/u;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/u;

export function languageOfText(text: string): Locale | null {
  if (SORANI_ONLY.test(text)) return 'ckb';
  let arabic = 0;
  let latin = 0;
  for (const ch of text) {
    if (ARABIC_LETTER.test(ch)) arabic++;
    else if (LATIN_LETTER.test(ch)) latin++;
  }
  if (arabic === 0 && latin === 0) return null;
  return arabic >= latin ? 'ar' : 'en';
}
