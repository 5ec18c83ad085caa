import { describe, expect, it } from 'vitest';
import { countWords, judgeWordCount } from './words.js';

describe('countWords', () => {
  it('counts English words, not punctuation or spaces', () => {
    expect(countWords('Civil society, in Iraq — has grown!  Ten years.', 'en')).toBe(8);
  });
  it('counts Arabic words', () => {
    expect(countWords('المجتمع المدني في العراق قوي، ويعمل من أجل السلام.', 'ar')).toBe(9);
  });
  it('counts Sorani words and keeps a ZWNJ inside a word', () => {
    expect(countWords('کۆمەڵگەی مەدەنی لە عێراق بەهێزە.', 'ckb')).toBe(5);
    // "دەمەوێ" written with a zero-width non-joiner stays one word.
    expect(countWords('من ده\u200cمه‌وێ بنووسم', 'ckb')).toBe(3);
  });
  it('counts digits of any script as words and ignores emoji', () => {
    expect(countWords('Basra 2018 ١٠ years 🙂', 'en')).toBe(4);
  });
  it('counts nothing in an empty or blank text', () => {
    expect(countWords('', 'en')).toBe(0);
    expect(countWords(' \n\t ', 'ar')).toBe(0);
  });
});

describe('judgeWordCount', () => {
  const range = { min: 150, max: 350, target: 250 };
  it('says by how much a text is short or long', () => {
    expect(judgeWordCount(120, range)).toEqual({ ok: false, count: 120, problem: 'too-short', by: 30 });
    expect(judgeWordCount(362, range)).toEqual({ ok: false, count: 362, problem: 'too-long', by: 12 });
  });
  it('accepts the bounds', () => {
    expect(judgeWordCount(150, range).ok).toBe(true);
    expect(judgeWordCount(350, range).ok).toBe(true);
  });
});
