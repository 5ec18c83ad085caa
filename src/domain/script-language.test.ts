import { describe, expect, it } from 'vitest';
import { languageOfText } from './script-language.js';

describe('languageOfText', () => {
  it('reads Sorani from its own letters', () => {
    expect(languageOfText('سڵاو، چۆن دەتوانم بەشداری بکەم؟')).toBe('ckb');
    expect(languageOfText('ڕێکخراو')).toBe('ckb');
  });
  it('reads other Arabic script as Arabic', () => {
    expect(languageOfText('مرحبا، كيف أشارك؟')).toBe('ar');
  });
  it('reads Latin as English', () => {
    expect(languageOfText('Hello! How do I submit a contribution?')).toBe('en');
  });
  it('says nothing for a message without letters', () => {
    expect(languageOfText('👍 123 ?!')).toBeNull();
  });
  it('goes by the larger share in a mixed message', () => {
    expect(languageOfText('مرحبا ICSSI')).toBe('ar');
    expect(languageOfText('Hello مرحبا from Basra')).toBe('en');
  });
});
