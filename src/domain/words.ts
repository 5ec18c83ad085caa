/**
 * Word counting, the one function used wherever words are counted.
 * Intl.Segmenter knows Arabic and Sorani word boundaries (a ZWNJ inside a Sorani word does not
 * split it); only segments it marks isWordLike are words, so punctuation and spaces never count.
 */
import { hash, randomBytes } from 'node:crypto';

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(locale: string): Intl.Segmenter {
  let seg = segmenters.get(locale);
  if (!seg) {
    seg = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, seg);
  }
  return seg;
}

export function countWords(text: string, locale = 'en'): number {
  let n = 0;
  for (const s of segmenterFor(locale).segment(text)) if (s.isWordLike) n++;
  return n;
}

// The latest parts counted, per locale and text: a draft is recounted after every message. Keyed
// by a salted hash of the text, never the text itself: a participant's draft must not stay in memory
// after they erased their data. The salt is random per process, so no key can be matched against a
// guessed text from outside it either.
const counted = new Map<string, number>();
const MAX_COUNTED = 1000;
const salt = randomBytes(24).toString('base64');

/** countWords, remembered for the last thousand texts (same result, counted once). */
export function countWordsOnce(text: string, locale = 'en'): number {
  // One-shot hash of the salted text: half the cost of an HMAC, a twentieth of counting again.
  const key = hash('sha256', `${salt}${locale}\u0000${text}`, 'base64');
  let n = counted.get(key);
  if (n === undefined) {
    n = countWords(text, locale);
    counted.set(key, n);
    if (counted.size > MAX_COUNTED) counted.delete(counted.keys().next().value!);
  }
  return n;
}

export interface WordRange {
  min: number;
  max: number;
  /** The length the call asks for ("about 250 words"). */
  target: number;
}

export type WordVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; problem: 'too-short' | 'too-long'; by: number };

/** Whether a count fits the call's range and, if not, by how much it misses. */
export function judgeWordCount(count: number, range: WordRange): WordVerdict {
  if (count < range.min) return { ok: false, count, problem: 'too-short', by: range.min - count };
  if (count > range.max) return { ok: false, count, problem: 'too-long', by: count - range.max };
  return { ok: true, count };
}
