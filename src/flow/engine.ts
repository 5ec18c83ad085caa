/**
 * The conversation: (state, input, context) → { state, replies, effects }. Pure: no I/O, no
 * platform, no clock or randomness of its own. Every input gets an answer, and an unexpected one
 * (an old button, a sticker, a command mid-step) leaves the conversation where it was.
 */
import { callPhase } from '../domain/call-definition.js';
import { cleanText } from '../domain/text.js';
import { LOCALES, type Locale } from '../domain/records.js';
import type { DataEffect } from '../core/ports.js';
import type { FlowContext, FlowInput, FlowResult } from './context.js';
import { emptyDraft, type ConversationState, type StepName } from './state.js';
import { ltr, nested, type Reply } from './replies.js';
import { activeContributions, choicesFor, promptFor } from './prompts.js';
import { announcementsToggle, reenableOnStart } from './announcements-optout.js';
import {
  addPart, chooseTopic, confirm, onBodyChoice, onDetail, onEditPick, resumeStep, startSubmission, useSameDetails,
} from './submit.js';

type Out = FlowResult;
const SUBMISSION_STEPS = new Set<StepName>(['topic', 'name', 'organisation', 'country', 'email', 'body', 'review', 'edit-pick', 'draft-found']);

function answer(state: ConversationState, ctx: FlowContext, before: Reply[] = [], effects: DataEffect[] = []): Out {
  return { state, replies: [...before, promptFor(state, ctx)], effects };
}

export function step(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  return reenableOnStart(input, ctx, stepInner(state, input, ctx));
}

function stepInner(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  // First contact: a greeting that says this is an automated bot, then the language choice.
  if (!state.greeted) {
    const s: ConversationState = { ...state, greeted: true, step: 'language' };
    if (input.kind === 'command' && input.command === 'start') s.pendingTopic = deepLinkTopic(input.args, ctx);
    return answer(s, ctx, [{ key: 'start.greeting', params: { email: ltr(ctx.call.contact.email) } }]);
  }
  const toggled = state.greeted ? announcementsToggle(state, input, ctx) : null;
  if (toggled) return toggled;
  switch (input.kind) {
    case 'command':
      return onCommand(state, input.command, input.args, ctx);
    case 'file':
      return onFile(state, input, ctx);
    case 'edit':
      return answer(state, ctx, [{ key: 'errors.edited' }]);
    case 'choice':
      if (!choicesFor(state, ctx).some((c) => c.id === input.id)) return answer(state, ctx, [{ key: 'errors.oldButton' }]);
      return onChoice(state, input.id, ctx);
    case 'text':
      return onText(state, input.text, ctx);
  }
}

function deepLinkTopic(args: string, ctx: FlowContext): number | null {
  const m = /^topic([1-9])$/.exec(args.trim());
  const n = m ? Number(m[1]) : null;
  return n !== null && ctx.call.topics.includes(n) ? n : null;
}

function onCommand(state: ConversationState, command: string, args: string, ctx: FlowContext): Out {
  switch (command) {
    case 'start': {
      const topic = deepLinkTopic(args, ctx);
      if (state.locale === null) return answer({ ...state, step: 'language', pendingTopic: topic }, ctx);
      if (state.consent !== 'given') return answer({ ...state, step: 'consent', pendingTopic: topic ?? state.pendingTopic }, ctx);
      if (topic !== null) return startSubmission(state, ctx, topic);
      // A /start in the middle of writing (a restarted app, a stray tap) continues where it was.
      if (SUBMISSION_STEPS.has(state.step)) return answer(state, ctx, [{ key: 'start.welcomeBack' }]);
      return answer({ ...state, step: 'menu' }, ctx, [{ key: 'start.welcomeBack' }]);
    }
    case 'help':
      return answer(state, ctx, [helpReply(ctx)]);
    case 'lang':
    case 'language':
      return answer({ ...state, step: 'language', returnTo: state.step === 'language' ? state.returnTo : state.step }, ctx);
    case 'status':
    case 'mine':
      return answer({ ...state, step: 'mine' }, ctx);
    case 'menu':
      return answer({ ...state, step: state.locale ? (state.consent ? 'menu' : 'consent') : 'language' }, ctx);
    case 'cancel': {
      if (SUBMISSION_STEPS.has(state.step)) {
        const kept = state.draft && (state.draft.parts.length > 0 || state.draft.topic !== null);
        return answer({ ...state, step: 'menu' }, ctx, [{ key: kept ? 'cancel.draftKept' : 'cancel.done' }]);
      }
      if (state.step === 'confirm-withdraw' || state.step === 'confirm-delete' || state.step === 'mine') {
        return answer({ ...state, step: 'menu' }, ctx, [{ key: 'cancel.done' }]);
      }
      return answer(state, ctx, [{ key: 'cancel.nothing' }]);
    }
    case 'delete':
      return answer({ ...state, step: 'confirm-delete', returnTo: state.step === 'confirm-delete' ? state.returnTo : state.step }, ctx);
    default:
      return answer(state, ctx, [{ key: 'errors.unknownCommand', params: { command: ltr(`/${command.slice(0, 32)}`) } }]);
  }
}

function helpReply(ctx: FlowContext): Reply {
  return { key: 'help.text', params: { email: ltr(ctx.call.contact.email) } };
}

function onFile(state: ConversationState, input: Extract<FlowInput, { kind: 'file' }>, ctx: FlowContext): Out {
  if (input.media !== 'document') return answer(state, ctx, [{ key: 'files.media', params: { media: nested(`files.kinds.${input.media}`) } }]);
  if (state.step !== 'body') return answer(state, ctx, [{ key: 'files.onlyInBody' }]);
  if (input.problem || input.text === undefined) {
    const key = input.problem === 'too-large' ? 'files.tooLarge' : input.problem === 'unsupported-type' ? 'files.unsupported' : 'files.unreadable';
    return answer(state, ctx, [{ key, params: { name: ltr(input.fileName ?? '') } }]);
  }
  const { text } = cleanText(input.text);
  if (text === '') return answer(state, ctx, [{ key: 'files.empty', params: { name: ltr(input.fileName ?? '') } }]);
  return addPart(state, ctx, text, [{ key: 'files.read', params: { name: ltr(input.fileName ?? '') } }]);
}

function onText(state: ConversationState, raw: string, ctx: FlowContext): Out {
  const { text, removedControls } = cleanText(raw);
  if (text === '') return answer(state, ctx, [{ key: 'errors.empty' }]);
  const notes: Reply[] = removedControls ? [{ key: 'errors.controlsRemoved' }] : [];
  switch (state.step) {
    case 'name':
    case 'organisation':
    case 'country':
    case 'email': {
      const out = onDetail(state, ctx, state.step, text.replace(/\s+/g, ' '));
      return { ...out, replies: [...notes, ...out.replies] };
    }
    case 'body':
      return addPart(state, ctx, text, notes);
    default:
      // A choice-only step: the core has already matched typed numbers and button words.
      return answer(state, ctx, [{ key: 'errors.chooseOption' }]);
  }
}

function onChoice(state: ConversationState, id: string, ctx: FlowContext): Out {
  const [group, value, arg] = id.split(':') as [string, string, string | undefined];
  switch (group) {
    case 'lang':
      return onLanguage(state, value as Locale, ctx);
    case 'consent':
      return onConsent(state, value === 'yes', ctx);
    case 'menu':
      return onMenu(state, value, ctx);
    case 'topic':
      return chooseTopic(state, ctx, Number(value));
    case 'details':
      return useSameDetails(state, ctx);
    case 'skip':
      return onDetail(state, ctx, value as 'organisation' | 'country' | 'email', null);
    case 'body':
      return onBodyChoice(state, ctx, id);
    case 'review':
      return value === 'confirm' ? confirm(state, ctx) : answer({ ...state, step: 'edit-pick' }, ctx);
    case 'edit':
      return onEditPick(state, ctx, id);
    case 'draft':
      if (value === 'continue' && state.draft) return answer({ ...state, step: resumeStep(state.draft) }, ctx);
      return startSubmission({ ...state, draft: null }, ctx, null);
    case 'mine':
      return onMine(state, value, arg ?? '', ctx);
    case 'withdraw':
      if (value !== 'yes' || !state.target) return answer({ ...state, step: 'mine', target: null }, ctx);
      return answer({ ...state, step: 'menu', target: null }, ctx, [{ key: 'mine.withdrawn', params: { code: ltr(state.target) } }],
        [{ type: 'contribution.withdraw', code: state.target, at: ctx.now }]);
    case 'delete':
      if (value !== 'yes') return answer({ ...state, step: state.returnTo ?? 'menu', returnTo: null }, ctx, [{ key: 'delete.kept' }]);
      // The store deletes the conversation with the person's data: what is returned here as state
      // is not kept, and the next message starts afresh.
      return { state: { ...state, step: 'language', consent: null, draft: null, greeted: false }, replies: [{ key: 'delete.done' }], effects: [{ type: 'participant.erase', at: ctx.now }] };
    default:
      return answer(state, ctx, [{ key: 'errors.oldButton' }]);
  }
}

function onLanguage(state: ConversationState, locale: Locale, ctx: FlowContext): Out {
  if (!LOCALES.includes(locale)) return answer(state, ctx, [{ key: 'errors.oldButton' }]);
  const effects: DataEffect[] = ctx.participant ? [{ type: 'participant.locale', locale }] : [];
  const s: ConversationState = { ...state, locale };
  if (state.consent === null) return answer({ ...s, step: 'consent' }, ctx, [], effects);
  const back = state.returnTo && state.returnTo !== 'language' ? state.returnTo : 'menu';
  return answer({ ...s, step: back, returnTo: null }, ctx, [{ key: 'language.changed' }], effects);
}

function onConsent(state: ConversationState, given: boolean, ctx: FlowContext): Out {
  if (!given) {
    return answer({ ...state, consent: 'declined', step: 'menu', pendingTopic: null }, ctx, [{ key: 'consent.declined' }]);
  }
  const effects: DataEffect[] = [{ type: 'participant.consent', locale: state.locale ?? 'en', at: ctx.now }];
  const s: ConversationState = { ...state, consent: 'given' };
  if (state.pendingTopic !== null) {
    const out = startSubmission(s, ctx, state.pendingTopic);
    return { ...out, replies: [{ key: 'consent.thanks' }, ...out.replies], effects: [...effects, ...out.effects] };
  }
  return answer({ ...s, step: 'menu' }, ctx, [{ key: 'consent.thanks' }], effects);
}

function onMenu(state: ConversationState, item: string, ctx: FlowContext): Out {
  switch (item) {
    case 'about':
      return answer({ ...state, step: 'menu' }, ctx, aboutReplies(ctx));
    case 'submit':
      if (state.consent !== 'given') return answer({ ...state, step: 'consent' }, ctx, [{ key: 'consent.needed' }]);
      return startSubmission(state, ctx, null);
    case 'mine':
      return answer({ ...state, step: 'mine' }, ctx);
    case 'lang':
      return answer({ ...state, step: 'language', returnTo: 'menu' }, ctx);
    case 'help':
      return answer({ ...state, step: 'menu' }, ctx, [helpReply(ctx)]);
    case 'consent':
      return answer({ ...state, step: 'consent' }, ctx);
    default: // menu:back
      return answer({ ...state, step: 'menu' }, ctx);
  }
}

function aboutReplies(ctx: FlowContext): Reply[] {
  const ns = ctx.call.textsNamespace;
  const c = ctx.call;
  const phase = callPhase(c, ctx.now);
  return [
    { key: `${ns}:about.intro` },
    { key: `${ns}:about.event`, more: [{ key: `${ns}:about.meeting` }] },
    {
      key: `${ns}:about.takePart`,
      params: { target: c.words.target },
      more: [
        { key: phase === 'closed' ? 'call.closedShort' : c.deadline ? 'call.deadline' : 'call.noDeadline', params: c.deadline ? { time: { time: c.deadline.toISOString() } } : {} },
        { key: 'about.contact', params: { email: ltr(c.contact.email), website: ltr(c.contact.website), facebook: ltr(c.contact.facebook) } },
      ],
    },
  ];
}

function onMine(state: ConversationState, action: string, code: string, ctx: FlowContext): Out {
  const c = activeContributions(ctx).find((x) => x.code === code);
  if (!c) return answer({ ...state, step: 'mine' }, ctx, [{ key: 'errors.oldButton' }]);
  if (callPhase(ctx.call, ctx.now) !== 'open') return answer({ ...state, step: 'mine' }, ctx, [{ key: 'call.closedShort' }]);
  if (action === 'withdraw') return answer({ ...state, step: 'confirm-withdraw', target: c.code }, ctx);
  // Never overwrite a new draft the person has not sent yet: they finish or discard it first.
  const d = state.draft;
  if (d && !d.editingCode && (d.parts.length > 0 || d.topic !== null)) {
    return answer({ ...state, step: 'draft-found' }, ctx, [{ key: 'mine.draftInProgress' }]);
  }
  const draft = { ...emptyDraft(), topic: c.topic, details: { ...c.details }, parts: [c.text], editingCode: c.code };
  return answer({ ...state, step: 'review', draft }, ctx, [{ key: 'mine.editing', params: { code: ltr(c.code) } }]);
}
