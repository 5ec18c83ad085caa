/**
 * An organiser's review decision: recorded with who made it and when, then told to the author in
 * their own language on their own platform. Asking for a revision reopens editing (the flow lets a
 * contribution in state revision_requested be changed) and says what to change.
 */
import type { Decision, DecisionResult } from '../core/ports.js';
import type { Dispatcher } from '../core/dispatcher.js';
import type { NoticeOutcome } from '../core/notifier.js';
import { ltr, nested, type Reply } from '../flow/replies.js';

export interface DecisionOutcome {
  result: DecisionResult['status'];
  /** How the author was told (absent when nothing was recorded). */
  notice?: NoticeOutcome;
  /** Why it was held, failed or refused (a platform code such as telegram:403), when it was. */
  noticeReason?: string;
}

export async function decide(
  dispatcher: Dispatcher,
  input: { code: string; decision: Decision; actor: string; note: string | null },
): Promise<DecisionOutcome> {
  const { store, call } = dispatcher.deps;
  const at = dispatcher.now();
  const result = await store.recordDecision({ code: input.code, to: input.decision, actor: input.actor, note: input.note, at });
  if (result.status !== 'recorded') return { result: result.status };
  const c = result.contribution;
  const notice: Reply = {
    key: `decision.${input.decision}`,
    params: { code: ltr(c.code), topic: nested(`${call.textsNamespace}:topics.${c.topic}.short`) },
    more: input.note ? [{ key: 'decision.note', params: { note: input.note } }] : [],
  };
  const told = await dispatcher.notifier.notifyDetailed(result.participant.id, notice);
  return { result: 'recorded', notice: told.outcome, ...(told.reason && told.outcome !== 'held' ? { noticeReason: told.reason } : {}) };
}
