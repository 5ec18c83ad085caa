/**
 * The export, streamed as a download: the CLI's own code (pseudonymised ids, formula-safe CSV)
 * through the reports. A POST (with its CSRF token), because it is recorded in the activity log.
 */
import { actorOf, errorPage, render, type Ctx } from '../context.js';

export function exportPage(ctx: Ctx): void {
  render(ctx, 'export', { title: ctx.t('desk:export.title') });
}

export async function exportDownload(ctx: Ctx, form: URLSearchParams): Promise<void> {
  const { reports, store, core } = ctx.shared.deps;
  const format = form.get('format');
  if (format !== 'csv' && format !== 'json') return errorPage(ctx, 400, 'badFormat');
  const day = core.now().toISOString().slice(0, 10);
  ctx.res.writeHead(200, {
    ...ctx.headers,
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="icssi-${core.call.id}-${day}.${format}"`,
    'cache-control': 'no-store',
  });
  const rows = await reports.exportContributions(format, ctx.res);
  ctx.res.end();
  await store.record({ at: core.now(), actor: actorOf(ctx), action: 'export', subject: format, detail: String(rows) });
}
