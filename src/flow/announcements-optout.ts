/**
 * Turning announcements off and on: `/stop` or the button under every announcement turns them off;
 * `/start` or the button under the confirmation turns them on again. Decisions about the person's
 * own contribution are not announcements: they still arrive (the notifier never reads this flag).
 * Handled before the steps, so it works from any step and leaves the conversation where it was.
 */
import type { DataEffect } from '../domain/effects.js';
import type { FlowContext, FlowInput, FlowResult } from './context.js';
import { promptFor } from './prompts.js';
import { choice, type Reply } from './replies.js';
import type { ConversationState } from './state.js';

/** Button ids on announcements (short ASCII: Telegram callback data is at most 64 bytes). */
export const STOP_CHOICE = 'ann:stop';
export const ON_CHOICE = 'ann:on';

/**
 * The two buttons answer from any step (they sit under announcements and the confirmation, not
 * under a question), so no step's choices list them: a press is always this press.
 */
export function isAnnouncementsToggle(id: string): boolean {
  return id === STOP_CHOICE || id === ON_CHOICE;
}

/** The answer to a stop or on request; null when the input is something else. */
export function announcementsToggle(state: ConversationState, input: FlowInput, ctx: FlowContext): FlowResult | null {
  const stop = (input.kind === 'command' && input.command === 'stop') || (input.kind === 'choice' && input.id === STOP_CHOICE);
  const on = input.kind === 'choice' && input.id === ON_CHOICE;
  if (!stop && !on) return null;
  const replies: Reply[] = [];
  const effects: DataEffect[] = [];
  if (!ctx.participant) {
    // Nothing stored about this person: no announcement reaches them anyway.
    replies.push({ key: 'announcements:optout.none' });
  } else if (stop) {
    effects.push({ type: 'participant.announcements', on: false, at: ctx.now });
    replies.push({ key: 'announcements:optout.stopped', choices: [choice(ON_CHOICE, 'announcements:optout.onButton')] });
  } else {
    effects.push({ type: 'participant.announcements', on: true, at: ctx.now });
    replies.push({ key: 'announcements:optout.on' });
  }
  return { state, replies: [...replies, promptFor(state, ctx)], effects };
}

/** `/start` from someone who turned announcements off turns them on again, with a word saying so. */
export function reenableOnStart(input: FlowInput, ctx: FlowContext, out: FlowResult): FlowResult {
  if (input.kind !== 'command' || input.command !== 'start' || !ctx.participant?.announcementsOffAt) return out;
  return {
    ...out,
    replies: [{ key: 'announcements:optout.on' }, ...out.replies],
    effects: [...out.effects, { type: 'participant.announcements', on: true, at: ctx.now }],
  };
}
