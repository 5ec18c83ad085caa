/**
 * Typed answers to a question with choices, read by the understanding component
 * (src/understanding) once per message: "2", "٢", "۲." pick the second choice; a choice's label
 * in any of the three languages picks it; "yes", «نعم», «بەڵێ», "I agree to the terms" answer a
 * yes/no question; a button's visible text ("2 · Rebuilding Iraq") stands for a button this step
 * does not know. Everything else comes back as text carrying what was understood (a greeting, a
 * question, a menu action), so no step reads the message a second time.
 *
 * The flow is the one owner of this reading (readChoice, called first thing in step()): it knows
 * the step's choices, whether the person was greeted, and that at the text step a number is text.
 * The core only maps platform events to flow inputs and lends the flow its renderer for the labels
 * (FlowContext.label), so no core code reads the flow's state to guess what a message means.
 */
import { LOCALES } from '../domain/records.js';
import { understand, type ShownChoice } from '../understanding/index.js';
import { isAnnouncementsToggle } from './announcements-optout.js';
import type { FlowContext, FlowInput } from './context.js';
import { choicesFor } from './prompts.js';
import type { ConversationState } from './state.js';

/** The step's choices with their labels in every language (and the short label of small buttons). */
export function shownChoices(state: ConversationState, ctx: FlowContext): ShownChoice[] {
  return choicesFor(state, ctx).map((c) => ({
    id: c.id,
    labels: LOCALES.flatMap((l) => [ctx.label(c, l), ...(c.short ? [ctx.label({ id: c.id, key: c.short.key, params: c.short.params }, l)] : [])]),
  }));
}

/**
 * The input as the step reads it: typed words that name one of the step's choices are that
 * choice, and a button this step does not offer but whose visible text came along (a keyboard
 * from an older release, Messenger's `TOPIC_2` with "2 · Rebuilding Iraq") is read by that text.
 * The announcements' stop/on buttons are offered at every step: Messenger sends them with their
 * text too (as quick replies under a long announcement), and they stay presses.
 */
export function readChoice(state: ConversationState, input: FlowInput, ctx: FlowContext): FlowInput {
  if (input.kind === 'choice') {
    const offered = () => isAnnouncementsToggle(input.id) || choicesFor(state, ctx).some((c) => c.id === input.id);
    if (input.fallbackText !== undefined && !offered()) {
      // Read by its text when that names a choice here; otherwise it stays an old button (said so).
      const read = readText(state, { kind: 'text', text: input.fallbackText, messageId: input.messageId }, ctx, true);
      if (read.kind === 'choice') return read;
    }
    return { kind: 'choice', id: input.id };
  }
  // Before the greeting every message is a first word, not an answer to a question.
  if (input.kind !== 'text' || !state.greeted) return input;
  return readText(state, input, ctx, false);
}

/** Steps that ask for a detail in words: a name there is not a question ("Hama", "Basra"). */
const TEXT_DETAILS = new Set(['name', 'organisation', 'country', 'email']);

function readText(state: ConversationState, input: Extract<FlowInput, { kind: 'text' }>, ctx: FlowContext, fromButton: boolean): FlowInput {
  const body = state.step === 'body';
  const expectsText = body || TEXT_DETAILS.has(state.step);
  const understood = understand(input.text, {
    choices: shownChoices(state, ctx),
    // While a person writes their text, a number is text ("3." heading a paragraph); a bare
    // number that is also a button's is asked about (text-step.ts), never silently added.
    numbers: !body,
    textStep: expectsText,
    fromButton,
    menu: state.step === 'menu',
    nameAsked: state.step === 'name',
    okIsYes: state.step === 'consent',
    // After declining, the menu's "Review the terms" is what "I agree to the terms" asks for: the
    // terms again, to agree to them there (the entry was once labelled "I agree to the terms").
    yesMeans: state.step === 'menu' && state.consent !== 'given' ? 'menu:consent' : undefined,
  });
  if (understood.kind === 'choice') return { kind: 'choice', id: understood.id };
  return { ...input, understood };
}
