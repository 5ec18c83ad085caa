/**
 * Which of the nine questions about the call a message asks, if it clearly asks one.
 *
 * Two readers, chosen on the evaluation corpus (npm run eval:understanding): the character
 * n-gram classifier (classifier.ts), trained on locales/<lng>/understanding.txt, finds the
 * question in dialect and misspelt phrasings; the stem patterns of src/domain/faq.ts back it
 * where it hesitates between two questions. Before either is asked, the message has to look like
 * a question someone puts to the bot, because a contribution is full of the same words ("the
 * deadline for the electoral law…", «من يقرأ تقارير المنظمات…»):
 * - short: a long paragraph is never a question to the bot, whatever it holds;
 * - in question form: a question mark, a question word (in Arabic script anywhere in the
 *   sentence: Sorani puts «کەیە», «چەندە» last), or, outside the text step, a bare phrase of a
 *   few words ("deadline", «عدد الكلمات»);
 * - and the classifier must not take it for contribution text (its `none` kind).
 * Greetings and polite words in front are taken off first, and of several sentences the one
 * with the question mark is read («مرحباً، أودّ المشاركة… هل يمكنني الكتابة بالعربية؟»).
 */
import { matchFaqScored, type FaqTopic } from '../domain/faq.js';
import { foldedWords, foldForMatching } from '../domain/match-text.js';
import { NaiveBayes } from './classifier.js';
import { readExamples, type ExampleLabel } from './examples.js';
import { QUESTION_OPENERS_LATIN, QUESTION_WORDS_ARABIC_SCRIPT } from './lexicon.js';
import { socialAct, withoutOpeners } from './social.js';

export interface QuestionReading {
  topic: FaqTopic;
  confidence: number;
}

/** How sure the classifier must be (tuned on the examples, checked on the corpus). */
export const THRESHOLD = 0.6;
/** A whole message longer than this is text, never a question to the bot. */
export const MAX_WORDS = { anywhere: 32, textStep: 20 };
/** A question sentence longer than this is text. */
const MAX_SENTENCE_WORDS = 22;
/** Words after the question that make it rhetorical (a short "thanks!" after it does not). */
const MAX_WORDS_AFTER_QUESTION = 3;
/** Without question form, a bare phrase of at most this many words may still be a question (not at the text step). */
const MAX_BARE_WORDS = 4;

// Arabic-script words that are questions only as the first word: «من» is also "from", «ما» "not".
const FIRST_ONLY = new Set(['ما', 'من', 'اي', 'يمكن', 'يمكنني', 'استطيع', 'لغاية', 'لحد', 'باي', 'بيش', 'دەبێت', 'ئەبێ', 'أي', 'أستطيع'].map(foldForMatching));
const ANYWHERE = new Set(QUESTION_WORDS_ARABIC_SCRIPT.filter((w) => !FIRST_ONLY.has(w)));
const OPENERS = QUESTION_OPENERS_LATIN.map((p) => p.split(' '));
const ARABIC_FIRST = new Set(QUESTION_WORDS_ARABIC_SCRIPT);

let model: NaiveBayes<ExampleLabel> | null = null;

/** A classifier trained from every language's examples (one model: people ask in any language). */
export function trainQuestionModel(): NaiveBayes<ExampleLabel> {
  const m = new NaiveBayes<ExampleLabel>();
  for (const examples of Object.values(readExamples())) for (const [label, lines] of examples) for (const line of lines) m.add(label, line);
  return m;
}

/** The classifier, trained on first use and kept. */
export function questionModel(): NaiveBayes<ExampleLabel> {
  return (model ??= trainQuestionModel());
}

/** The sentence that carries the question: the last one ending in a question mark, else the whole. */
function questionSentence(text: string): { sentence: string; marked: boolean; after: number } {
  // "??" or "?!" ends one sentence, not two: a piece without a letter is no sentence.
  const sentences = text.split(/(?<=[.!?؟\n…])\s*/u).map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const last = sentences.findLastIndex((s) => /[?؟]\s*$/u.test(s));
  if (last < 0) return { sentence: text, marked: false, after: 0 };
  // Thanks or a greeting after the question ("…? Thank you!") is no statement of the writer's.
  const rest = sentences.slice(last + 1).filter((s) => socialAct(s) === null);
  const after = rest.reduce((n, s) => n + foldedWords(s).length, 0);
  return { sentence: sentences[last]!, marked: true, after };
}

function inQuestionForm(words: string[], marked: boolean, statement: boolean): boolean {
  if (marked) return true;
  if (words.length === 0) return false;
  if (OPENERS.some((p) => p.every((w, i) => words[i] === w))) return true;
  if (ARABIC_FIRST.has(words[0]!)) return true;
  // A question word inside a sentence closed by a full stop is a clause of a statement: «کەس
  // نازانێت کەی قەیرانەکە کۆتایی دێت.» ("nobody knows when the crisis ends.").
  return !statement && words.some((w) => ANYWHERE.has(w));
}

export interface QuestionOptions {
  /**
   * A step that expects text (the contribution, a name, a country): only a clear, short question
   * is a question there; anything else is the text asked for.
   */
  textStep?: boolean;
}

export function readQuestion(text: string, opts: QuestionOptions = {}): QuestionReading | null {
  const all = foldedWords(text);
  if (all.length === 0 || all.length > (opts.textStep ? MAX_WORDS.textStep : MAX_WORDS.anywhere)) return null;
  const { sentence, marked, after } = questionSentence(text);
  // A question followed by a statement of its own is the writer's, not a question to the bot:
  // "How many words does it take to explain the loss of a city? Mosul lost its old town…".
  if (after >= (opts.textStep ? 2 : MAX_WORDS_AFTER_QUESTION)) return null;
  const words = withoutOpeners(foldedWords(sentence));
  if (words.length === 0 || words.length > MAX_SENTENCE_WORDS) return null;
  const formed = inQuestionForm(words, marked, /[.!…]\s*$/u.test(sentence));
  if (!formed && (opts.textStep || words.length > MAX_BARE_WORDS)) return null;
  const body = words.join(' ');
  const p = questionModel().predict(body);
  if (!p || p.label === 'none') return null;
  const pattern = matchFaqScored(body);
  // A bare phrase ("deadline", «عدد الكلمات») is a question only when a stem pattern names it too:
  // a name ("Hama") or a wish ("أريد إرسال مساهمة") is not one.
  if (!formed) return pattern && (pattern.key === p.label || pattern.key === p.second) ? { topic: pattern.key, confidence: p.confidence } : null;
  // A phrase of two stems or more ("how … submit", «عدد … الكلمات») names its question more surely
  // than the classifier's runner-up: it decides between the classifier's two.
  if (pattern && pattern.score >= 2 && p.second === pattern.key && p.label !== pattern.key) return { topic: pattern.key, confidence: p.confidence };
  if (p.confidence >= THRESHOLD) return { topic: p.label, confidence: p.confidence };
  // The classifier hesitates, and a stem pattern names one of its two.
  if (pattern && (p.label === pattern.key || p.second === pattern.key)) return { topic: pattern.key, confidence: p.confidence };
  return null;
}
