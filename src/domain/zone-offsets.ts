/**
 * A timezone's offsets from UTC over a span of time, as segments: what a database without
 * timezone rules (SQLite) needs to put each instant on its local day in one SQL expression.
 * No I/O: the rules come from Intl (the ICU data Node ships).
 */

export interface OffsetSegment {
  /** First instant of the segment; null for the first segment (open to the past). */
  from: Date | null;
  /** Local time minus UTC, in minutes. */
  offsetMinutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timezone, f);
  }
  return f;
}

/** Local time minus UTC at instant `t`, in whole minutes. */
export function offsetAt(timezone: string, t: Date): number {
  const p: Record<string, number> = {};
  for (const part of formatFor(timezone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const utc = Math.floor(t.getTime() / 1000) * 1000;
  return Math.round((local - utc) / 60_000);
}

// Rules change offsets at most a few times a year and never twice within 12 hours.
const STEP_MS = 12 * 3600_000;

/** The segments covering [from, to]; one segment when the offset never changes there. */
export function offsetSegments(timezone: string, from: Date, to: Date): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ from: null, offsetMinutes: offsetAt(timezone, from) }];
  let prev = from.getTime();
  let prevOffset = segments[0]!.offsetMinutes;
  const end = to.getTime();
  while (prev < end) {
    const next = Math.min(prev + STEP_MS, end);
    const nextOffset = offsetAt(timezone, new Date(next));
    if (nextOffset !== prevOffset) {
      // Binary search, to the millisecond, for the first instant with the new offset.
      let lo = prev;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(timezone, new Date(mid)) === prevOffset) lo = mid;
        else hi = mid;
      }
      segments.push({ from: new Date(hi), offsetMinutes: nextOffset });
    }
    prev = next;
    prevOffset = nextOffset;
  }
  return segments;
}

/** The local day (YYYY-MM-DD) of instant `ms` under the offsets of `segments`. */
function localDay(segments: OffsetSegment[], ms: number): string {
  let off = segments[0]!.offsetMinutes;
  for (const s of segments) if (s.from === null || s.from.getTime() <= ms) off = s.offsetMinutes;
  return new Date(ms + off * 60_000).toISOString().slice(0, 10);
}

/**
 * The local days that [from, to] touches, each with the UTC instants where it starts and where
 * the next one starts: a row is on day D when start(D) <= createdAt < end(D). Where summer time
 * skips local midnight, the day starts at the change.
 */
export function localDays(timezone: string, from: Date, to: Date): { day: string; start: Date; end: Date }[] {
  const segments = offsetSegments(timezone, from, new Date(to.getTime() + 48 * 3600_000));
  const startOf = (day: string): number => {
    const midnight = Date.parse(`${day}T00:00:00Z`);
    for (let i = 0; i < segments.length; i++) {
      const t = midnight - segments[i]!.offsetMinutes * 60_000;
      const lo = segments[i]!.from?.getTime() ?? -Infinity;
      const hi = segments[i + 1]?.from?.getTime() ?? Infinity;
      if (t >= lo && t < hi) return t;
    }
    // Local midnight never happened that day: the day starts at the first change into it.
    const change = segments.find((s) => s.from && localDay(segments, s.from.getTime()) >= day);
    return change?.from?.getTime() ?? midnight;
  };
  const days: { day: string; start: Date; end: Date }[] = [];
  const last = localDay(segments, to.getTime());
  for (let day = localDay(segments, from.getTime()); day <= last; ) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);
    days.push({ day, start: new Date(startOf(day)), end: new Date(startOf(next)) });
    day = next;
  }
  return days;
}
