import { describe, expect, it } from 'vitest';
import { cleanText, isEmail, parseSmallNumber } from './text.js';
import { CODE_ALPHABET, makeCode, normaliseCode } from './codes.js';

describe('cleanText', () => {
  it('strips bidi overrides and isolates and says so', () => {
    const r = cleanText('abc\u202Edef\u2066x\u2069');
    expect(r).toEqual({ text: 'abcdefx', removedControls: true });
  });
  it('strips control characters but keeps line breaks', () => {
    expect(cleanText('a\u0000b\r\nc\u0007').text).toBe('ab\nc');
  });
  it('keeps Arabic text and ZWNJ as they are', () => {
    const s = 'ده\u200cمه‌وێ';
    expect(cleanText(s)).toEqual({ text: s.normalize('NFC'), removedControls: false });
  });
});

describe('parseSmallNumber', () => {
  it('reads Latin, Eastern Arabic and Persian digits', () => {
    expect(parseSmallNumber('2')).toBe(2);
    expect(parseSmallNumber('٢')).toBe(2);
    expect(parseSmallNumber(' ۳. ')).toBe(3);
  });
  it('refuses words', () => {
    expect(parseSmallNumber('two')).toBeNull();
    expect(parseSmallNumber('2 and 3')).toBeNull();
  });
});

describe('isEmail', () => {
  it('accepts ordinary addresses and refuses broken ones', () => {
    expect(isEmail('icssi.project@gmail.com')).toBe(true);
    expect(isEmail('name@mail.example.iq')).toBe(true);
    expect(isEmail('name@localhost')).toBe(false);
    expect(isEmail('no at sign.com')).toBe(false);
    expect(isEmail('a@b@c.com')).toBe(false);
  });
});

describe('receipt codes', () => {
  it('are ICS- and six symbols from an alphabet without look-alikes', () => {
    let i = 0;
    const seq = [0, 0.99, 0.5, 0.25, 0.75, 0.1];
    const code = makeCode(() => seq[i++ % seq.length]!);
    expect(code).toMatch(/^ICS-[34679ACDEFGHJKMNPQRTWXY]{6}$/);
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL5S2ZUVB8]/);
  });
  it('are recognised however a person types them', () => {
    expect(normaliseCode('ics 7k4q m9')).toBe('ICS-7K4QM9');
    expect(normaliseCode('7K4QM9')).toBe('ICS-7K4QM9');
    expect(normaliseCode('ICS-0000')).toBeNull();
  });
});
