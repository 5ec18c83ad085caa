/**
 * An organiser's review decision: recorded with who made it and when, then told to the author in
 * their own language on their own platform. Asking for a revision reopens editing (the flow lets a
 * contribution in state revision_requested be changed) and says what to change.
 */
import type { Decision, DecisionResult } from '../core/ports.js';
import type { OrganiserCore } from '../core/bot-core.js';
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
  core: Pick<OrganiserCore, 'call' | 'now' | 'recordDecision' | 'notifyAuthor'>,
  input: { code: string; decision: Decision; actor: string; note: string | null },
): Promise<DecisionOutcome> {
  const { call } = core;
  const at = core.now();
  const result = await core.recordDecision({ code: input.code, to: input.decision, actor: input.actor, note: input.note, at });
  if (result.status !== 'recorded') return { result: result.status };
  const c = result.contribution;
  const notice: Reply = {
    key: `decision.${input.decision}`,
    params: { code: ltr(c.code), topic: nested(`${call.textsNamespace}:topics.${c.topic}.short`) },
    more: input.note ? [{ key: 'decision.note', params: { note: input.note } }] : [],
  };
  const told = await core.notifyAuthor(result.participant.id, notice);
  return { result: 'recorded', notice: told.outcome, ...(told.reason && told.outcome !== 'held' ? { noticeReason: told.reason } : {}) };
}
