/**
 * Maps a platform's language hint (Telegram language_code, Messenger locale, LANG) to a language
 * the bot speaks. Only a hint: the person confirms or changes it.
 */
import type { Locale } from '../domain/records.js';

export function localeFromHint(hint: string | undefined | null): Locale | null {
  if (!hint) return null;
  const tag = hint.toLowerCase().replace('_', '-');
  if (tag.startsWith('ar')) return 'ar';
  // Sorani is `ckb`; Facebook uses cb_IQ; Telegram only knows `ku` (Kurdish), the closest we have.
  if (tag.startsWith('ckb') || tag.startsWith('cb') || tag === 'ku' || tag.startsWith('ku-')) return 'ckb';
  if (tag.startsWith('en')) return 'en';
  return null;
}
