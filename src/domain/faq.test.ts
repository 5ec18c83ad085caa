import { describe, expect, it } from 'vitest';
import { isShortQuestion, matchFaq } from './faq.js';
import { foldForMatching, hasWordCharacter } from './match-text.js';
import { languageFromName } from './language-names.js';

describe('folding Arabic-script text for matching', () => {
  it('folds alef and hamza forms, ی/ي, ک/ك, ە/ه/ة, diacritics and tatweel', () => {
    expect(foldForMatching('أإآا')).toBe('اااا');
    expect(foldForMatching('كوردی')).toBe(foldForMatching('کوردي'));
    expect(foldForMatching('مساهمة')).toBe(foldForMatching('مساهمه'));
    expect(foldForMatching('وشە')).toBe(foldForMatching('وشه'));
    expect(foldForMatching('كَلِمَـــة')).toBe(foldForMatching('كلمة'));
    expect(foldForMatching('مؤتمر، ٢٠١٩؟')).toBe('موتمر 2019');
  });

  it('tells words from emoji and punctuation', () => {
    expect(hasWordCharacter('👍🙏🏽🇮🇶')).toBe(false);
    expect(hasWordCharacter('!!! …')).toBe(false);
    expect(hasWordCharacter('هەژار')).toBe(true);
    expect(hasWordCharacter('3.')).toBe(true);
  });
});

describe('the FAQ', () => {
  it('recognises the same question written with or without hamza and diacritics', () => {
    expect(matchFaq('من يقرأ مساهمتي؟')).toBe('who');
    expect(matchFaq('من يقرا مساهمتي')).toBe('who');
    expect(matchFaq('مَتى المُؤتَمَر؟')).toBe('event');
    expect(matchFaq('ما هو الموعـــد النهائي')).toBe('deadline');
    expect(matchFaq('سڵاو، دوا ڕۆژی ناردن کەیە؟')).toBe('deadline');
  });

  it('recognises questions in Sorani written with Arabic ي/ك', () => {
    expect(matchFaq('چەند وشە؟')).toBe('words');
    expect(matchFaq('چەند وشه؟')).toBe('words');
    expect(matchFaq('دەتوانم فايلی وۆرد بنێرم؟')).toBe('file');
  });

  it('matches nothing in a name, a country or a sentence of a contribution', () => {
    for (const s of ['Layla Hassan', 'Iraq', 'عێراق', 'منتدى شباب البصرة', 'Civil society in Basra organised protests in 2018.']) expect(matchFaq(s)).toBeNull();
  });

  it('a clear short question ends with a question mark or opens with a question word', () => {
    expect(isShortQuestion('How many words')).toBe(true);
    expect(isShortQuestion('كم كلمة')).toBe(true);
    expect(isShortQuestion('چەند وشە')).toBe(true);
    expect(isShortQuestion('Civil society grew.')).toBe(false);
    expect(isShortQuestion(`${'word '.repeat(20)}?`)).toBe(false);
  });
});

describe('typed language names', () => {
  it('understands the names people type', () => {
    expect(languageFromName('کوردی')).toBe('ckb');
    expect(languageFromName('سۆرانی')).toBe('ckb');
    expect(languageFromName('Kurdish')).toBe('ckb');
    expect(languageFromName('عربي')).toBe('ar');
    expect(languageFromName('العربية')).toBe('ar');
    expect(languageFromName('English')).toBe('en');
    expect(languageFromName('انگلیزی')).toBe('en');
    expect(languageFromName('hello')).toBeNull();
  });
});

describe('FAQ near misses', () => {
  it('"send 300 words" is about length, not files', () => {
    expect(matchFaq('Can I send 300 words?')).toBe('words');
  });
});
