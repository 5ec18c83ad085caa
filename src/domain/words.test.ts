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
  it('counts a long text exactly, words of every script and words cut by no piece', () => {
    // Counted in pieces cut at whitespace (the whole-string iterator costs far more than linear
    // time): a piece boundary must never split or join a word. Lines of different lengths put the
    // boundaries everywhere; the count of the whole is the sum of the counts of its lines.
    const lines = [
      'Civil society, in Iraq — has grown! Ten years.',
      'المجتمع المدني في العراق قوي، ويعمل من أجل السلام.',
      'کۆمەڵگەی مەدەنی لە عێراق بەهێزە. من ده\u200cمه‌وێ بنووسم',
      "can't stop; e-mail 3.5 Basra 2018 ١٠ 🙂",
    ];
    const perLine = lines.map((l) => countWords(l, 'ckb'));
    let text = '';
    let expected = 0;
    for (let i = 0; text.length < 300_000; i++) {
      const k = (i * 7) % lines.length;
      text += lines[k] + (i % 3 === 0 ? '\n' : ' ').repeat(1 + (i % 5));
      expected += perLine[k]!;
    }
    expect(countWords(text, 'ckb')).toBe(expected);
    // A run with no whitespace at all is cut too, and still counted.
    expect(countWords('a'.repeat(5000), 'en')).toBeGreaterThan(0);
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
