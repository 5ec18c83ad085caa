/**
 * Language names as people type them at the language step: in any of the three languages, with
 * or without the article, in either Kurdish spelling.
 */
import type { Locale } from './records.js';
import { foldForMatching } from './match-text.js';

const NAMES: Record<Locale, string[]> = {
  en: ['english', 'inglizi', 'انگلیزی', 'انجليزي', 'الانجليزية', 'الإنجليزية', 'الانكليزية', 'انكليزي', 'إنكليزي', 'ئینگلیزی', 'ئینگلیزى', 'en'],
  ar: ['arabic', 'arabi', 'عربي', 'عربى', 'العربية', 'العربيه', 'عربية', 'عەرەبی', 'عەرەبى', 'ar'],
  ckb: ['kurdish', 'kurdi', 'sorani', 'kurdi sorani', 'کوردی', 'كوردي', 'كردي', 'الكردية', 'الكوردية', 'سۆرانی', 'سورانی', 'سوراني', 'کوردی سۆرانی', 'کوردیی سۆرانی', 'ckb'],
};

const FOLDED = Object.entries(NAMES).map(([l, names]) => [l as Locale, new Set(names.map(foldForMatching))] as const);

/** The language a typed name means ("کوردی", "العربية", "English"…), or null. */
export function languageFromName(text: string): Locale | null {
  const typed = foldForMatching(text).replace(/^(language|zman|زمان|اللغه|لغه)\s+/, '');
  for (const [locale, names] of FOLDED) if (names.has(typed)) return locale;
  return null;
}
