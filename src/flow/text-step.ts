/**
 * The text of a contribution, kept safe from slips: a question is answered and said not to be
 * added; a part with no word is refused; removing and clearing say what they do (clearing asks
 * first); an edited message replaces its own part; "Change → Text" shows the text and offers to
 * add to it, replace it or remove the last part.
 */
import { hasWordCharacter } from '../domain/match-text.js';
import { countWords } from '../domain/words.js';
import type { FlowContext, FlowResult } from './context.js';
import { emptyDraft, type ConversationState, type Draft } from './state.js';
import { nested, userText, type Reply } from './replies.js';
import { choicesFor, promptFor } from './prompts.js';
import { faqReply } from './questions.js';
import type { Understanding } from '../understanding/index.js';
import { socialReply } from './understood.js';
import { MAX_DRAFT_CHARS, MAX_PART_CHARS } from './text-limits.js';

type Out = FlowResult;
const reply = (state: ConversationState, ctx: FlowContext, replies: Reply[]): Out => ({ state, replies: [...replies, promptFor(state, ctx)], effects: [] });

/** The first words of a part, to say which one is meant. */
export function excerpt(text: string, words = 8): string {
  const parts = text.trim().split(/\s+/);
  return parts.length <= words ? parts.join(' ') : `${parts.slice(0, words).join(' ')} …`;
}

/**
 * A typed message at the text step: a clear short question is answered; a greeting or thanks on
 * its own gets its short answer; a bare number that is also a button's number ("1" beside Done
 * on the console) asks which was meant; anything else is text.
 */
export function onBodyText(state: ConversationState, ctx: FlowContext, text: string, messageId: string | undefined, notes: Reply[], understood: Understanding): Out {
  switch (understood.kind) {
    case 'question':
      // Said so, so the person knows the message is not in their text and can send it again if it was.
      return reply(state, ctx, [...notes, { key: 'faq:notAdded' }, faqReply(understood.topic, ctx)]);
    case 'social':
      return reply(state, ctx, [...notes, socialReply(understood.act)]);
    case 'number': {
      const c = choicesFor(state, ctx).find((x) => x.id === understood.id)!;
      return reply(state, ctx, [...notes, { key: 'understanding:numberAtText', params: { n: understood.n, label: nested(c.key, c.params) } }]);
    }
  }
  return addPart(state, ctx, text, messageId ?? null, notes);
}

/**
 * Adds a part to the draft. `notes` are said whatever happens; `added` only when the part is
 * added (a file's "I read the text of …" is not said before "I did not add it").
 */
export function addPart(state: ConversationState, ctx: FlowContext, text: string, messageId: string | null, notes: Reply[] = [], added: Reply[] = []): Out {
  const draft = state.draft ?? emptyDraft();
  // The length first: a text far beyond the maximum is refused before a word of it is counted.
  if (text.length > MAX_PART_CHARS) {
    return reply(state, ctx, [...notes, { key: 'submit.partTooLong', params: { length: text.length, max: MAX_PART_CHARS, target: ctx.call.words.target } }]);
  }
  if (!hasWordCharacter(text) || countWords(text, state.locale ?? 'en') === 0) {
    return reply(state, ctx, [...notes, { key: 'submit.partNoWord' }]);
  }
  // "Replace the text": the old text goes only now that a new one has arrived.
  const base: Draft = draft.replacing ? { ...draft, parts: [], partIds: [], replacing: false } : draft;
  const total = base.parts.reduce((n, p) => n + p.length, 0) + text.length;
  if (total > MAX_DRAFT_CHARS) {
    return reply(state, ctx, [...notes, { key: 'submit.draftTooLong', params: { max: MAX_DRAFT_CHARS } }]);
  }
  const next: Draft = { ...base, parts: [...base.parts, text], partIds: [...base.partIds, messageId] };
  const s: ConversationState = { ...state, step: 'body', draft: next };
  const said: Reply[] = draft.replacing ? [{ key: 'submit.replaced' }] : [];
  return { state: s, replies: [...notes, ...added, ...said, promptFor(s, ctx)], effects: [] };
}

/** Removes the last part and says which one it was. */
function removeLast(state: ConversationState, ctx: FlowContext, draft: Draft): { draft: Draft; said: Reply } {
  const last = draft.parts.at(-1);
  if (last === undefined) return { draft, said: { key: 'submit.nothingToRemove' } };
  const next = { ...draft, parts: draft.parts.slice(0, -1), partIds: draft.partIds.slice(0, -1) };
  return { draft: next, said: { key: 'submit.undone', params: { excerpt: userText(excerpt(last)) } } };
}

/** Buttons of the text step, the clearing confirmation and the text options. */
export function onTextChoice(state: ConversationState, ctx: FlowContext, id: string): Out {
  const draft = state.draft ?? emptyDraft();
  switch (id) {
    case 'body:undo': {
      const r = removeLast(state, ctx, draft);
      return reply({ ...state, draft: r.draft }, ctx, [r.said]);
    }
    case 'body:clear':
      return reply({ ...state, step: 'confirm-clear' }, ctx, []);
    case 'clear:yes':
      return reply({ ...state, step: 'body', draft: { ...draft, parts: [], partIds: [], replacing: false } }, ctx, [{ key: 'submit.cleared' }]);
    case 'clear:no':
      return reply({ ...state, step: 'body' }, ctx, [{ key: 'submit.clearKept' }]);
    case 'textopt:add':
      return reply({ ...state, step: 'body', draft: { ...draft, returnToReview: true, replacing: false } }, ctx, []);
    case 'textopt:replace':
      return reply({ ...state, step: 'body', draft: { ...draft, returnToReview: true, replacing: true } }, ctx, []);
    case 'textopt:undo': {
      const r = removeLast(state, ctx, draft);
      return reply({ ...state, draft: r.draft }, ctx, [r.said]);
    }
    default: // replace:keep — the text stays as it was
      return reply({ ...state, step: 'review', draft: { ...draft, replacing: false } }, ctx, [{ key: 'submit.clearKept' }]);
  }
}

/**
 * An edited message. If it is a part of the draft, the edit replaces that part and the new count
 * is shown; anything else gets one short note (never a second submission: a sent contribution is
 * changed only through "My contributions").
 */
export function onEdit(state: ConversationState, ctx: FlowContext, text: string, messageId: string | undefined): Out {
  const draft = state.draft;
  const index = draft && messageId !== undefined ? draft.partIds.indexOf(messageId) : -1;
  if (!draft || index < 0) return { state, replies: [{ key: 'errors.edited' }], effects: [] };
  if (!hasWordCharacter(text) || countWords(text, state.locale ?? 'en') === 0) {
    return { state, replies: [{ key: 'submit.editNoWord', params: { n: index + 1 } }], effects: [] };
  }
  const parts = draft.parts.map((p, i) => (i === index ? text : p));
  const s: ConversationState = { ...state, draft: { ...draft, parts } };
  // The count follows in the step's own line, once.
  return reply(s, ctx, [{ key: 'submit.partEdited', params: { n: index + 1 } }]);
}
