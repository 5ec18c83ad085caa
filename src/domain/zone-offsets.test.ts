import { describe, expect, it } from 'vitest';
import { localDays, offsetAt, offsetSegments } from './zone-offsets.js';
import { dayInZone } from './stats.js';

describe('timezone offsets for grouping by local day', () => {
  it('finds the summer-time change to the second, and none where there is none', () => {
    // Europe/London left summer time at 01:00 UTC on 25 October 2026.
    const segments = offsetSegments('Europe/London', new Date('2026-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
    expect(segments).toEqual([
      { from: null, offsetMinutes: 60 },
      { from: new Date('2026-10-25T01:00:00Z'), offsetMinutes: 0 },
    ]);
    expect(offsetSegments('Asia/Baghdad', new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'))).toEqual([{ from: null, offsetMinutes: 180 }]);
    expect(offsetAt('America/St_Johns', new Date('2026-12-01T00:00:00Z'))).toBe(-210);
  });

  it('puts every instant on the same local day as Intl does, across a change and a skipped midnight', () => {
    // America/Santiago moves its clocks at local midnight: 00:00 does not exist on the day summer time starts.
    for (const timezone of ['Europe/London', 'America/St_Johns', 'America/Santiago', 'Asia/Baghdad']) {
      const from = new Date('2026-08-25T00:00:00Z');
      const to = new Date('2026-11-10T00:00:00Z');
      const days = localDays(timezone, from, to);
      for (let t = from.getTime(); t <= to.getTime(); t += 37 * 60_000) {
        const d = days.find((x) => x.start.getTime() <= t && t < x.end.getTime());
        expect(d?.day, `${timezone} ${new Date(t).toISOString()}`).toBe(dayInZone(new Date(t), timezone));
      }
    }
  });
});
