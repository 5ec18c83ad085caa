/**
 * Announcements from the desk: compose per language, choose the audience, preview the counts,
 * send (the sending runs in the server, paced per platform by src/announcements) and watch its
 * progress; past announcements with their delivery figures. The input is checked by the same
 * checkInput as the CLI's and Slack's (src/announcements/audience.ts).
 */
import { checkInput } from '../../announcements/audience.js';
import { templateLines } from '../../announcements/preview-text.js';
import { AUDIENCE_WHO } from '../../announcements/types.js';
import { PLATFORMS } from '../../domain/platform.js';
import { LOCALES } from '../../domain/records.js';
import { actorOf, errorPage, go, render, type Ctx } from '../context.js';

function totals(counts: Record<string, Record<string, number> | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const byStatus of Object.values(counts)) for (const [k, v] of Object.entries(byStatus ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

async function show(ctx: Ctx, form: URLSearchParams | null, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
  const { announcements, core } = ctx.shared.deps;
  const past = announcements ? await announcements.list(20) : [];
  render(ctx, 'announcements', {
    title: ctx.t('desk:announce.title'),
    available: Boolean(announcements),
    form: {
      text: Object.fromEntries(LOCALES.map((l) => [l, form?.get(`text_${l}`) ?? ''])),
      who: form?.get('who') ?? 'consented',
      topics: form?.getAll('topics') ?? [],
      platforms: form?.getAll('platforms') ?? [],
      languages: form?.getAll('languages') ?? [],
    },
    options: { who: AUDIENCE_WHO, topics: core.call.topics, platforms: PLATFORMS.filter((p) => p !== 'console'), languages: LOCALES },
    topicTitle: (n: number) => ctx.t(`${core.call.textsNamespace}:topics.${n}.short`),
    past: past.map((a) => ({ ...a, totals: totals(a.counts) })),
    ...extra,
  }, status);
}

export async function announcePage(ctx: Ctx): Promise<void> {
  await show(ctx, null);
}

export async function announcePost(ctx: Ctx, form: URLSearchParams): Promise<void> {
  const { announcements, core, store } = ctx.shared.deps;
  if (!announcements) return errorPage(ctx, 409, 'noPlatform');
  const checked = checkInput(
    {
      texts: Object.fromEntries(LOCALES.map((l) => [l, form.get(`text_${l}`) ?? undefined])),
      who: form.get('who') ?? undefined,
      topics: form.getAll('topics').join(','),
      platforms: form.getAll('platforms').join(','),
      languages: form.getAll('languages').join(','),
    },
    core.call,
    core.now(),
  );
  if (!checked.ok) {
    const problems = checked.problems.map((p) => ctx.t(`announcements:cli.problems.${p.key}`, p.params));
    return show(ctx, form, { problems }, 400);
  }
  if (form.get('action') !== 'send') {
    const preview = await announcements.preview(checked.input);
    // Who gets an approved template outside their window, in which language, and how many wait
    // for the platform's daily limit: the same lines as the other organiser surfaces' preview.
    const templates = templateLines(preview, ctx.t).filter((line) => line !== '');
    return show(ctx, form, { preview: { total: preview.total, byPlatform: preview.byPlatform, byText: preview.byText, fallback: preview.fallback, templates } });
  }
  const id = await announcements.start(checked.input, actorOf(ctx));
  await store.record({ at: core.now(), actor: actorOf(ctx), action: 'announcement', subject: id, detail: checked.input.audience.who });
  go(ctx, `/announcements/${id}`);
}

export async function announcementPage(ctx: Ctx, id: string): Promise<void> {
  const { announcements } = ctx.shared.deps;
  const counts = announcements ? await announcements.counts(id) : null;
  if (!counts) return errorPage(ctx, 404, 'notFound');
  render(ctx, 'announcement', { title: ctx.t('desk:announce.progress'), id, counts, totals: totals(counts) });
}

/** The figures, polled by desk.js while the announcement is sent. */
export async function announcementJson(ctx: Ctx, id: string): Promise<void> {
  const { announcements } = ctx.shared.deps;
  const counts = announcements ? await announcements.counts(id) : null;
  if (!counts) return errorPage(ctx, 404, 'notFound');
  const t = totals(counts);
  const rows = Object.entries(t).map(([k, v]) => ({ label: ctx.t(`desk:delivery.${k}`), value: v }));
  ctx.res.writeHead(200, { ...ctx.headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  ctx.res.end(JSON.stringify({ rows, pending: (t.pending ?? 0) + (t.sending ?? 0) }));
}
