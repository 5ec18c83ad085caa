/**
 * Retention in the call definition and in what people are told: `retainUntil` is validated, the
 * consent text states it (taken from the call, in all three languages, also in Slack's form) and
 * says what erasure cannot reach.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { retentionPassed, validateCallDefinition } from '../src/domain/call-definition.js';
import { MemoryStore } from './helpers/memory-store.js';
import { submissionView } from '../adapters/slack/views.js';
import { makeBot } from './helpers/harness.js';

const shipped = JSON.parse(readFileSync('config/calls/icssi-2019.json', 'utf8')) as Record<string, unknown>;

async function consentText(lang: 'en' | 'ar' | 'ckb', retainUntil: string | null): Promise<string> {
  const bot = await makeBot(new MemoryStore(), { call: (c) => ({ ...c, retainUntil }) });
  await bot.say('/start');
  const r = await bot.press(`lang:${lang}`);
  return r.map((m) => m.text).join('\n');
}

describe('retainUntil', () => {
  it('is optional, a real day, not before the deadline; passed once the call’s day is after it', () => {
    expect(validateCallDefinition(shipped)).toMatchObject({ ok: true, call: { retainUntil: null } });
    const ok = validateCallDefinition({ ...shipped, retainUntil: '2019-06-30' });
    if (!ok.ok) throw new Error(JSON.stringify(ok.problems));
    // 2019-06-30 ends at 21:00 UTC in Baghdad (UTC+3).
    expect(retentionPassed(ok.call, new Date('2019-06-30T20:59:00Z'))).toBe(false);
    expect(retentionPassed(ok.call, new Date('2019-06-30T21:00:00Z'))).toBe(true);
    for (const [value, problem] of [['2019-02-30', 'real date'], ['soon', 'real date'], [20190630, 'real date'], ['2019-01-10', 'before the deadline']] as const) {
      const r = validateCallDefinition({ ...shipped, deadline: '2019-01-20T23:59:00+03:00', retainUntil: value });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.find((p) => p.field === 'retainUntil')?.problem).toContain(problem);
    }
  });
});

describe('the consent text', () => {
  it('states the retention from the call definition and what erasure cannot reach, in every language', async () => {
    const en = await consentText('en', '2027-06-30');
    // The retention day in the reader's words and digits, as every other date (not ISO).
    expect(en).toContain('How long: until 30 June 2027; then it is erased.');
    expect(en).toContain('not copies the organisers have already exported');
    expect(en).toContain('write to icssi.project@gmail.com');
    expect(await consentText('en', null)).toContain("How long: until the organisers erase this call's data (no date is set yet).");
    const ar = await consentText('ar', '2027-06-30');
    expect(ar).toContain('إلى متى: حتى 30 حزيران 2027، ثم تُمحى.');
    expect(ar).toContain('النسخ التي صدّرها المنظمون');
    const ckb = await consentText('ckb', '2027-06-30');
    expect(ckb).toContain('تا کەی: تا ٣٠ی حوزەیرانی ٢٠٢٧، دواتر دەسڕدرێتەوە.');
    expect(ckb).toContain('ڕێکخەران پێشتر هەناردەیان کردوون');
    for (const text of [en, ar, ckb]) expect(text).not.toContain('{{');
  });

  it('is complete in Slack’s form too: contact, commands as typed on Slack, retention', async () => {
    const i18n = await createI18n();
    const r = validateCallDefinition({ ...shipped, retainUntil: '2027-06-30' });
    if (!r.ok) throw new Error('invalid');
    for (const lng of ['en', 'ar', 'ckb'] as const) {
      const view = submissionView(i18n.getFixedT(lng), r.call, { locale: lng, needsConsent: true });
      const text = JSON.stringify(view.blocks);
      expect(text).toContain({ en: '30 June 2027', ar: '30 حزيران 2027', ckb: '٣٠ی حوزەیرانی ٢٠٢٧' }[lng]);
      expect(text).toContain('/icssi delete');
      expect(text).toContain('icssi.project@gmail.com');
      expect(text).not.toContain('{{');
    }
  });
});
