/**
 * Cleaning what people type before it is kept or parsed.
 */

// Bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069) can make a stored text
// display reversed or hide part of it; they are stripped from everything stored.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0/C1 control characters other than tab and newline: never meaningful in a contribution.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const OTHER_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Zero-width space, word joiner and BOM carry nothing. ZWNJ and ZWJ (U+200C/D) are kept: Sorani
// and Persian spelling needs them.
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;

export interface CleanText {
  text: string;
  /** Whether anything was removed (the bot says so). */
  removedControls: boolean;
}

export function cleanText(input: string): CleanText {
  const normalised = input.replace(/\r\n?/g, '\n').normalize('NFC');
  const text = normalised.replace(BIDI_CONTROLS, '').replace(OTHER_CONTROLS, '').replace(INVISIBLE, '');
  // A message of nothing but spaces and joiners is empty.
  const visible = /[^\s\u200C\u200D]/.test(text);
  return { text: visible ? text.trim() : '', removedControls: text.length !== normalised.length };
}

/** Eastern Arabic (٠–٩) and Persian (۰–۹) digits to Latin, so "٢" chooses topic 2. */
export function normaliseDigits(s: string): string {
  return s
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** A whole-number answer like "2", "٢" or " ۲. ", or null. */
export function parseSmallNumber(s: string): number | null {
  const m = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(normaliseDigits(s));
  return m ? Number(m[1]) : null;
}

// Deliberately simple: one @, no spaces, a dot in the domain, a sane length. The address is
// optional and only used to reach the person, so a stricter RFC 5322 check would only reject
// real addresses.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmail(s: string): boolean {
  return s.length <= 254 && EMAIL.test(s);
}
