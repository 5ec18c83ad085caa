/**
 * Writing a contribution: topic, details, the text in one or several messages, review, receipt.
 */
import { callPhase } from '../domain/call-definition.js';
import { makeCode } from '../domain/codes.js';
import { isEmail } from '../domain/text.js';
import { hasWordCharacter } from '../domain/match-text.js';
import { judgeWordCount } from '../domain/words.js';
import type { DataEffect } from '../domain/effects.js';
import type { FlowContext, FlowResult } from './context.js';
import { emptyDraft, type ConversationState, type Draft, type StepName } from './state.js';
import { ltr, time, type Reply } from './replies.js';
import { onTextChoice } from './text-step.js';
import { activeContributions, draftText, draftWords, previousDetails, promptFor, staleChoice, topicTitle } from './prompts.js';

/** Limits on one field, in characters after cleaning. */
export const FIELD_LIMITS = { name: 80, organisation: 120, country: 60, email: 254 } as const;

type Out = FlowResult;
const reply = (state: ConversationState, ctx: FlowContext, replies: Reply[], effects: DataEffect[] = []): Out => ({
  state,
  replies: [...replies, promptFor(state, ctx)],
  effects,
});

/** Why the call does not take contributions now, or null when it does. */
export function closedReply(ctx: FlowContext): Reply | null {
  const phase = callPhase(ctx.call, ctx.now);
  if (phase === 'closed') return { key: 'call.closed', params: { time: time(ctx.call.deadline!) } };
  if (phase === 'not-open') return { key: 'call.notOpen', params: { time: time(ctx.call.opensAt!) } };
  return null;
}

/** "Submit a contribution" from the menu or a deep link. */
export function startSubmission(state: ConversationState, ctx: FlowContext, topic: number | null): Out {
  const closed = closedReply(ctx);
  if (closed) return reply({ ...state, step: 'menu' }, ctx, [closed]);
  if (state.draft && !state.draft.editingCode && (state.draft.parts.length > 0 || state.draft.topic !== null)) {
    // A link to a topic (a deep link, an m.me ref) mid-draft keeps the draft; the topic waits in
    // pendingTopic and is the one chosen if the person starts again.
    return reply({ ...state, step: 'draft-found', pendingTopic: topic ?? state.pendingTopic }, ctx, []);
  }
  const effects: DataEffect[] = [{ type: 'participant.drafted', at: ctx.now }];
  const draft = emptyDraft();
  const s: ConversationState = { ...state, draft, step: 'topic', pendingTopic: null };
  if (topic !== null && ctx.call.topics.includes(topic)) return chooseTopic(s, ctx, topic, effects);
  return reply(s, ctx, [], effects);
}

/** The first step still missing from a draft: where "Continue" takes the person. */
export function resumeStep(d: Draft): StepName {
  if (d.topic === null) return 'topic';
  if (!d.details.name) return 'name';
  if (d.details.organisation === undefined) return 'organisation';
  if (d.details.country === undefined) return 'country';
  if (d.details.email === undefined) return 'email';
  return 'body';
}

function after(state: ConversationState, draft: Draft, ctx: FlowContext, effects: DataEffect[] = []): Out {
  // A change asked for from the review goes back to it (and the detour is over); otherwise on to
  // the next missing part.
  const step: StepName = draft.returnToReview ? 'review' : resumeStep(draft);
  return reply({ ...state, draft: { ...draft, returnToReview: false }, step }, ctx, [], effects);
}

export function chooseTopic(state: ConversationState, ctx: FlowContext, topic: number, effects: DataEffect[] = []): Out {
  const draft = state.draft ?? emptyDraft();
  const taken = activeContributions(ctx).filter((c) => c.topic === topic && c.code !== draft.editingCode);
  if (taken.length >= ctx.call.contributionsPerTopic) {
    return reply({ ...state, step: 'topic', draft }, ctx, [{ key: 'submit.topicTaken', params: { code: ltr(taken[0]!.code), topic: topicTitle(ctx, topic) } }], effects);
  }
  const next = { ...draft, topic };
  // The list just showed the question, and the text step shows it again: here the title is enough.
  const chosen: Reply = { key: 'submit.topicChosen', params: { n: topic, topic: topicTitle(ctx, topic) } };
  const out = after(state, next, ctx, effects);
  return { ...out, replies: [chosen, ...out.replies] };
}

export function onDetail(state: ConversationState, ctx: FlowContext, field: 'name' | 'organisation' | 'country' | 'email', value: string | null): Out {
  const draft = state.draft ?? emptyDraft();
  if (value !== null) {
    if (value.length > FIELD_LIMITS[field]) {
      return reply(state, ctx, [{ key: 'submit.fieldTooLong', params: { max: FIELD_LIMITS[field], length: value.length } }]);
    }
    if (field === 'email' && !isEmail(value)) return reply(state, ctx, [{ key: 'submit.emailInvalid', params: { value: ltr(value) } }]);
    // 👍🙏🏽🇮🇶 is a reaction, not a name or a country.
    if (field !== 'email' && !hasWordCharacter(value)) return reply(state, ctx, [{ key: field === 'name' ? 'submit.nameNoWord' : 'submit.fieldNoWord' }]);
  } else if (field === 'name') {
    return reply(state, ctx, [{ key: 'submit.nameRequired' }]);
  }
  return after(state, { ...draft, details: { ...draft.details, [field]: value } }, ctx);
}

export function useSameDetails(state: ConversationState, ctx: FlowContext): Out {
  const prev = previousDetails(ctx);
  const draft = state.draft ?? emptyDraft();
  if (!prev) return staleChoice(state, ctx);
  return after(state, { ...draft, details: { ...prev } }, ctx);
}

export function onBodyChoice(state: ConversationState, ctx: FlowContext, id: string): Out {
  const draft = state.draft ?? emptyDraft();
  if (id !== 'body:done') return onTextChoice(state, ctx, id);
  const verdict = judgeWordCount(draftWords(draft, state), ctx.call.words);
  if (!verdict.ok) {
    const { min, max } = ctx.call.words;
    // The verdict gives the count and what to do, with the text step's buttons: the progress
    // line after it would only say the same count again.
    const s = { ...state, step: 'body' as const };
    const prompt = promptFor(s, ctx);
    const key = verdict.problem === 'too-short' ? 'submit.tooShort' : 'submit.tooLong';
    return { state: s, replies: [{ key, params: { count: verdict.by, total: verdict.count, min, max }, choices: prompt.choices, expectsText: true }], effects: [] };
  }
  return reply({ ...state, step: 'review', draft: { ...draft, returnToReview: false } }, ctx, []);
}

export function onEditPick(state: ConversationState, ctx: FlowContext, id: string): Out {
  const field = id.slice('edit:'.length);
  const draft = state.draft ?? emptyDraft();
  if (field === 'back') return reply({ ...state, step: 'review' }, ctx, []);
  // The text is shown first, with the choice to add to it, replace it or remove its last part.
  const step: StepName = field === 'text' ? 'text-options' : (field as StepName);
  return reply({ ...state, step, draft: { ...draft, returnToReview: true } }, ctx, []);
}

/** "Send": the receipt, or a clear reason why not (the draft is always kept). */
export function confirm(state: ConversationState, ctx: FlowContext): Out {
  const draft = state.draft;
  if (!draft || draft.topic === null || !draft.details.name) return reply({ ...state, step: draft ? resumeStep(draft) : 'menu' }, ctx, []);
  const closed = closedReply(ctx);
  if (closed) return reply({ ...state, step: 'menu' }, ctx, [closed]);
  const count = draftWords(draft, state);
  const verdict = judgeWordCount(count, ctx.call.words);
  if (!verdict.ok) return onBodyChoice({ ...state, step: 'body' }, ctx, 'body:done');
  const text = draftText(draft);
  const revision = {
    text,
    wordCount: count,
    details: { name: draft.details.name, organisation: draft.details.organisation ?? null, country: draft.details.country ?? null, email: draft.details.email ?? null },
  };
  const code = draft.editingCode ?? makeCode(ctx.random);
  const effect: DataEffect = draft.editingCode
    ? { type: 'contribution.revise', code, topic: draft.topic, revision, at: ctx.now }
    : { type: 'contribution.create', code, callId: ctx.call.id, topic: draft.topic, language: state.locale ?? 'en', revision, at: ctx.now };
  // One message: the receipt, then the menu with "Show my text" (the review just showed the text).
  const s: ConversationState = { ...state, step: 'menu', draft: null, receipt: code };
  const menu = promptFor(s, ctx);
  const receipt = receiptReply(ctx, { code, topic: draft.topic, count, revised: Boolean(draft.editingCode) });
  return { state: s, replies: [{ ...receipt, more: [...receipt.more!, { key: menu.key, params: menu.params }], choices: menu.choices }], effects: [effect] };
}

/**
 * The receipt: the code, the topic, the length and the time (in the call's timezone). Not the
 * text: the review showed it just before, and "Show my text" (SHOW_TEXT) shows it again.
 */
export function receiptReply(ctx: FlowContext, r: { code: string; topic: number; count: number; revised: boolean }): Reply {
  return {
    key: r.revised ? 'receipt.revised' : 'receipt.title',
    params: { code: ltr(r.code) },
    more: [
      { key: 'receipt.topic', params: { topic: topicTitle(ctx, r.topic) } },
      { key: 'receipt.words', params: { count: r.count } },
      { key: 'receipt.time', params: { time: time(ctx.now) } },
      { key: 'receipt.keep', params: { code: ltr(r.code) } },
    ],
  };
}
