/**
 * The call for contributions as configuration: what the bot presents and enforces.
 * Validation is pure: it names each field and its problem, so an organiser who edits the file
 * knows what to fix. Texts (title, topics, place) are not here: they live in locales/ under the
 * definition's `textsNamespace`, one file per language.
 */
import type { WordRange } from './words.js';

export interface DateSpan {
  /** ISO dates (YYYY-MM-DD) in the call's timezone. */
  start: string;
  end: string;
}

export interface CallDefinition {
  id: string;
  textsNamespace: string;
  /** IANA timezone for dates shown to people (receipts, deadline). */
  timezone: string;
  contact: { email: string; website: string; facebook: string };
  publicEvent: DateSpan;
  strategicMeeting: DateSpan;
  /** Topic numbers, in the order they are offered (1, 2, 3). */
  topics: number[];
  words: WordRange;
  opensAt: Date | null;
  deadline: Date | null;
  /** How many contributions one person may have per topic (withdrawn ones do not count). */
  contributionsPerTopic: number;
  /**
   * The last day (YYYY-MM-DD, in the call's timezone) the participants' data is kept; after it,
   * `npm run icssi -- purge` erases them. Null: no date set (the consent text says so).
   */
  retainUntil: string | null;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export type CallValidation = { ok: true; call: CallDefinition } | { ok: false; problems: FieldProblem[] };

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// An instant must carry its offset: "2019-01-20T23:59" alone would be read in the server's zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isRealDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

export function validateCallDefinition(input: unknown): CallValidation {
  const problems: FieldProblem[] = [];
  const bad = (field: string, problem: string) => problems.push({ field, problem });
  if (!isObject(input)) return { ok: false, problems: [{ field: '(file)', problem: 'must be a JSON object' }] };

  const str = (field: string, v: unknown, pattern?: RegExp, hint?: string): string => {
    if (typeof v !== 'string' || v.trim() === '') bad(field, 'is required and must be a non-empty string');
    else if (pattern && !pattern.test(v)) bad(field, hint ?? `does not match ${pattern}`);
    return typeof v === 'string' ? v : '';
  };
  const int = (field: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      bad(field, `must be a whole number from ${min} to ${max}`);
    return typeof v === 'number' ? v : 0;
  };
  const span = (field: string, v: unknown): DateSpan => {
    if (!isObject(v)) {
      bad(field, 'must be an object with "start" and "end" dates (YYYY-MM-DD)');
      return { start: '', end: '' };
    }
    const start = str(`${field}.start`, v.start);
    const end = str(`${field}.end`, v.end);
    if (start && !isRealDay(start)) bad(`${field}.start`, 'must be a real date written YYYY-MM-DD');
    if (end && !isRealDay(end)) bad(`${field}.end`, 'must be a real date written YYYY-MM-DD');
    if (isRealDay(start) && isRealDay(end) && end < start) bad(`${field}.end`, 'is before the start');
    return { start, end };
  };
  const instant = (field: string, v: unknown): Date | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string' || !INSTANT.test(v) || Number.isNaN(Date.parse(v))) {
      bad(field, 'must be null or a date and time with an offset, e.g. 2019-01-20T23:59:00+03:00');
      return null;
    }
    return new Date(v);
  };

  const id = str('id', input.id, ID, 'must be lower-case letters, digits and dashes (e.g. icssi-2019)');
  const textsNamespace = str('textsNamespace', input.textsNamespace, ID, 'must be lower-case letters, digits and dashes');
  const timezone = str('timezone', input.timezone);
  if (timezone && !isValidTimezone(timezone)) bad('timezone', `"${timezone}" is not an IANA timezone (e.g. Asia/Baghdad)`);

  let contact = { email: '', website: '', facebook: '' };
  if (!isObject(input.contact)) bad('contact', 'must be an object with "email", "website" and "facebook"');
  else {
    contact = {
      email: str('contact.email', input.contact.email, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'),
      website: str('contact.website', input.contact.website, /^https?:\/\/\S+$/, 'must be an http(s) link'),
      facebook: str('contact.facebook', input.contact.facebook, /^https?:\/\/\S+$/, 'must be an http(s) link'),
    };
  }
  const publicEvent = span('publicEvent', input.publicEvent);
  const strategicMeeting = span('strategicMeeting', input.strategicMeeting);

  let topics: number[] = [];
  if (!Array.isArray(input.topics) || input.topics.length === 0 || input.topics.length > 9)
    bad('topics', 'must be a list of 1 to 9 topic numbers, e.g. [1, 2, 3]');
  else {
    topics = input.topics.map((t, i) => int(`topics[${i}]`, t, 1, 9));
    if (new Set(topics).size !== topics.length) bad('topics', 'lists a topic number twice');
  }

  let words: WordRange = { min: 0, max: 0, target: 0 };
  if (!isObject(input.words)) bad('words', 'must be an object with "min", "max" and "target"');
  else {
    words = {
      min: int('words.min', input.words.min, 1, 10_000),
      max: int('words.max', input.words.max, 1, 10_000),
      target: int('words.target', input.words.target, 1, 10_000),
    };
    if (words.min > words.max) bad('words', `min (${words.min}) is more than max (${words.max})`);
    else if (words.target < words.min || words.target > words.max) bad('words.target', 'must lie between min and max');
  }

  const opensAt = instant('opensAt', input.opensAt);
  const deadline = instant('deadline', input.deadline);
  if (opensAt && deadline && deadline <= opensAt) bad('deadline', 'is not after opensAt');
  const contributionsPerTopic = int('contributionsPerTopic', input.contributionsPerTopic ?? 1, 1, 100);
  let retainUntil: string | null = null;
  if (input.retainUntil !== null && input.retainUntil !== undefined) {
    if (typeof input.retainUntil !== 'string' || !isRealDay(input.retainUntil)) bad('retainUntil', 'must be null or a real date written YYYY-MM-DD');
    else if (deadline && input.retainUntil < dayIn(timezone, deadline)) bad('retainUntil', 'is before the deadline');
    else retainUntil = input.retainUntil;
  }

  const known = new Set(['$comment', 'id', 'textsNamespace', 'timezone', 'contact', 'publicEvent', 'strategicMeeting',
    'topics', 'words', 'opensAt', 'deadline', 'contributionsPerTopic', 'retainUntil']);
  for (const k of Object.keys(input)) if (!known.has(k)) bad(k, 'is not a known field (a typo?)');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    call: { id, textsNamespace, timezone, contact, publicEvent, strategicMeeting, topics, words, opensAt, deadline, contributionsPerTopic, retainUntil },
  };
}

export type CallPhase = 'not-open' | 'open' | 'closed';

export function callPhase(call: CallDefinition, now: Date): CallPhase {
  if (call.opensAt && now < call.opensAt) return 'not-open';
  if (call.deadline && now >= call.deadline) return 'closed';
  return 'open';
}

/** The calendar day (YYYY-MM-DD) of an instant in a timezone (an invalid zone counts as UTC). */
export function dayIn(timezone: string, at: Date): string {
  const zone = isValidTimezone(timezone) ? timezone : 'UTC';
  let f = dayFormats.get(zone);
  if (!f) {
    // en-CA formats a date as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  return f.format(at);
}
/** One formatter per timezone, kept: building one is far dearer than using it (it runs per message). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether the retention date has passed: the call's day now is after `retainUntil`. */
export function retentionPassed(call: CallDefinition, now: Date): boolean {
  return call.retainUntil !== null && dayIn(call.timezone, now) > call.retainUntil;
}
