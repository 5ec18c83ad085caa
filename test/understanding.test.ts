/**
 * The understanding component (src/understanding) on its own: the messages issue 20 measured as
 * misread, the words of greetings, thanks, "ok", yes and no in the three languages and their
 * everyday forms, spelling variants and typos, choices typed by label or by a button's text — and
 * the evaluation corpus kept apart from the examples the classifier learns from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAQ_TOPICS, matchFaq, type FaqTopic } from '../src/domain/faq.js';
import { foldForMatching } from '../src/domain/match-text.js';
import { LOCALES, type Locale } from '../src/domain/records.js';
import { readExamples } from '../src/understanding/examples.js';
import { readQuestion, understand, type ShownChoice } from '../src/understanding/index.js';

const asked = (text: string) => readQuestion(text)?.topic ?? null;
const atTextStep = (text: string) => readQuestion(text, { textStep: true })?.topic ?? null;

describe('questions the bot used to misread (issue 20)', () => {
  const cases: [string, FaqTopic][] = [
    ['how much time do i have left to submit', 'deadline'],
    ['شنو تسوون بمعلوماتي الشخصية؟', 'who'],
    ['هل يمكنني الكتابة باللغة العربية؟', 'language'],
    ['By when do I need to send my contribution?', 'deadline'],
    ['سڵاو، کۆتا ڕۆژی ناردنی وتار کەیە', 'deadline'],
    ['مرحبا، ما هو الحد الأقصى لعدد الكلمات؟', 'words'],
    ['ژمارەی وشەکان چەندە؟', 'words'],
    ['Hello, is my text kept private?', 'who'],
    ['مرحباً، أودّ المشاركة في مؤتمر بغداد. هل يمكنني كتابة مساهمتي باللغة العربية؟', 'language'],
    ['شكد كلمة لازم اكتب؟', 'words'],
  ];
  for (const [text, topic] of cases) {
    it(`"${text}" asks ${topic}`, () => {
      expect(asked(text)).toBe(topic);
    });
  }

  it('were misread by the matcher before (the test can fail)', () => {
    expect(cases.filter(([t, k]) => matchFaq(t) !== k).length).toBeGreaterThanOrEqual(5);
  });

  it('at the text step a clear question is a question, and «شكد كلمة لازم اكتب؟» is not added', () => {
    for (const [text, topic] of cases.filter(([t]) => t.split(/\s+/).length <= 12)) expect(atTextStep(text), text).toBe(topic);
  });
});

describe('sentences of a contribution are not answered', () => {
  const sentences = [
    'The deadline for the new electoral law passed without debate.',
    'Many activists had to file complaints with the courts after the protests in Nasiriyah.',
    'من يقرأ تقارير المنظمات المحلية يدرك حجم المأساة.',
    'How many words does it take to describe the loss of a city? Mosul lost its libraries and markets.',
    'چەند وشە بەسە بۆ باسکردنی ئازاری ئەنفال؟ هیچ وشەیەک ناتوانێت.',
    'شكد لازم نصبر؟ الناس تعبت من نفس الوعود كل سنة.',
  ];
  for (const s of sentences) {
    it(s, () => {
      expect(asked(s)).toBeNull();
      expect(atTextStep(s)).toBeNull();
    });
  }

  it('a long paragraph with FAQ words is text, even with a question in it', () => {
    const paragraph = 'Who reads the reports of local organisations? ' + 'The deadline for reforms passed and the file was closed without any debate in the parliament. '.repeat(3);
    expect(asked(paragraph)).toBeNull();
  });

  it('a name or a place is not a question, and a lone FAQ word is one only outside the text step', () => {
    expect(asked('Hama')).toBeNull();
    expect(asked('deadline')).toBe('deadline');
    expect(atTextStep('deadline')).toBeNull();
  });
});

describe('everyday forms and spelling variants', () => {
  it('Iraqi Arabic question words', () => {
    expect(asked('شلون اشارك بالمؤتمر')).toBe('how');
    expect(asked('وين يصير المؤتمر')).toBe('event');
    expect(asked('اكدر ادز ملف pdf')).toBe('file');
    expect(asked('هسه بعد اكدر اقدم مساهمة؟')).not.toBeNull();
  });

  it('colloquial Sorani', () => {
    expect(asked('ئەتوانم فایل بنێرم؟')).toBe('file');
    expect(asked('کۆنفرانسەکە کەیە')).toBe('event');
    expect(asked('دوا ڕۆژ کەیە')).toBe('deadline');
  });

  it('ى/ي, ة/ه, hamza forms, ک/ك and ی/ي read the same', () => {
    expect(asked('كم كلمه يجب ان اكتب')).toBe(asked('كم كلمة يجب أن أكتب'));
    expect(asked('متى المؤتمر')).toBe('event');
    expect(asked('متي المؤتمر')).toBe('event');
    expect(asked('كۆنفرانسەكە كەیە')).toBe('event');
    expect(asked('کۆنفرانسەکە کەيە')).toBe('event');
  });

  it('typos and no question mark', () => {
    expect(asked('whats the dedline')).toBe('deadline');
    expect(asked('how many wrods shuold i write')).toBe('words');
  });
});

describe('greetings, thanks, ok, yes and no', () => {
  const social = (t: string) => { const u = understand(t, { choices: [], numbers: true }); return u.kind === 'social' ? u.act : null; };
  it('in the three languages', () => {
    for (const g of ['hello', 'Hi there!', 'مرحبا', 'السلام عليكم', 'هلا', 'سڵاو', 'بەیانی باش']) expect(social(g), g).toBe('greeting');
    for (const t of ['thanks', 'Thank you!', 'شكرا', 'مشكور', 'عاشت ايدك', 'سوپاس', 'زۆر سوپاس']) expect(social(t), t).toBe('thanks');
    for (const o of ['ok', 'okay', 'تمام', 'زين', 'باشە', '👍']) expect(social(o), o).toBe('ok');
  });

  const consent: ShownChoice[] = [{ id: 'consent:yes', labels: ['I agree'] }, { id: 'consent:no', labels: ['No, thanks'] }];
  const answer = (t: string, okIsYes = true) => { const u = understand(t, { choices: consent, numbers: true, okIsYes }); return u.kind === 'choice' ? u.id : u.kind; };
  it('yes and no answer a yes/no question; "ok" agrees only to the terms', () => {
    for (const y of ['yes', 'Yes please', 'I agree to the terms', 'نعم', 'موافق', 'أوافق', 'ايوه', 'بەڵێ', 'ڕازیم', 'ok']) expect(answer(y), y).toBe('consent:yes');
    for (const n of ['no', 'nope', 'لا', 'لا أوافق', 'نەخێر', 'ڕازی نیم']) expect(answer(n), n).toBe('consent:no');
    expect(answer('ok', false)).toBe('social');
    // An "ok" word that begins a greeting or a sentence is no agreement.
    for (const y of ['ok thanks', 'ok I agree', 'تمام موافق', 'باشە سوپاس']) expect(answer(y), y).toBe('consent:yes');
    for (const g of ['good morning to everyone', 'good morning', 'fine but who reads it']) expect(answer(g), g).not.toBe('consent:yes');
    expect(answer('No, what is the deadline for the call?')).toBe('question');
  });
});

describe('choices typed', () => {
  const topics: ShownChoice[] = [
    { id: 'topic:1', labels: ['1. Challenges & gains', '1. التحديات والإنجازات', 'Challenges & gains'] },
    { id: 'topic:2', labels: ['2. Rebuilding Iraq', '2. إعادة بناء العراق', '٢. بنیاتنانەوەی عێراق', 'Rebuilding Iraq'] },
    { id: 'topic:3', labels: ['3. Solidarity', '3. التضامن', 'Solidarity'] },
  ];
  const pick = (t: string, fromButton = false) => { const u = understand(t, { choices: topics, numbers: true, fromButton }); return u.kind === 'choice' ? u.id : null; };

  it('by a label in any language, with a slip, by a number in any digits', () => {
    expect(pick('إعادة بناء العراق')).toBe('topic:2');
    expect(pick('اعاده بناء العراق')).toBe('topic:2');
    expect(pick('Rebuilding Irak')).toBe('topic:2');
    expect(pick('۳')).toBe('topic:3');
    expect(pick('٢')).toBe('topic:2');
  });

  it("by a button's visible text with its number (Messenger's TOPIC_2, \"2 · Rebuilding Iraq\")", () => {
    expect(pick('2 · Rebuilding Iraq', true)).toBe('topic:2');
    expect(pick('3 · Something renamed', true)).toBe('topic:3');
    // Typed, a number in front of other words is not a button's number.
    expect(pick('3 · Something renamed')).toBeNull();
  });

  it('at the text step a bare number is asked about, "2." heading a paragraph is text', () => {
    const body: ShownChoice[] = [{ id: 'body:done', labels: ['Done'] }, { id: 'body:undo', labels: ['Remove last message'] }];
    expect(understand('1', { choices: body, numbers: false, textStep: true })).toEqual({ kind: 'number', n: 1, id: 'body:done' });
    expect(understand('2.', { choices: body, numbers: false, textStep: true }).kind).toBe('none');
    expect(understand('Done', { choices: body, numbers: false, textStep: true })).toMatchObject({ kind: 'choice', id: 'body:done' });
  });
});

describe('the evaluation corpus (test/corpus/understanding) is apart from the examples (locales/<lng>/understanding.txt)', () => {
  interface Corpus { questions: Record<FaqTopic, string[]>; negatives: string[]; textStep: { questions: string[]; text: string[] } }
  const corpus = (l: Locale) => JSON.parse(readFileSync(new URL(`./corpus/understanding/${l}.json`, import.meta.url), 'utf8')) as Corpus;
  const examples = readExamples();

  it('no sentence is in both', () => {
    for (const l of LOCALES) {
      const c = corpus(l);
      const inCorpus = new Set([...Object.values(c.questions).flat(), ...c.negatives, ...c.textStep.questions, ...c.textStep.text].map(foldForMatching));
      const shared = [...examples[l].values()].flat().filter((e) => inCorpus.has(foldForMatching(e)));
      expect(shared, l).toEqual([]);
    }
  });

  it('holds at least 30 phrasings per kind per language and 100 contribution-like sentences', () => {
    for (const l of LOCALES) for (const k of FAQ_TOPICS) expect(corpus(l).questions[k].length, `${l} ${k}`).toBeGreaterThanOrEqual(30);
    expect(LOCALES.reduce((n, l) => n + corpus(l).negatives.length, 0)).toBeGreaterThanOrEqual(100);
  });

  it('is understood: ≥ 90 % answered right, ≤ 2 % false answers, every text-step question answered', () => {
    let right = 0, total = 0, falseAnswers = 0, negatives = 0;
    for (const l of LOCALES) {
      const c = corpus(l);
      for (const k of FAQ_TOPICS) for (const q of c.questions[k]) { total++; if (asked(q) === k) right++; }
      for (const s of c.negatives) { negatives++; if (asked(s) !== null) falseAnswers++; }
      expect(c.textStep.questions.filter((q) => atTextStep(q) === null), l).toEqual([]);
      expect(c.textStep.text.filter((s) => atTextStep(s) !== null), l).toEqual([]);
    }
    expect(right / total).toBeGreaterThanOrEqual(0.9);
    expect(falseAnswers / negatives).toBeLessThanOrEqual(0.02);
  });
});
