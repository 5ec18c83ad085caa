/**
 * The overview: the CLI's figures (src/organisers/stats.ts through the reports), as tables the
 * server renders, and as JSON that desk/static/desk.js polls to draw the charts and keep them live.
 */
import { render, type Ctx } from '../context.js';

export async function overviewPage(ctx: Ctx): Promise<void> {
  const { reports, core } = ctx.shared.deps;
  const stats = await reports.figures();
  const ns = core.call.textsNamespace;
  render(ctx, 'overview', {
    title: ctx.t('desk:overview.title'),
    stats,
    label: {
      topic: (k: string) => `${k}. ${ctx.t(`${ns}:topics.${k}.short`)}`,
      language: (k: string) => ctx.t(`bot:language.names.${k}`),
      platform: (k: string) => ctx.t(`desk:platform.${k}`),
      state: (k: string) => ctx.t(`bot:states.${k}`),
      day: (k: string) => k,
    },
  });
}

/** The figures for the charts, with their labels in the reader's language (no text is built in the browser). */
export async function overviewJson(ctx: Ctx): Promise<void> {
  const { reports, core } = ctx.shared.deps;
  const s = await reports.figures();
  const ns = core.call.textsNamespace;
  const series = (rec: Record<string, number>, label: (k: string) => string) => Object.entries(rec).map(([k, v]) => ({ label: label(k), value: v }));
  const body = JSON.stringify({
    generatedAt: s.generatedAt,
    updated: ctx.t('desk:overview.updated', { time: core.texts.formatTime(s.generatedAt, ctx.lng) }),
    charts: {
      topic: series(s.contributions.byTopic, (k) => `${k}. ${ctx.t(`${ns}:topics.${k}.short`)}`),
      language: series(s.contributions.byLanguage, (k) => ctx.t(`bot:language.names.${k}`)),
      platform: series(s.contributions.byPlatform, (k) => ctx.t(`desk:platform.${k}`)),
      state: series(s.contributions.byState, (k) => ctx.t(`bot:states.${k}`)),
      day: series(s.contributions.byDay, (k) => k),
      funnel: (['started', 'consented', 'drafted', 'submitted'] as const).map((k) => ({ label: ctx.t(`cli:stats.${k}`), value: s.participants[k] })),
    },
  });
  ctx.res.writeHead(200, { ...ctx.headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  ctx.res.end(body);
}
