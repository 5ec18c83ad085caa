import { describe, expect, it } from 'vitest';
import { computeStats, median } from './stats.js';
import type { ContributionFact } from './records.js';

const fact = (p: Partial<ContributionFact>): ContributionFact => ({
  topic: 1, state: 'submitted', language: 'en', platform: 'telegram', createdAt: new Date('2019-01-10T10:00:00Z'), wordCount: 250, ...p,
});

describe('computeStats', () => {
  it('breaks contributions down and leaves withdrawn ones out of all but the states', () => {
    const s = computeStats({
      callId: 'icssi-2019', timezone: 'Asia/Baghdad', topics: [1, 2, 3], now: new Date('2019-01-20T00:00:00Z'),
      funnel: { started: 10, consented: 8, drafted: 5, submitted: 3 },
      facts: [
        fact({ topic: 1, language: 'ar', wordCount: 200 }),
        // 22:30 UTC on the 10th is already the 11th in Baghdad (UTC+3).
        fact({ topic: 2, language: 'ckb', platform: 'messenger', wordCount: 300, createdAt: new Date('2019-01-10T22:30:00Z') }),
        fact({ topic: 2, state: 'accepted', wordCount: 260 }),
        fact({ topic: 3, state: 'withdrawn', wordCount: 1000 }),
      ],
    });
    expect(s.contributions.total).toBe(4);
    expect(s.contributions.active).toBe(3);
    expect(s.contributions.byTopic).toEqual({ 1: 1, 2: 2, 3: 0 });
    expect(s.contributions.byLanguage).toEqual({ en: 1, ar: 1, ckb: 1 });
    expect(s.contributions.byPlatform).toEqual({ telegram: 2, messenger: 1 });
    expect(s.contributions.byState).toMatchObject({ submitted: 2, accepted: 1, withdrawn: 1, declined: 0 });
    expect(s.contributions.byDay).toEqual({ '2019-01-10': 2, '2019-01-11': 1 });
    expect(s.medianWords).toBe(260);
    expect(s.participants.submitted).toBe(3);
  });
  it('has no median without contributions, and the middle of an even list', () => {
    expect(median([])).toBeNull();
    expect(median([300, 100, 200, 400])).toBe(250);
  });
});
