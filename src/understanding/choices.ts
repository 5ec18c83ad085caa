/**
 * A choice on screen, typed: its number in any digits ("2", "٢", "۲."), its label in any of the
 * three languages (folded, so hamza forms and ک/ك do not matter, one slip of a letter forgiven in
 * a long label), or a button's visible text that carries both ("2 · Rebuilding Iraq", sent by
 * Messenger with a payload the bot no longer knows).
 */
import { foldForMatching } from '../domain/match-text.js';
import { normaliseDigits, parseSmallNumber } from '../domain/text.js';

export interface ShownChoice {
  id: string;
  /** Its labels as shown in each language, and any shorter label a small button shows. */
  labels: string[];
}

/** A label as compared: folded, without the check mark of a preselected choice or a leading number. */
function simplified(label: string): string {
  return foldForMatching(label.replace(/[✓✔]/g, '')).replace(/^\d+\s+/, '');
}

/** Levenshtein distance, capped: enough to forgive one or two slips in a long label. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > cap) return cap + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** The choice whose label the text is, or null (two choices equally close name neither). */
export function choiceByLabel(text: string, choices: ShownChoice[]): string | null {
  const typed = simplified(text);
  if (typed === '') return null;
  const exact = choices.filter((c) => c.labels.some((l) => simplified(l) === typed));
  if (exact.length > 0) return exact.length === 1 || exact.every((c) => c.id === exact[0]!.id) ? exact[0]!.id : null;
  // One slip in a label of 6+ letters, two in one of 12+: "Send a contribtion", «ارسال مساهمه».
  const cap = typed.length >= 12 ? 2 : typed.length >= 6 ? 1 : 0;
  if (cap === 0) return null;
  const close = choices.filter((c) => c.labels.some((l) => distance(simplified(l), typed, cap) <= cap));
  return close.length === 1 ? close[0]!.id : null;
}

/** A bare number ("2", "٢", "۲.") in the range of the choices: its index (1-based), else null. */
export function choiceNumber(text: string, count: number): number | null {
  const n = parseSmallNumber(text);
  return n !== null && n >= 1 && n <= count ? n : null;
}

/** A number alone, without the dot or bracket of a heading ("2", not "2." or "2)"). */
export function isBareNumber(text: string): boolean {
  return /^\s*\d{1,3}\s*$/.test(normaliseDigits(text));
}

/**
 * A button's visible text with a number in front ("2 · Rebuilding Iraq", "٣) Justice"): the
 * choice whose title follows, or else the number's choice. Only for a button's own text, where a
 * number in front is the button's number, never for typed words ("2 people came").
 */
export function choiceFromButtonText(text: string, choices: ShownChoice[]): string | null {
  const byLabel = choiceByLabel(text, choices);
  if (byLabel) return byLabel;
  const m = /^\s*(\d{1,3})\s*[.)·:\-–—|]?\s*(.*)$/su.exec(normaliseDigits(text));
  if (!m) return null;
  const titled = m[2] ? choiceByLabel(m[2], choices) : null;
  if (titled) return titled;
  const n = Number(m[1]);
  return n >= 1 && n <= choices.length ? choices[n - 1]!.id : null;
}
