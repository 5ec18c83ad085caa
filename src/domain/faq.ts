/**
 * A small set of the questions people ask about the call, recognised by words and phrases in
 * English, Arabic and Sorani (each folded with foldForMatching). The answers are texts in
 * locales/<lng>/faq.json filled with facts from the call definition; this file only recognises.
 *
 * Each question has patterns; a pattern matches when all its stems are in the message. The
 * question whose best pattern has the most stems wins (ties: the earlier question), so "when
 * and where is the conference" (two stems) beats a lone "when".
 */
import { foldedWords, foldForMatching, foldPatterns, matchedKeys } from './match-text.js';
import { countWords } from './words.js';

export const FAQ_TOPICS = ['deadline', 'words', 'file', 'who', 'change', 'event', 'topics', 'how', 'language'] as const;
export type FaqTopic = (typeof FAQ_TOPICS)[number];

/** Patterns in all three languages: a person may ask in any of them, whatever the chat's language. */
const PATTERNS: Record<FaqTopic, string[][]> = {
  deadline: [
    ['deadline'], ['last day'], ['until when'], ['closing date'], ['how long', 'open'], ['by', 'when'], ['how much', 'time'], ['time', 'left'],
    ['موعد', 'نهائي'], ['اخر', 'موعد'], ['متى', 'ينتهي'], ['اخر', 'يوم'], ['متى', 'يغلق'], ['لغايه', 'متى'], ['حتى', 'متى'],
    ['دوا', 'وادە'], ['دوایین', 'وادە'], ['کەی', 'کۆتایی'], ['دوا', 'ڕۆژ'], ['تا', 'کەی'], ['کەی', 'دادەخرێت'],
  ],
  words: [
    ['how many', 'words'], ['send', 'words'], ['write', 'words'], ['word count'], ['word limit'], ['how', 'long', 'text'], ['how', 'long', 'contribution'], ['how', 'long', 'paper'], ['length'], ['minimum', 'words'], ['maximum', 'words'],
    ['كم', 'كلمه'], ['عدد', 'الكلمات'], ['طول', 'النص'], ['طول', 'المساهمه'], ['حد', 'الكلمات'],
    ['چەند', 'وشە'], ['ژمارەی', 'وشە'], ['درێژی'], ['چەند', 'درێژ'],
  ],
  file: [
    ['file'], ['docx'], ['pdf'], ['attach'], ['document'], ['word', 'format'],
    ['ملف'], ['مرفق'], ['وورد'], ['بي دي اف'],
    ['فایل'], ['وۆرد'], ['هاوپێچ'],
  ],
  who: [
    ['who', 'read'], ['who', 'see'], ['who', 'sees'], ['privacy'], ['my data'], ['personal data'], ['who', 'access'],
    ['من', 'يقرا'], ['من', 'يطلع'], ['من', 'يري'], ['خصوصيه'], ['بياناتي'], ['من', 'سيقرا'],
    ['کێ', 'دەیخوێنێتەوە'], ['کێ', 'دەخوێنێتەوە'], ['کێ', 'دەبینێت'], ['کێ', 'دەیبینێت'], ['تایبەتمەندی'], ['زانیارییەکانم'],
  ],
  change: [
    ['change', 'later'], ['change', 'after'], ['edit', 'later'], ['modify'], ['withdraw'], ['correct', 'after'], ['change', 'sent'], ['change', 'it'],
    ['تعديل'], ['اعدل'], ['اغير'], ['سحب'], ['تغيير'],
    ['بیگۆڕم'], ['گۆڕین'], ['دەستکاری'], ['بکێشمەوە'], ['بگۆڕم'],
  ],
  event: [
    ['when', 'conference'], ['where', 'conference'], ['conference', 'date'], ['when', 'where'], ['venue'], ['conference', 'held'],
    ['متى', 'المؤتمر'], ['اين', 'المؤتمر'], ['موعد', 'المؤتمر'], ['مكان', 'المؤتمر'], ['متى', 'واين'],
    ['کەی', 'کۆنفرانس'], ['کوێ', 'کۆنفرانس'], ['شوێنی', 'کۆنفرانس'], ['کەی', 'کوێ'],
  ],
  topics: [
    ['which', 'topics'], ['what', 'topics'], ['the topics'], ['what', 'write', 'about'],
    ['ما', 'المحاور'], ['ماهي', 'المحاور'], ['محاور'], ['عن', 'ماذا', 'اكتب'],
    ['تەوەرەکان'], ['چی', 'بنووسم'], ['دەربارەی', 'چی'],
  ],
  how: [
    ['how', 'submit'], ['how', 'send'], ['how', 'participate'], ['how', 'contribute'], ['how', 'take part'], ['how', 'apply'],
    ['كيف', 'ارسل'], ['كيف', 'اشارك'], ['كيف', 'اقدم'], ['طريقه', 'المشاركه'], ['كيف', 'المشاركه'], ['كيف', 'يمكن', 'المشاركه'],
    ['چۆن', 'بنێرم'], ['چۆن', 'بەشداری'], ['چۆن', 'بەشدار'],
  ],
  language: [
    ['arabic'], ['kurdish'], ['sorani'], ['which', 'language'], ['what', 'language'], ['in', 'english'],
    ['بالعربيه'], ['بالكرديه'], ['بالكورديه'], ['بالانجليزيه'], ['بالانكليزيه'], ['لغه'], ['اللغات'],
    ['بە', 'عەرەبی'], ['بە', 'کوردی'], ['بە', 'ئینگلیزی'], ['زمان'], ['بەعەرەبی'], ['بەکوردی'],
  ],
};

const FOLDED = foldPatterns(FAQ_TOPICS, PATTERNS);

/** The question a message asks, or null when it matches none: the most stems wins, ties the earlier question. */
export function matchFaq(text: string): FaqTopic | null {
  return matchFaqScored(text)?.key ?? null;
}

/** matchFaq with the number of stems of the winning pattern (2 or more: a specific phrase, not a lone word). */
export function matchFaqScored(text: string): { key: FaqTopic; score: number } | null {
  let best: { key: FaqTopic; score: number } | null = null;
  for (const m of matchedKeys(text, FOLDED, (p) => p.length)) if (!best || m.score > best.score) best = m;
  return best;
}

// Words that open a question in the three languages (folded).
const QUESTION_OPENERS = [
  'how', 'what', 'when', 'where', 'who', 'whom', 'which', 'why', 'can', 'could', 'may', 'is', 'are', 'do', 'does', 'will', 'should',
  'كيف', 'ما', 'ماذا', 'متي', 'متى', 'اين', 'من', 'هل', 'كم', 'لماذا', 'ماهي', 'ماهو', 'اي',
  'چۆن', 'چی', 'کەی', 'کوێ', 'کێ', 'ئایا', 'چەند', 'بۆچی', 'دەتوانم', 'دەکرێت', 'کام',
].map(foldForMatching);

/**
 * A message that is clearly a question, and short: it ends with a question mark or opens with a
 * question word, and has at most `maxWords` words. At the text step only such a message may be
 * taken as a question (anything else is text).
 */
export function isShortQuestion(text: string, maxWords = 15): boolean {
  const trimmed = text.trim();
  // No question of maxWords real words is this long: a long message is not counted at all.
  if (trimmed.length > maxWords * 64) return false;
  if (countWords(trimmed) > maxWords) return false;
  if (/[?؟]\s*$/u.test(trimmed)) return true;
  const first = foldedWords(trimmed)[0];
  return first !== undefined && QUESTION_OPENERS.includes(first);
}
