import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callPhase, validateCallDefinition } from './call-definition.js';

const shipped = JSON.parse(readFileSync(new URL('../../config/calls/icssi-2019.json', import.meta.url), 'utf8'));

describe('the call definition', () => {
  it('ships valid, open with no deadline, with the facts of the 2019 call', () => {
    const r = validateCallDefinition(shipped);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.call.timezone).toBe('Asia/Baghdad');
    expect(r.call.topics).toEqual([1, 2, 3]);
    expect(r.call.words).toEqual({ min: 150, max: 350, target: 250 });
    expect(r.call.publicEvent).toEqual({ start: '2019-01-31', end: '2019-02-01' });
    expect(r.call.strategicMeeting).toEqual({ start: '2019-02-02', end: '2019-02-03' });
    expect(r.call.contact.email).toBe('icssi.project@gmail.com');
    expect(callPhase(r.call, new Date('2030-01-01'))).toBe('open');
  });

  it('names every broken field and its problem', () => {
    const broken = {
      ...shipped,
      timezone: 'Baghdad',
      words: { min: 400, max: 350, target: 250 },
      topics: [1, 1],
      deadline: '2019-01-20',
      publicEvent: { start: '2019-02-30', end: '2019-02-01' },
      contact: { ...shipped.contact, email: 'not-an-address' },
      deadlne: null,
    };
    const r = validateCallDefinition(broken);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['timezone', 'words', 'topics', 'deadline', 'publicEvent.start', 'contact.email', 'deadlne']));
    expect(r.problems.find((p) => p.field === 'timezone')!.problem).toContain('IANA');
    expect(r.problems.find((p) => p.field === 'deadline')!.problem).toContain('offset');
    expect(r.problems.find((p) => p.field === 'deadlne')!.problem).toContain('not a known field');
  });

  it('rejects a file that is not an object, and a missing id', () => {
    expect(validateCallDefinition([1, 2])).toEqual({ ok: false, problems: [{ field: '(file)', problem: 'must be a JSON object' }] });
    const { id: _id, ...noId } = shipped;
    const r = validateCallDefinition(noId);
    expect(!r.ok && r.problems.some((p) => p.field === 'id')).toBe(true);
  });

  it('is closed after its deadline and not open before its opening', () => {
    const r = validateCallDefinition({ ...shipped, opensAt: '2019-01-01T00:00:00+03:00', deadline: '2019-01-20T23:59:00+03:00' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(callPhase(r.call, new Date('2018-12-31T20:00:00Z'))).toBe('not-open');
    expect(callPhase(r.call, new Date('2019-01-10T00:00:00Z'))).toBe('open');
    expect(callPhase(r.call, new Date('2019-01-20T21:00:00Z'))).toBe('closed');
  });
});
