/**
 * The preview as lines of text in the organiser's language (the CLI prints them; Slack's modal
 * shows them).
 */
import type { TFunction } from 'i18next';
import { LOCALES } from '../domain/records.js';
import type { Platform } from '../core/types.js';
import { DEFAULT_LOCALE, type AnnouncementInput } from './audience.js';
import type { Preview, Reach, TemplateReach } from './preview.js';
import type { Counts, DeliveryStatus } from './types.js';

export function previewLines(preview: Preview, input: AnnouncementInput, t: TFunction, formatTime: (d: Date) => string): string[] {
  const a = input.audience;
  const lines = [t('announcements:cli.preview.title', { who: t(`announcements:cli.preview.who.${a.who}`) })];
  const filters = [
    ...(a.topics ?? []).map((n) => `topic ${n}`),
    ...(a.platforms ?? []),
    ...(a.languages ?? []),
  ];
  if (filters.length > 0) lines.push(t('announcements:cli.preview.filters', { filters: filters.join(', ') }));
  lines.push('');
  for (const lng of LOCALES) {
    const text = input.texts[lng];
    if (!text) continue;
    lines.push(t('announcements:cli.preview.text', { language: lng, count: preview.byText[lng] ?? 0 }), text, '');
  }
  if (preview.fallback > 0) lines.push(t('announcements:cli.preview.fallback', { count: preview.fallback, language: DEFAULT_LOCALE }), '');
  lines.push(...templateLines(preview, t));
  lines.push(t('announcements:cli.preview.table'));
  for (const [platform, row] of Object.entries(preview.byPlatform) as [Platform, Reach][]) {
    lines.push(`${platform} | ${row.now} | ${row.held} | ${row.optedOut} | ${row.unreachable}`);
  }
  lines.push(t('announcements:cli.preview.total', { ...preview.total }));
  if (preview.total.held > 0) {
    const expiry = input.expiresAt ? t('announcements:cli.preview.expiry', { time: formatTime(input.expiresAt) }) : '';
    lines.push(t('announcements:cli.preview.held', { expiry }));
  }
  if (preview.total.optedOut > 0) lines.push(t('announcements:cli.preview.optedOut'));
  if (preview.total.unreachable > 0) lines.push(t('announcements:cli.preview.unreachable'));
  return lines;
}

/**
 * Who gets an approved template outside their platform's window: how many, how many of them get
 * another language's (no template in theirs: Sorani), and — past the platform's daily limit on
 * people reached that way — how many go now and how many over the next days.
 */
export function templateLines(preview: Preview, t: TFunction): string[] {
  const lines: string[] = [];
  const language = (l: string) => t(`announcements:cli.preview.languages.${l}`, { defaultValue: l });
  // In a sentence the platform's own name ("WhatsApp", «واتساب»), not its id.
  const named = (p: string) => t(`desk:platform.${p}`, { defaultValue: p });
  let substituted = 0;
  for (const [platform, row] of Object.entries(preview.templates) as [Platform, TemplateReach][]) {
    lines.push(t('announcements:cli.preview.templates', { platform: named(platform), count: row.count }));
    for (const s of row.substitutes) {
      substituted += s.count;
      lines.push(t('announcements:cli.preview.templateSubstitute', { from: language(s.from), to: language(s.to), count: s.count }));
    }
    if (row.perDay !== undefined && row.later > 0) lines.push(t('announcements:cli.preview.dailyLimit', { platform: named(platform), perDay: row.perDay, today: row.today, later: row.later }));
  }
  // Any whose substitute language is not known here, said without naming it.
  const unnamed = preview.otherTemplateLanguage - substituted;
  if (unnamed > 0) lines.push(t('announcements:cli.preview.otherTemplateLanguage', { count: unnamed }));
  if (lines.length > 0) lines.push('');
  return lines;
}

function sum(counts: Counts, statuses: DeliveryStatus[]): number {
  let n = 0;
  for (const row of Object.values(counts)) for (const s of statuses) n += row[s] ?? 0;
  return n;
}

/**
 * The end-of-run summary's figures. An uncertain copy (in flight when a sender stopped: it may
 * have arrived, and is never sent again) is counted as uncertain, as `announcements` lists it —
 * not as failed, which would invite sending it again by hand.
 */
export function doneParams(id: string, counts: Counts): Record<string, string | number> {
  return {
    id,
    sent: sum(counts, ['sent']),
    held: sum(counts, ['held']),
    failed: sum(counts, ['failed']),
    uncertain: sum(counts, ['uncertain']),
    optedOut: sum(counts, ['opted-out']),
    unreachable: sum(counts, ['unreachable']),
    dropped: sum(counts, ['dropped']),
    // Pending after a sending pass: copies waiting for a platform's daily limit on new people.
    waiting: sum(counts, ['pending']),
  };
}
