/**
 * The preview as lines of text in the organiser's language (the CLI prints them; Slack's modal
 * shows them).
 */
import type { TFunction } from 'i18next';
import { LOCALES } from '../domain/records.js';
import type { Platform } from '../core/types.js';
import { DEFAULT_LOCALE, type AnnouncementInput } from './audience.js';
import type { Preview } from './preview.js';

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
  lines.push(t('announcements:cli.preview.table'));
  for (const [platform, row] of Object.entries(preview.byPlatform) as [Platform, { now: number; held: number; never: number }][]) {
    lines.push(`${platform} | ${row.now} | ${row.held} | ${row.never}`);
  }
  lines.push(t('announcements:cli.preview.total', preview.total));
  if (preview.total.held > 0) {
    const expiry = input.expiresAt ? t('announcements:cli.preview.expiry', { time: formatTime(input.expiresAt) }) : '';
    lines.push(t('announcements:cli.preview.held', { expiry }));
  }
  if (preview.total.never > 0) lines.push(t('announcements:cli.preview.never'));
  return lines;
}
