/**
 * Typed answers to a question with choices: "2", "٢", "۲." pick the second choice, and the words
 * of a button ("Done", "تم") pick that button. A message that is only a small number is never a
 * meaningful name or contribution, so numbers pick choices in every step that shows choices (the
 * console numbers them).
 *
 * The flow is the one owner of this reading (readChoice, called first thing in step()): it knows
 * the step's choices, whether the person was greeted, and that at the text step a number is text.
 * The core only maps platform events to flow inputs and lends the flow its renderer for the labels
 * (FlowContext.label), so no core code reads the flow's state to guess what a message means, and
 * no step has to trust that someone else already matched its choices.
 */
import { normaliseDigits, parseSmallNumber } from '../domain/text.js';
import { isAnnouncementsToggle } from './announcements-optout.js';
import type { FlowContext, FlowInput } from './context.js';
import { choicesFor } from './prompts.js';
import type { ConversationState } from './state.js';

function simplify(s: string): string {
  return normaliseDigits(s)
    .normalize('NFC')
    .replace(/\u200c|\u200d|\u2068|\u2069|✓/g, '')
    .replace(/[.!؟?،,]+$/u, '')
    .trim()
    .toLocaleLowerCase();
}

export function matchTypedChoice(text: string, choices: { id: string; label: string }[], opts: { numbers?: boolean } = {}): string | null {
  if (choices.length === 0) return null;
  const n = opts.numbers === false ? null : parseSmallNumber(text);
  if (n !== null && n >= 1 && n <= choices.length) return choices[n - 1]!.id;
  const typed = simplify(text);
  if (typed === '') return null;
  for (const c of choices) {
    const label = simplify(c.label);
    // "2. Rebuilding Iraq" also matches "Rebuilding Iraq".
    if (typed === label || typed === label.replace(/^\d+\.\s*/, '')) return c.id;
  }
  return null;
}

/**
 * The input as the step reads it: typed words that name one of the step's choices are that
 * choice, and a button this step does not offer but whose visible text came along (a keyboard
 * from an older release) is read as that text, typed. The announcements' stop/on buttons are
 * offered at every step: Messenger sends them with their text too (as quick replies under a long
 * announcement), and they stay presses.
 */
export function readChoice(state: ConversationState, input: FlowInput, ctx: FlowContext): FlowInput {
  if (input.kind === 'choice') {
    const offered = () => isAnnouncementsToggle(input.id) || choicesFor(state, ctx).some((c) => c.id === input.id);
    if (input.fallbackText !== undefined && !offered()) {
      return readChoice(state, { kind: 'text', text: input.fallbackText, messageId: input.messageId }, ctx);
    }
    return { kind: 'choice', id: input.id };
  }
  // Before the greeting every message is a first word, not an answer to a question.
  if (input.kind !== 'text' || !state.greeted) return input;
  const choices = choicesFor(state, ctx);
  if (choices.length === 0) return input;
  const lng = state.locale ?? ctx.localeHint ?? 'en';
  const labelled = choices.map((c) => ({ id: c.id, label: ctx.label(c, lng) }));
  // While a person writes their text, a number or a short word is text ("3." heading a
  // paragraph); only a button's exact words pick it.
  const id = matchTypedChoice(input.text, labelled, { numbers: state.step !== 'body' });
  return id ? { kind: 'choice', id } : input;
}
