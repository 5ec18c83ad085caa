/**
 * Folding typed text for matching words and phrases (FAQ questions, language names). People type
 * the same word many ways: with or without hamza, Persian or Arabic ی/ي and ک/ك, Sorani ە or
 * Arabic ه, with diacritics or tatweel; all fold to one form here. Only for matching: nothing
 * folded is ever stored or shown.
 */
import { normaliseDigits } from './text.js';

const FOLDS: [RegExp, string][] = [
  [/[\u064B-\u065F\u0670\u06D6-\u06ED]/g, ''], // harakat, superscript alef, Quranic marks
  [/\u0640/g, ''], // tatweel
  [/[\u0622\u0623\u0625\u0671]/g, '\u0627'], // آ أ إ ٱ → ا
  [/\u0624/g, '\u0648'], // ؤ → و
  [/[\u0626\u0649\u06CC\u064A]/g, '\u064A'], // ئ ى ی ي → ي
  [/[\u06A9\u0643]/g, '\u0643'], // ک ك → ك
  [/[\u06D5\u0629\u06BE\u06C1]/g, '\u0647'], // ە ة ھ ہ → ه
  [/[\u200C\u200D]/g, ''], // joiners
];

export function foldForMatching(text: string): string {
  let s = normaliseDigits(text).normalize('NFC').toLocaleLowerCase('en');
  for (const [re, to] of FOLDS) s = s.replace(re, to);
  // Punctuation of every script becomes a space; words stay.
  return s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The folded words of a text. */
export function foldedWords(text: string): string[] {
  const f = foldForMatching(text);
  return f === '' ? [] : f.split(' ');
}

/**
 * Whether a folded text contains a folded stem: short stems (≤ 3 letters, like "كم" or "how")
 * must be a whole word; longer ones may begin a word in Latin script ("submit" in "submitting")
 * or sit anywhere in Arabic script, where clitics join words ("بالعربية" holds "عربي").
 */
export function hasStem(words: string[], folded: string, stem: string): boolean {
  if (stem.includes(' ')) return ` ${folded} `.includes(` ${stem} `) || (!/[a-z]/.test(stem) && folded.includes(stem));
  // A three-letter Arabic-script stem may carry one vowel suffix: Sorani joins the ezafe ی and
  // the ە of definiteness to the word ("دوا ڕۆژی" for "the last day"), folded here to ي and ه.
  if ([...stem].length === 3 && !/[a-z]/.test(stem)) return words.some((w) => w === stem || w === `${stem}\u064A` || w === `${stem}\u0647`);
  if ([...stem].length <= 3) return words.includes(stem);
  if (/[a-z]/.test(stem)) return words.some((w) => w.startsWith(stem));
  return folded.includes(stem);
}

/** Folded patterns by key: a pattern matches when the text holds all its stems (hasStem). */
export type PatternTable<K extends string> = [K, string[][]][];

/** Folds a table of patterns once, for matching many messages against it. */
export function foldPatterns<K extends string>(keys: readonly K[], patterns: Record<K, string[][]>): PatternTable<K> {
  return keys.map((k) => [k, patterns[k].map((p) => p.map(foldForMatching))]);
}

/**
 * Each key with at least one matching pattern, scored by its best matching pattern (`score`
 * says how specific a pattern is), in the table's order. The caller picks among them.
 */
export function matchedKeys<K extends string>(text: string, table: PatternTable<K>, score: (pattern: string[]) => number): { key: K; score: number }[] {
  const folded = foldForMatching(text);
  const words = foldedWords(text);
  if (words.length === 0) return [];
  return table.flatMap(([key, patterns]) => {
    const best = Math.max(0, ...patterns.filter((p) => p.every((stem) => hasStem(words, folded, stem))).map(score));
    return best > 0 ? [{ key, score: best }] : [];
  });
}

/** A message with at least one letter or digit (not only emoji, symbols or punctuation). */
export function hasWordCharacter(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
