/**
 * Typed answers to a question with choices: "2", "٢", "۲." pick the second choice, and the words
 * of a button ("Done", "تم") pick that button. A message that is only a small number is never a
 * meaningful name or contribution, so numbers pick choices in every step that shows choices (the
 * console numbers them).
 */
import { normaliseDigits, parseSmallNumber } from '../domain/text.js';
import type { Choice } from './types.js';

function simplify(s: string): string {
  return normaliseDigits(s)
    .normalize('NFC')
    .replace(/\u200c|\u200d|\u2068|\u2069|✓/g, '')
    .replace(/[.!؟?،,]+$/u, '')
    .trim()
    .toLocaleLowerCase();
}

export function matchTypedChoice(text: string, choices: Choice[], opts: { numbers?: boolean } = {}): string | null {
  if (choices.length === 0) return null;
  const n = opts.numbers === false ? null : parseSmallNumber(text);
  if (n !== null && n >= 1 && n <= choices.length) return choices[n - 1]!.id;
  const typed = simplify(text);
  if (typed === '') return null;
  for (const c of choices) {
    const label = simplify(c.label);
    // "2. Rebuilding Iraq" also matches "Rebuilding Iraq".
    if (typed === label || typed === label.replace(/^\d+\.\s*/, '')) return c.id;
  }
  return null;
}
