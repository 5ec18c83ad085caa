/**
 * The activity page: every change made at or for the desk, newest first, with who and when.
 */
import { render, type Ctx } from '../context.js';

const PAGE = 100;

export async function activityPage(ctx: Ctx): Promise<void> {
  const before = Number(ctx.url.searchParams.get('before'));
  const rows = await ctx.shared.deps.store.activity({ beforeId: Number.isInteger(before) && before > 0 ? before : undefined, limit: PAGE });
  render(ctx, 'activity', {
    title: ctx.t('desk:activity.title'),
    rows: rows.map((r) => ({ ...r, what: describe(ctx, r.action, r.detail) })),
    older: rows.length === PAGE ? rows.at(-1)!.id : null,
  });
}

/** The detail in words: a decision's result and notice, an invite's role, an export's format. */
function describe(ctx: Ctx, action: string, detail: string | null): string {
  if (action === 'decision' && detail) {
    try {
      const d = JSON.parse(detail) as { decision?: string; result?: string; notice?: string };
      return [d.decision && ctx.t(`bot:states.${d.decision}`), d.result !== 'recorded' && d.result && ctx.t(`desk:decide.result.${d.result}`), d.notice && ctx.t(`desk:decide.notice.${d.notice}`)]
        .filter(Boolean).join(' · ');
    } catch {
      return '';
    }
  }
  if ((action === 'invite' || action === 'signin') && detail) return ctx.t(`desk:role.${detail}`);
  return detail ?? '';
}
