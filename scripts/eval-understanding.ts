/**
 * npm run eval:understanding — how well typed messages are understood, on the evaluation corpus
 * (test/corpus/understanding/<lng>.json), which is kept apart from the examples the classifier
 * learns from (locales/<lng>/understanding.txt). Prints, per language and per kind of question,
 * precision and recall; the share answered right; the false answers on contribution-like
 * sentences; what happens at the text step; greetings, thanks, "ok", yes and no. The same
 * figures for the matcher the bot used before (src/domain/faq.ts) come first, as "before".
 */
import { readFileSync } from 'node:fs';
import { FAQ_TOPICS, isShortQuestion, matchFaq, type FaqTopic } from '../src/domain/faq.js';
import { LOCALES, type Locale } from '../src/domain/records.js';
import { readQuestion, understand } from '../src/understanding/index.js';
import { trainQuestionModel } from '../src/understanding/question.js';

interface Corpus {
  questions: Record<FaqTopic, string[]>;
  social: Record<'greeting' | 'thanks' | 'ok', string[]>;
  yesno: Record<'yes' | 'no', string[]>;
  negatives: string[];
  textStep: { questions: string[]; text: string[] };
}

type Reader = { name: string; anywhere: (t: string) => FaqTopic | null; textStep: (t: string) => FaqTopic | null };

const READERS: Reader[] = [
  { name: 'before (src/domain/faq.ts)', anywhere: (t) => matchFaq(t), textStep: (t) => (isShortQuestion(t) ? matchFaq(t) : null) },
  { name: 'after (src/understanding)', anywhere: (t) => readQuestion(t)?.topic ?? null, textStep: (t) => readQuestion(t, { textStep: true })?.topic ?? null },
];

const pct = (n: number, d: number) => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function corpus(lng: Locale): Corpus {
  return JSON.parse(readFileSync(new URL(`../test/corpus/understanding/${lng}.json`, import.meta.url), 'utf8')) as Corpus;
}

const CONSENT = [{ id: 'consent:yes', labels: ['I agree'] }, { id: 'consent:no', labels: ['I do not agree'] }];

const totals = new Map<string, { right: number; asked: number; falseAnswers: number; negatives: number; textAnswered: number; textAsked: number; textAdded: number; textKept: number }>();

for (const reader of READERS) {
  console.log(`\n=== ${reader.name} ===`);
  const t = { right: 0, asked: 0, falseAnswers: 0, negatives: 0, textAnswered: 0, textAsked: 0, textAdded: 0, textKept: 0 };
  for (const lng of LOCALES) {
    const c = corpus(lng);
    const predicted = new Map<FaqTopic, number>();
    const correct = new Map<FaqTopic, number>();
    const misses: string[] = [];
    for (const topic of FAQ_TOPICS) {
      for (const q of c.questions[topic]) {
        const got = reader.anywhere(q);
        if (got) predicted.set(got, (predicted.get(got) ?? 0) + 1);
        if (got === topic) correct.set(topic, (correct.get(topic) ?? 0) + 1);
        else misses.push(`${topic} ← ${got ?? '—'}: ${q}`);
      }
    }
    // Negatives count as predictions too: a false answer lowers its kind's precision.
    const falseAnswers = c.negatives.filter((s) => {
      const got = reader.anywhere(s);
      if (got) predicted.set(got, (predicted.get(got) ?? 0) + 1);
      return got !== null;
    });
    const asked = FAQ_TOPICS.reduce((n, k) => n + c.questions[k].length, 0);
    const right = FAQ_TOPICS.reduce((n, k) => n + (correct.get(k) ?? 0), 0);
    console.log(`\n[${lng}] answered right ${right}/${asked} (${pct(right, asked).trim()}), false answers on contribution-like sentences ${falseAnswers.length}/${c.negatives.length} (${pct(falseAnswers.length, c.negatives.length).trim()})`);
    console.log('  kind       precision  recall');
    for (const k of FAQ_TOPICS) console.log(`  ${k.padEnd(10)} ${pct(correct.get(k) ?? 0, predicted.get(k) ?? 0)}    ${pct(correct.get(k) ?? 0, c.questions[k].length)}`);
    const textAnswered = c.textStep.questions.filter((q) => reader.textStep(q) !== null).length;
    const textKept = c.textStep.text.filter((s) => reader.textStep(s) === null).length;
    console.log(`  text step: questions answered (not added) ${textAnswered}/${c.textStep.questions.length}; text kept as text ${textKept}/${c.textStep.text.length}`);
    if (process.argv.includes('--misses')) {
      const textMisses = [...c.textStep.questions.filter((q) => reader.textStep(q) === null).map((q) => `TEXT STEP, ADDED: ${q}`),
        ...c.textStep.text.filter((s) => reader.textStep(s) !== null).map((s) => `TEXT STEP, ANSWERED: ${s}`)];
      for (const m of [...misses, ...falseAnswers.map((s) => `FALSE ANSWER: ${s}`), ...textMisses]) console.log(`    ${m}`);
    }
    t.right += right;
    t.asked += asked;
    t.falseAnswers += falseAnswers.length;
    t.negatives += c.negatives.length;
    t.textAnswered += textAnswered;
    t.textAsked += c.textStep.questions.length;
    t.textKept += textKept;
    t.textAdded += c.textStep.text.length;
  }
  totals.set(reader.name, t);
}

console.log('\n=== greetings, thanks, ok, yes and no (after; before: none of them understood) ===');
for (const lng of LOCALES) {
  const c = corpus(lng);
  const parts: string[] = [];
  for (const act of ['greeting', 'thanks', 'ok'] as const) {
    const ok = c.social[act].filter((s) => { const u = understand(s, { choices: [], numbers: true }); return u.kind === 'social' && u.act === act; }).length;
    parts.push(`${act} ${ok}/${c.social[act].length}`);
  }
  for (const said of ['yes', 'no'] as const) {
    const ok = c.yesno[said].filter((s) => { const u = understand(s, { choices: CONSENT, numbers: true, okIsYes: true }); return u.kind === 'choice' && u.id === `consent:${said}`; }).length;
    parts.push(`${said} ${ok}/${c.yesno[said].length}`);
  }
  console.log(`  [${lng}] ${parts.join(', ')}`);
}

// What the classifier costs: training once (at the first message) and reading a message.
const t0 = performance.now();
const model = trainQuestionModel();
const trained = performance.now() - t0;
const sample = LOCALES.flatMap((l) => Object.values(corpus(l).questions).flat());
const t1 = performance.now();
for (let i = 0; i < 5; i++) for (const q of sample) readQuestion(q);
const perMessage = ((performance.now() - t1) * 1000) / (5 * sample.length);
console.log(`\n=== cost ===\n  trained in ${trained.toFixed(0)} ms (${model.vocabularySize} features, examples of ${LOCALES.length} languages); ${perMessage.toFixed(0)} µs per message read`);

console.log('\n=== all languages ===');
for (const [name, t] of totals) {
  console.log(`  ${name}: answered right ${t.right}/${t.asked} (${pct(t.right, t.asked).trim()}); false answers ${t.falseAnswers}/${t.negatives} (${pct(t.falseAnswers, t.negatives).trim()}); text step: answered ${t.textAnswered}/${t.textAsked}, text kept ${t.textKept}/${t.textAdded}`);
}
