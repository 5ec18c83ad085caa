/**
 * Whole-message readings of the closed word sets (lexicon.ts): a greeting, thanks or "ok"; yes or
 * no; and the polite words in front of a question, taken off before it is read.
 */
import { foldedWords } from '../domain/match-text.js';
import { FILLERS, NO, SOCIAL, YES, type SocialAct } from './lexicon.js';

type Phrases = string[][];
const split = (list: string[]): Phrases => list.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

const SOCIAL_PHRASES: [SocialAct, Phrases][] = (Object.keys(SOCIAL) as SocialAct[]).map((act) => [act, split(SOCIAL[act])]);
const YES_PHRASES = split(YES);
const NO_PHRASES = split(NO);
const FILLER_PHRASES = split(FILLERS);

/** The length of the longest phrase that starts `words` at `at`, or 0. */
function phraseAt(words: string[], at: number, phrases: Phrases): number {
  for (const p of phrases) if (p.every((w, i) => words[at + i] === w)) return p.length;
  return 0;
}

const EMOJI_ONLY: [RegExp, SocialAct][] = [
  // Hearts come with or without the emoji variation selector (U+FE0F).
  [/^(?:\s|🙏|❤|♥|💐|🌹|\uFE0F)+$/u, 'thanks'],
  [/^[\s👍👌✅🆗]+$/u, 'ok'],
  [/^[\s👋]+$/u, 'greeting'],
];

/**
 * A message made only of greetings, thanks and "ok" words ("hi", «السلام عليكم», "ok thanks",
 * «سڵاو، چۆنی»): what it is, thanks first (it answers what came before), then a greeting.
 */
export function socialAct(text: string): SocialAct | null {
  for (const [re, act] of EMOJI_ONLY) if (re.test(text)) return act;
  const words = foldedWords(text);
  if (words.length === 0 || words.length > 8) return null;
  const acts = segment(words, 0);
  if (!acts) return null;
  if (acts.has('thanks')) return 'thanks';
  if (acts.has('greeting')) return 'greeting';
  return acts.has('ok') ? 'ok' : null;
}

/**
 * The acts of words[at…] when they are all greetings, thanks, "ok", fillers ("dear team") or a
 * lone "and" between them, else null. Every phrase that fits is tried ("زۆر سوپاس" then
 * "بۆ تۆ" fails where "زۆر" + "سوپاس بۆ تۆ" does not); messages are at most 8 words.
 */
function segment(words: string[], at: number): Set<SocialAct> | null {
  if (at === words.length) return new Set();
  const tries: [SocialAct | null, number][] = [];
  for (const [act, phrases] of SOCIAL_PHRASES) for (const p of phrases) if (p.every((w, i) => words[at + i] === w)) tries.push([act, p.length]);
  for (const p of FILLER_PHRASES) if (p.every((w, i) => words[at + i] === w)) tries.push([null, p.length]);
  if (['and', 'و', 'زور', 'زۆر'].includes(words[at]!)) tries.push([null, 1]);
  for (const [act, n] of tries) {
    const rest = segment(words, at + n);
    if (rest) return act ? rest.add(act) : rest;
  }
  return null;
}

/**
 * The text with the greetings and polite words in front taken off ("Hello, is my text kept
 * private?" → "is my text kept private?"), as folded words, and whether anything was taken.
 */
export function withoutOpeners(words: string[]): string[] {
  let i = 0;
  for (;;) {
    const n = Math.max(...SOCIAL_PHRASES.map(([, p]) => phraseAt(words, i, p)), phraseAt(words, i, FILLER_PHRASES));
    if (n === 0 || i + n >= words.length) return words.slice(i);
    i += n;
  }
}

const OK_PHRASES = split(SOCIAL.ok);
const GREETING_PHRASES = split(SOCIAL.greeting);

/**
 * The length of an "ok" that agrees to the terms, or 0. Only an "ok" meant as one: alone or with
 * thanks, more "ok" words or a yes after it ("ok thanks", "ok I agree") — not the first word of a
 * greeting ("good morning to everyone" is no agreement) nor of a sentence ("fine, but who reads it").
 */
function okAsYes(words: string[]): number {
  const ok = phraseAt(words, 0, OK_PHRASES);
  if (ok === 0 || phraseAt(words, 0, GREETING_PHRASES) >= ok) return 0;
  const rest = words.slice(ok);
  if (rest.length === 0 || phraseAt(rest, 0, YES_PHRASES) > 0) return ok;
  const acts = segment(rest, 0);
  return acts && !acts.has('greeting') ? words.length : 0;
}

/**
 * Yes or no, typed: the message starts with a yes or no phrase and has at most a few words more
 * ("yes please", "I agree to the terms", «نعم أوافق», «بەڵێ ڕازیم»). `okIsYes`: at the terms,
 * "ok" and «تمام» agree too; at a destructive confirmation they do not.
 */
export function yesOrNo(text: string, okIsYes: boolean): 'yes' | 'no' | null {
  const words = foldedWords(text);
  if (words.length === 0 || words.length > 8) return null;
  const yes = phraseAt(words, 0, YES_PHRASES) || (okIsYes ? okAsYes(words) : 0);
  const no = phraseAt(words, 0, NO_PHRASES);
  // The longer reading wins: "no" in "no thanks" and "لا" in «لا أوافق» are no; «ما» is not yes.
  const rest = words.length - Math.max(yes, no);
  if (rest > 5) return null;
  if (no > yes) return 'no';
  return yes > 0 ? 'yes' : null;
}
