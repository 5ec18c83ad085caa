/**
 * The statistics as a plain-text table, in the organiser's language.
 */
import type { TFunction } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { CallStats } from '../domain/stats.js';

function section(title: string, rows: [string, string | number][]): string[] {
  const width = Math.max(...rows.map(([k]) => k.length), 4);
  return [title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${String(v).padStart(6)}`), ''];
}

export function statsTable(s: CallStats, t: TFunction, topicTitle: (n: string) => string): string {
  const c = s.contributions;
  const lines = [
    t('cli:stats.title', { call: s.callId, time: s.generatedAt }),
    '',
    ...section(t('cli:stats.totals'), [
      [t('cli:stats.active'), c.active],
      [t('cli:stats.all'), c.total],
      [t('cli:stats.medianWords'), s.medianWords ?? '—'],
    ]),
    ...section(t('cli:stats.byTopic'), Object.entries(c.byTopic).map(([k, v]) => [`${k}. ${topicTitle(k)}`, v])),
    ...section(t('cli:stats.byLanguage'), Object.entries(c.byLanguage).map(([k, v]) => [t(`bot:language.names.${k}`), v])),
    ...section(t('cli:stats.byPlatform'), Object.entries(c.byPlatform).map(([k, v]) => [k, v])),
    ...section(t('cli:stats.byState'), Object.entries(c.byState).map(([k, v]) => [t(`bot:states.${k}`), v])),
    ...section(t('cli:stats.byDay'), Object.entries(c.byDay).map(([k, v]) => [k, v])),
    ...section(t('cli:stats.participants'), [
      [t('cli:stats.started'), s.participants.started],
      [t('cli:stats.consented'), s.participants.consented],
      [t('cli:stats.drafted'), s.participants.drafted],
      [t('cli:stats.submitted'), s.participants.submitted],
    ]),
    ...section(t('cli:stats.held'), Object.entries(s.heldNotices ?? {}).map(([k, v]) => [k, v ?? 0])),
  ];
  return lines.join('\n');
}

/** The table in t()'s language, with the call's short topic titles: what the CLI, Telegram and Slack show (through the reports). */
export function statsTableIn(s: CallStats, t: TFunction, call: CallDefinition): string {
  return statsTable(s, t, (n) => t(`${call.textsNamespace}:topics.${n}.short`));
}
