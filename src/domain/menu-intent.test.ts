import { describe, expect, it } from 'vitest';
import { menuActionOf } from './menu-intent.js';

describe('typed words that name a menu action', () => {
  it('in English, Arabic and Sorani', () => {
    expect(menuActionOf('Submit a contribution')).toBe('submit');
    expect(menuActionOf("I'd like to take part")).toBe('submit');
    expect(menuActionOf('أريد إرسال مساهمة')).toBe('submit');
    expect(menuActionOf('اريد المشاركة في المؤتمر')).toBe('submit');
    expect(menuActionOf('دەمەوێت بەشداری بکەم')).toBe('submit');
    expect(menuActionOf('Show me my contributions')).toBe('mine');
    expect(menuActionOf('I want to submit my contribution')).toBe('submit');
    expect(menuActionOf('مساهماتي')).toBe('mine');
    expect(menuActionOf('بەشدارییەکانم ببینم')).toBe('mine');
    expect(menuActionOf('Tell me about the conference')).toBe('about');
    expect(menuActionOf('دەربارەی کۆنفرانسەکە')).toBe('about');
    expect(menuActionOf('help me please')).toBe('help');
    expect(menuActionOf('مساعدة')).toBe('help');
  });

  it('names nothing for other words, and nothing when two actions are named alike', () => {
    expect(menuActionOf('hello')).toBeNull();
    expect(menuActionOf('مرحبا')).toBeNull();
    expect(menuActionOf('🙂')).toBeNull();
    expect(menuActionOf('submit status')).toBeNull();
  });
});
