import { describe, expect, it } from 'vitest';
import { dateAndClock, formatDay, formatDays, soraniDateWords } from './dates.js';

describe('dates in the reader\'s words and digits', () => {
  it('a calendar day: long, in each language\'s digits, Sorani with its ezafe', () => {
    expect(formatDay('2027-06-30', 'en')).toBe('30 June 2027');
    expect(formatDay('2027-06-30', 'ar')).toBe('30 حزيران 2027');
    expect(formatDay('2027-06-30', 'ckb')).toBe('٣٠ی حوزەیرانی ٢٠٢٧');
  });

  it('Sorani December as Sorani writes it (ICU says «کانونی یەکەم»), in days and in instants', () => {
    expect(formatDay('2026-12-20', 'ckb')).toBe('٢٠ی کانوونی یەکەمی ٢٠٢٦');
    expect(dateAndClock('2026-12-20T09:05:00Z', 'ckb', 'Asia/Baghdad')).toEqual({ date: '٢٠ی کانوونی یەکەمی ٢٠٢٦', clock: '١٢:٠٥' });
    expect(soraniDateWords('کانونی یەکەم')).toBe('کانوونی یەکەم');
  });

  it('the clock apart from the date, on a 24-hour clock, in the call\'s zone', () => {
    expect(dateAndClock('2026-11-26T15:30:00Z', 'en', 'Asia/Baghdad')).toEqual({ date: '26 November 2026', clock: '18:30' });
    expect(dateAndClock('2026-11-26T15:30:00Z', 'ar', 'Asia/Baghdad')).toEqual({ date: '26 تشرين الثاني 2026', clock: '18:30' });
  });

  it('a range of days keeps the written Sorani order (no year first, no Latin comma)', () => {
    expect(formatDays(['2019-01-31', '2019-02-01'], 'ckb')).toBe('پێنجشەممە ٣١ی کانوونی دووەم – هەینی ١ی شوباتی ٢٠١٩');
    expect(formatDays(['2019-01-31', '2019-02-01'], 'en')).toMatch(/Thursday 31 January\s?–\s?Friday 1 February 2019/);
  });
});
