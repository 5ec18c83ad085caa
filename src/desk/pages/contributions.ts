/**
 * The contributions: the list (filters, search, sort, keyset pages), one contribution (its text
 * per paragraph in its own direction, revisions, history, notes) and the two things done on it —
 * a note, and a decision through the same operation as Slack and the CLI (src/organisers/decisions.ts).
 */
import { LOCALES, CONTRIBUTION_STATES } from '../../domain/records.js';
import { PLATFORMS } from '../../domain/platform.js';
import { normaliseCode } from '../../domain/codes.js';
import type { Decision } from '../../core/ports.js';
import { decide } from '../../organisers/decisions.js';
import { DESK_SORTS } from '../../core/desk-ports.js';
import { actorOf, errorPage, go, render, type Ctx } from '../context.js';
import { filtersQuery, readListQuery } from '../list-query.js';

export const MAX_NOTE_CHARS = 4000;
const DECISIONS: readonly Decision[] = ['accepted', 'revision_requested', 'declined'];

export async function listPage(ctx: Ctx): Promise<void> {
  const { core, store } = ctx.shared.deps;
  const { filters, query } = readListQuery(ctx.url.searchParams, core.call);
  const { rows, next, total } = await store.list(query);
  render(ctx, 'list', {
    title: ctx.t('desk:list.title'),
    filters,
    rows,
    total,
    nextQuery: next ? filtersQuery(filters, { after: next }) : null,
    firstQuery: query.after ? filtersQuery(filters) : null,
    options: { topics: core.call.topics, languages: LOCALES, states: CONTRIBUTION_STATES, platforms: PLATFORMS, sorts: DESK_SORTS },
    topicTitle: (n: number) => ctx.t(`${core.call.textsNamespace}:topics.${n}.short`),
  });
}

/** A text as paragraphs (blank lines between them), each shown with dir="auto". */
function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

export async function contributionPage(ctx: Ctx, rawCode: string): Promise<void> {
  const { core, store } = ctx.shared.deps;
  const code = normaliseCode(rawCode);
  const found = code ? await store.contribution(code) : null;
  if (!found) return errorPage(ctx, 404, 'notFound');
  // The outcome of a decision just made, read back from the activity log (the redirect carries
  // only its id): what the page says is what was recorded.
  const doneId = Number(ctx.url.searchParams.get('done'));
  const done = Number.isInteger(doneId) && doneId > 0 ? (await store.activity({ beforeId: doneId + 1, limit: 1 }))[0] : undefined;
  const outcome = done && done.subject === found.row.code && done.action === 'decision' && done.actor === actorOf(ctx) ? parseOutcome(done.detail) : null;
  render(ctx, 'contribution', {
    title: found.row.code,
    c: found,
    paragraphs: found.revisions[0] ? paragraphs(found.revisions[0].text) : [],
    older: found.revisions.slice(1).map((r) => ({ ...r, paragraphs: paragraphs(r.text) })),
    topicTitle: ctx.t(`${core.call.textsNamespace}:topics.${found.row.topic}.short`),
    decisions: DECISIONS,
    canDecide: ctx.session?.role === 'organiser' && found.row.state !== 'withdrawn',
    outcome,
    maxNote: MAX_NOTE_CHARS,
  });
}

interface Outcome {
  result: string;
  notice?: string;
  reason?: string;
}

function parseOutcome(detail: string | null): Outcome | null {
  try {
    const o = JSON.parse(detail ?? '') as Outcome;
    return typeof o.result === 'string' ? o : null;
  } catch {
    return null;
  }
}

export async function addNote(ctx: Ctx, rawCode: string, form: URLSearchParams): Promise<void> {
  const { core, store } = ctx.shared.deps;
  const code = normaliseCode(rawCode);
  const text = (form.get('note') ?? '').replace(/\r\n/g, '\n').trim();
  if (!code) return errorPage(ctx, 404, 'notFound');
  if (!text || text.length > MAX_NOTE_CHARS) return errorPage(ctx, 400, 'badNote');
  const at = core.now();
  if (!(await store.addNote({ code, author: ctx.session!.name, text, at }))) return errorPage(ctx, 404, 'notFound');
  // The note's text stays on the contribution (and goes with its author's erasure), not in the log.
  await store.record({ at, actor: actorOf(ctx), action: 'note', subject: code });
  go(ctx, `/c/${code}#notes`);
}

export async function decideOn(ctx: Ctx, rawCode: string, form: URLSearchParams): Promise<void> {
  const { core, store } = ctx.shared.deps;
  const code = normaliseCode(rawCode);
  const decision = DECISIONS.find((d) => d === form.get('decision'));
  const note = (form.get('note') ?? '').replace(/\r\n/g, '\n').trim() || null;
  if (!code) return errorPage(ctx, 404, 'notFound');
  if (!decision || (note?.length ?? 0) > MAX_NOTE_CHARS) return errorPage(ctx, 400, 'badDecision');
  // A revision request without a note would leave the author guessing what to change.
  if (decision === 'revision_requested' && !note) return errorPage(ctx, 400, 'revisionNeedsNote');
  const out = await decide(core, { code, decision, actor: actorOf(ctx), note });
  const id = await store.record({
    at: core.now(), actor: actorOf(ctx), action: 'decision', subject: code,
    detail: JSON.stringify({ decision, result: out.result, notice: out.notice, reason: out.noticeReason }),
  });
  go(ctx, `/c/${code}?done=${id}`);
}
