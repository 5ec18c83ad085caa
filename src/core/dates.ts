/**
 * Dates and times in the reader's language and digits (Intl), with what ICU gets wrong for
 * written Sorani put right. Formatters are kept per language and zone: building an
 * Intl.DateTimeFormat loads ICU data and cost a sixth of the message path's CPU when every
 * receipt and status line built its own.
 */
import type { Locale } from '../domain/records.js';
import { INTL_LOCALE } from '../domain/intl-locale.js';

const formats = new Map<string, Intl.DateTimeFormat>();
function format(lng: Locale, timeZone: string, name: keyof typeof OPTIONS): Intl.DateTimeFormat {
  const key = `${lng}|${timeZone}|${name}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[lng], { ...OPTIONS[name], timeZone });
    formats.set(key, f);
  }
  return f;
}

/**
 * ICU's Sorani month names as Sorani writes them: «کانوونی یەکەم» (ICU: «کانونی یەکەم», next to
 * its own «کانوونی دووەم»), and the Kurdish heh ە/ه, not the Urdu heh ھ ICU uses in some names.
 */
export function soraniDateWords(s: string): string {
  return s.replace(/کانونی/g, 'کانوونی').replace(/\u06BE/g, '\u0647');
}

const DAY = { day: 'numeric', month: 'long', year: 'numeric' } as const;
const OPTIONS = {
  day: DAY,
  weekdayDay: { weekday: 'long', ...DAY },
  // A 24-hour clock: no «د.ن»/«م» to expand, and the same reading in the three languages.
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Written Sorani puts the ezafe ی after the day and the month: «٣٠ی حوزەیرانی ٢٠٢٧». */
function soraniDay(d: Date, timeZone: string, withWeekday: boolean, withYear = true): string {
  const parts = format('ckb', timeZone, withWeekday ? 'weekdayDay' : 'day').formatToParts(d);
  const get = (t: string) => soraniDateWords(parts.find((p) => p.type === t)?.value ?? '');
  const day = `${get('day')}ی ${get('month')}${withYear ? `ی ${get('year')}` : ''}`;
  return withWeekday ? `${get('weekday')} ${day}` : day;
}

/** A calendar day (YYYY-MM-DD): "30 June 2027", «30 حزيران 2027», «٣٠ی حوزەیرانی ٢٠٢٧». */
export function formatDay(day: string, lng: Locale): string {
  const d = new Date(`${day}T00:00:00Z`);
  return lng === 'ckb' ? soraniDay(d, 'UTC', false) : format(lng, 'UTC', 'day').format(d);
}

/** An instant's date and clock time in a zone, apart, for a sentence that joins them in its own words. */
export function dateAndClock(iso: string, lng: Locale, timeZone: string): { date: string; clock: string } {
  const d = new Date(iso);
  const date = lng === 'ckb' ? soraniDay(d, timeZone, false) : format(lng, timeZone, 'day').format(d);
  return { date, clock: format(lng, timeZone, 'clock').format(d) };
}

/** "Thursday 31 January – Friday 1 February 2019", in the reader's language and digits. */
export function formatDays([start, end]: [string, string], lng: Locale): string {
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  if (lng !== 'ckb') return format(lng, 'UTC', 'weekdayDay').formatRange(from, to);
  // ICU's Sorani pattern puts the year first with Latin commas; written Sorani says
  // "پێنجشەممە ٣١ی کانوونی دووەم – هەینی ١ی شوباتی ٢٠١٩" (ezafe ی after the day and month).
  const sameYear = from.getUTCFullYear() === to.getUTCFullYear();
  return `${soraniDay(from, 'UTC', true, !sameYear)} – ${soraniDay(to, 'UTC', true)}`;
}
