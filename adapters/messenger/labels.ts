/**
 * Quick-reply and button titles: Messenger cuts them at 20 characters (quick replies) and refuses
 * longer button titles. The flow's plain labels were written to fit (test/locales.test.ts); labels
 * with a parameter may not ("1. التحديات والإنجازات", "کێشانەوەی ICS-7K4QM9", "Same details as
 * before (Layla Hassan)"). For those the renderer sends a shorter label along (Choice.short, with
 * codes already isolated in Arabic and Sorani); cutting at a word with an ellipsis is the last resort.
 */
import type { Choice } from '../../src/core/index.js';

export const MAX_TITLE = 20;
const FSI = '\u2068';
const PDI = '\u2069';
const ELLIPSIS = '…';

/** Cuts at the last space that keeps at least half the title, else mid-word; never splits a pair. */
export function truncateTitle(label: string, max = MAX_TITLE): string {
  if (label.length <= max) return label;
  let cut = label.slice(0, max - ELLIPSIS.length);
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An isolate opened but not closed would leave the rest of the title in the wrong direction.
  const open = cut.lastIndexOf(FSI);
  if (open > cut.lastIndexOf(PDI)) cut = cut.slice(0, open);
  return cut.trimEnd() + ELLIPSIS;
}

/** A title that fits: the label, else the renderer's shorter label, cut only if still too long. */
export function titleOf(choice: Choice): string {
  if (choice.label.length <= MAX_TITLE) return choice.label;
  return truncateTitle(choice.short ?? choice.label);
}

/**
 * The titles of one message's choices. When one of them needs its short label, every choice that
 * has one uses it, so a list of topics reads alike ("التحديات والإنجازات", "إعادة بناء العراق"…)
 * rather than one short title among numbered full ones.
 */
export function titlesOf(choices: Choice[]): string[] {
  const shortened = choices.some((c) => c.label.length > MAX_TITLE && c.short !== undefined);
  return choices.map((c) => (shortened && c.short !== undefined ? truncateTitle(c.short) : titleOf(c)));
}
