/**
 * The flow's answers to what the understanding component read (src/understanding): a short, warm
 * line for a greeting, thanks or "ok", and the step's question asked again — at the terms, whose
 * text is long and was just shown, as one short line with the same buttons.
 */
import type { SocialAct } from '../understanding/index.js';
import type { FlowContext, FlowResult } from './context.js';
import { choicesFor, promptFor } from './prompts.js';
import type { Reply } from './replies.js';
import type { ConversationState } from './state.js';

export function socialReply(act: SocialAct): Reply {
  return { key: `understanding:social.${act}` };
}

/** `before`, then the step's question: the terms as one short line ("Reply 1 or yes to agree…"). */
export function stepAgain(state: ConversationState, ctx: FlowContext, before: Reply[]): FlowResult {
  const again: Reply = state.step === 'consent' ? { key: 'understanding:consentAgain', choices: choicesFor(state, ctx) } : promptFor(state, ctx);
  return { state, replies: [...before, again], effects: [] };
}
