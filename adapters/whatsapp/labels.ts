/**
 * Button and list-row titles. WhatsApp refuses (error 131009) reply-button titles over 20
 * characters or repeated in one message, and list-row titles over 24. The flow's labels with a
 * parameter may be longer ("1. التحديات والإنجازات"): the renderer's shorter label (Choice.short)
 * is used then, and cutting at a word with an ellipsis is the last resort.
 */
import type { Choice } from '../../src/core/index.js';

const FSI = '\u2068';
const PDI = '\u2069';
const ELLIPSIS = '…';

/** Cuts at the last space that keeps at least half the title, else mid-word; never splits a pair. */
export function cut(label: string, max: number): string {
  if (label.length <= max) return label;
  let s = label.slice(0, max - ELLIPSIS.length);
  const space = s.lastIndexOf(' ');
  if (space >= max / 2) s = s.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1);
  // An isolate opened but not closed would turn the rest of the title around.
  const open = s.lastIndexOf(FSI);
  if (open > s.lastIndexOf(PDI)) s = s.slice(0, open);
  return s.trimEnd() + ELLIPSIS;
}

/**
 * The titles of one message's choices, each at most `max`, all different. When one needs its
 * short label, every choice that has one uses it, so a list reads alike.
 */
export function titlesOf(choices: Choice[], max: number): string[] {
  const shortened = choices.some((c) => c.label.length > max && c.short !== undefined);
  const titles = choices.map((c) => cut(shortened && c.short !== undefined ? c.short : c.label, max));
  // Two titles cut to the same words would be refused: number the later ones.
  const seen = new Set<string>();
  return titles.map((t, i) => {
    let title = t;
    if (seen.has(title)) title = cut(`${i + 1}. ${t}`, max);
    seen.add(title);
    return title;
  });
}
