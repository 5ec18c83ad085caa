/**
 * A small text classifier: multinomial naive Bayes over character n-grams (2 to 4 letters, with
 * word edges marked) and whole words of the folded text. Character n-grams are what copes with
 * dialect spellings, clitics and typos: «شكد كلمة», «كم كلمه» and «عدد الكلمات» share "كلم";
 * "deadlin" and "dedline" share most of their trigrams. Trained in milliseconds from the examples
 * in locales/<lng>/understanding.txt when first needed; nothing is fetched or stored.
 *
 * Naive Bayes multiplies many feature probabilities, so its raw posteriors are nearly always 0 or
 * 1. The confidence given here is the posterior of the per-feature average log-likelihood (a
 * geometric mean), which spreads usefully between 0 and 1 and is what the thresholds are set on.
 */
import { foldForMatching } from '../domain/match-text.js';

export interface Prediction<L extends string> {
  label: L;
  confidence: number;
  /** The runner-up, to see how close the decision was. */
  second: L | null;
}

/** The features of a text: its words and the 2–4-letter pieces of each word with its edges. */
export function features(text: string): string[] {
  const folded = foldForMatching(text).replace(/(\p{L})\1{2,}/gu, '$1$1'); // "helloooo" → "helloo"
  if (folded === '') return [];
  const out: string[] = [];
  for (const word of folded.split(' ')) {
    out.push(`w:${word}`);
    const padded = `<${word}>`;
    const chars = [...padded];
    for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  }
  return out;
}

export class NaiveBayes<L extends string> {
  private readonly counts = new Map<L, Map<string, number>>();
  private readonly totals = new Map<L, number>();
  private readonly vocabulary = new Set<string>();

  constructor(private readonly alpha = 0.3) {}

  add(label: L, text: string): void {
    let m = this.counts.get(label);
    if (!m) this.counts.set(label, (m = new Map()));
    // Every example weighs the same, however long: otherwise the long sentences of `none` would
    // spread that kind's probabilities thin, and a short stray question ("what is this?") would
    // land on whichever kind has the shortest examples.
    const fs = features(text);
    const w = EXAMPLE_WEIGHT / Math.sqrt(fs.length || 1);
    for (const f of fs) {
      m.set(f, (m.get(f) ?? 0) + w);
      this.totals.set(label, (this.totals.get(label) ?? 0) + w);
      this.vocabulary.add(f);
    }
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  get labels(): L[] {
    return [...this.counts.keys()];
  }

  predict(text: string): Prediction<L> | null {
    const fs = features(text).filter((f) => this.vocabulary.has(f));
    if (fs.length === 0 || this.counts.size === 0) return null;
    const v = this.vocabulary.size;
    // Uniform priors: the examples' numbers per label say how much was written, not how often asked.
    const scores = [...this.counts].map(([label, m]) => {
      const denom = Math.log((this.totals.get(label) ?? 0) + this.alpha * v);
      let sum = 0;
      for (const f of fs) sum += Math.log((m.get(f) ?? 0) + this.alpha) - denom;
      return { label, score: sum / fs.length };
    });
    scores.sort((a, b) => b.score - a.score);
    // Softmax of the per-feature means; the temperature spreads them (tuned on the examples).
    const top = scores[0]!.score;
    const z = scores.reduce((n, s) => n + Math.exp((s.score - top) * TEMPERATURE), 0);
    return { label: scores[0]!.label, confidence: 1 / z, second: scores[1]?.label ?? null };
  }
}

const TEMPERATURE = 12;
const EXAMPLE_WEIGHT = 8;
