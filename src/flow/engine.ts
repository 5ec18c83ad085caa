/**
 * The conversation: (state, input, context) → { state, replies, effects }. Pure: no I/O, no
 * platform, no clock or randomness of its own. Every input gets an answer, and an unexpected one
 * (an old button, a sticker, a command mid-step) leaves the conversation where it was.
 */
import { callPhase } from '../domain/call-definition.js';
import { cleanText } from '../domain/text.js';
import type { Locale } from '../domain/records.js';
import type { DataEffect } from '../domain/effects.js';
import type { FileProblem, FlowContext, FlowInput, FlowResult } from './context.js';
import { MAX_PART_CHARS } from './text-limits.js';
import { emptyDraft, type ConversationState, type StepName } from './state.js';
import { ltr, nested, userText, type Reply } from './replies.js';
import { activeContributions, choicesFor, promptFor, SHOW_TEXT, staleChoice } from './prompts.js';
import { readChoice } from './choice-match.js';
import { announcementsToggle, reenableOnStart } from './announcements-optout.js';
import {
  chooseTopic, confirm, onBodyChoice, onDetail, onEditPick, resumeStep, startSubmission, useSameDetails,
} from './submit.js';
import { addPart, onBodyText, onEdit, onTextChoice } from './text-step.js';
import { aboutReplies, faqReply } from './questions.js';
import { deepLinkTopic, firstContact, greeting, onLanguage, writtenSwitch } from './first-contact.js';
import type { MenuAction } from '../domain/menu-intent.js';
import type { Understanding } from '../understanding/index.js';
import { socialReply, stepAgain } from './understood.js';
import { languageFromName } from '../domain/language-names.js';
import { languageOfText } from '../domain/script-language.js';

type Out = FlowResult;
const SUBMISSION_STEPS = new Set<StepName>(['topic', 'name', 'organisation', 'country', 'email', 'body', 'review', 'edit-pick', 'draft-found', 'confirm-clear', 'text-options']);

function answer(state: ConversationState, ctx: FlowContext, before: Reply[] = [], effects: DataEffect[] = []): Out {
  return { state, replies: [...before, promptFor(state, ctx)], effects };
}

export function step(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  // Typed words that name a button are that button, for everything below (choice-match.ts).
  const read = readChoice(state, input, ctx);
  if (read.kind === 'choice' && read.id === SHOW_TEXT.id && state.receipt) return showReceiptText(state, state.receipt, ctx);
  // The receipt's "Show my text" lasts one message: whatever comes next, it is gone.
  const current = state.receipt ? { ...state, receipt: null } : state;
  return reenableOnStart(read, ctx, stepInner(current, read, ctx));
}

/** "Show my text" under a receipt: the text the receipt leaves out, then the step again. */
function showReceiptText(state: ConversationState, code: string, ctx: FlowContext): Out {
  const s = { ...state, receipt: null };
  const c = ctx.contributions.find((x) => x.code === code);
  if (!c) return staleChoice(s, ctx);
  return answer(s, ctx, [{ key: 'receipt.text', params: { code: ltr(c.code), text: userText(c.text) } }]);
}

function stepInner(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  // First contact: a greeting that says this is an automated bot, then the language choice.
  if (!state.greeted) return firstContact(state, input, ctx);
  const toggled = announcementsToggle(state, input, ctx);
  if (toggled) return toggled;
  switch (input.kind) {
    case 'command':
      return onCommand(state, input.command, input.args, ctx);
    case 'file':
      return onFile(state, input, ctx);
    case 'edit':
      return onEdit(state, ctx, cleanText(input.text).text, input.messageId);
    case 'choice':
      if (!choicesFor(state, ctx).some((c) => c.id === input.id)) return staleChoice(state, ctx);
      return onChoice(state, input.id, ctx);
    case 'text':
      return onText(state, input.text, input.messageId, ctx, input.understood ?? { kind: 'none' });
  }
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
    case 'about':
      // From any step, and back to it: the step's question follows.
      return answer(state, ctx, aboutReplies(ctx));
    default:
      return answer(state, ctx, [{ key: 'errors.unknownCommand', params: { command: ltr(`/${command.slice(0, 32)}`) } }]);
  }
}

function helpReply(ctx: FlowContext): Reply {
  return { key: 'help.text', params: { email: ltr(ctx.call.contact.email), target: ctx.call.words.target } };
}

/**
 * Whether a file sent now would be read: a document, at the text step. The core fetches a
 * document only when this says so; anywhere else it is answered without being downloaded.
 */
export function takesFile(state: ConversationState, media: Extract<FlowInput, { kind: 'file' }>['media']): boolean {
  return state.greeted && media === 'document' && state.step === 'body';
}

const FILE_PROBLEMS: Record<FileProblem, string> = {
  'too-large': 'files.tooLarge',
  'too-long': 'files.tooLong',
  'too-complex': 'files.tooComplex',
  'unsupported-type': 'files.unsupported',
  unreadable: 'files.unreadable',
};

function onFile(state: ConversationState, input: Extract<FlowInput, { kind: 'file' }>, ctx: FlowContext): Out {
  if (input.media !== 'document') return answer(state, ctx, [{ key: 'files.media', params: { media: nested(`files.kinds.${input.media}`) } }]);
  if (!takesFile(state, input.media)) return answer(state, ctx, [{ key: 'files.onlyInBody' }]);
  const params = { name: ltr(input.fileName ?? ''), max: MAX_PART_CHARS, target: ctx.call.words.target };
  if (input.problem || input.text === undefined) return answer(state, ctx, [{ key: FILE_PROBLEMS[input.problem ?? 'unreadable'], params }]);
  const { text, removedControls } = cleanText(input.text);
  // Said as for typed text: what is kept is not exactly what the file held.
  const notes: Reply[] = removedControls ? [{ key: 'files.controlsRemoved', params }] : [];
  if (text === '') return answer(state, ctx, [...notes, { key: 'files.empty', params }]);
  // One answer for a file too long to add: not "I read it" and then "I did not add it".
  if (text.length > MAX_PART_CHARS) return answer(state, ctx, [...notes, { key: 'files.tooLong', params }]);
  return addPart(state, ctx, text, input.messageId ?? null, notes, [{ key: 'files.read', params }]);
}

function onText(state: ConversationState, raw: string, messageId: string | undefined, ctx: FlowContext, understood: Understanding): Out {
  const { text, removedControls } = cleanText(raw);
  if (text === '') return answer(state, ctx, [{ key: 'errors.empty' }]);
  const notes: Reply[] = removedControls ? [{ key: 'errors.controlsRemoved' }] : [];
  switch (state.step) {
    case 'name':
    case 'organisation':
    case 'country':
    case 'email': {
      // "Who reads it?" at the name question is a question, not a name; "hello" is not one either.
      if (understood.kind === 'question') return answer(state, ctx, [...notes, faqReply(understood.topic, ctx)]);
      if (understood.kind === 'social') return answer(state, ctx, [...notes, socialReply(understood.act)]);
      const out = onDetail(state, ctx, state.step, text.replace(/\s+/g, ' '));
      return { ...out, replies: [...notes, ...out.replies] };
    }
    case 'body':
      return onBodyText(state, ctx, text, messageId, notes, understood);
    case 'language': {
      const named = languageFromName(text);
      if (named) return onLanguage(state, named, ctx);
      // On the three-language first screen, words in a script choose that language (a question
      // among them is answered first).
      const chosen = state.locale === null && state.consent === null ? languageOfText(text) : null;
      if (chosen) {
        const out = onLanguage(state, chosen, ctx);
        // A greeting is greeted back, a question answered, before the terms in that language.
        const asked = understood.kind === 'question' ? [faqReply(understood.topic, ctx)]
          : understood.kind === 'social' ? [socialReply(understood.act)] : [];
        return { ...out, replies: [...notes, ...asked, ...out.replies] };
      }
      // Before a language is agreed, the script a person writes in decides the language of the
      // answer and which language is offered first.
      const written = state.consent === null ? languageOfText(text) : null;
      if (!written) return onFreeText(state, ctx, notes, understood);
      // The greeting came in another language (the app's, or none): it is said again in theirs.
      const greetAgain: Reply[] = written !== (state.locale ?? ctx.localeHint ?? 'en') ? [greeting(ctx)] : [];
      // A greeting typed back is answered by the greeting said again in its language, not by a second one.
      if (greetAgain.length > 0 && understood.kind === 'social' && understood.act === 'greeting') return answer({ ...state, locale: written }, ctx, [...notes, ...greetAgain]);
      return onFreeText({ ...state, locale: written }, ctx, [...notes, ...greetAgain], understood);
    }
    case 'consent': {
      // The first terms came in the hinted language; a language named, or written in clearly,
      // switches them (the greeting again, and a question answered), before anything is agreed.
      const switched = state.consent === null ? languageFromName(text) ?? writtenSwitch(state.locale, text) : null;
      if (switched && switched !== state.locale) {
        const out = onLanguage(state, switched, ctx);
        const asked = understood.kind === 'question' ? [faqReply(understood.topic, ctx)] : [];
        return { ...out, replies: [...notes, ...out.replies.slice(0, -1), ...asked, ...out.replies.slice(-1)] };
      }
      return onFreeText(state, ctx, notes, understood);
    }
    default:
      // A choice-only step: typed numbers and button words were read as choices in step().
      return onFreeText(state, ctx, notes, understood);
  }
}

/**
 * Free text at a step with choices: a question gets its answer; at the menu, words that name one
 * of its actions ("I want to submit…") are that action; anything else, what can be done.
 */
function onFreeText(state: ConversationState, ctx: FlowContext, notes: Reply[], understood: Understanding): Out {
  switch (understood.kind) {
    case 'question':
      return stepAgain(state, ctx, [...notes, faqReply(understood.topic, ctx)]);
    case 'social':
      // A greeting, thanks or "ok" gets a short, warm answer, then the step again: never "I did not understand".
      return stepAgain(state, ctx, [...notes, socialReply(understood.act)]);
    case 'menu': {
      const named = state.step === 'menu' ? offeredMenuChoice(understood.action, state, ctx) : null;
      if (named) {
        const out = onChoice(state, named, ctx);
        return { ...out, replies: [...notes, ...out.replies] };
      }
      break;
    }
  }
  // At the terms (a long text) one short line says how to answer, instead of the whole text again.
  if (state.step === 'consent') return stepAgain(state, ctx, notes);
  return answer(state, ctx, [...notes, { key: 'faq:unclear' }]);
}

/** The menu's choice for a named action; without consent, "send a contribution" is "Review the terms" first. */
function offeredMenuChoice(action: MenuAction | null, state: ConversationState, ctx: FlowContext): string | null {
  if (!action) return null;
  const offered = new Set(choicesFor(state, ctx).map((c) => c.id));
  const id = `menu:${action}`;
  if (offered.has(id)) return id;
  return action === 'submit' && offered.has('menu:consent') ? 'menu:consent' : null;
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
    case 'clear':
    case 'textopt':
    case 'replace':
      return onTextChoice(state, ctx, id);
    case 'review':
      return value === 'confirm' ? confirm(state, ctx) : answer({ ...state, step: 'edit-pick' }, ctx);
    case 'edit':
      return onEditPick(state, ctx, id);
    case 'draft':
      if (value === 'continue' && state.draft) return answer({ ...state, step: resumeStep(state.draft), pendingTopic: null }, ctx);
      return startSubmission({ ...state, draft: null }, ctx, state.pendingTopic);
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
      return { state: { ...state, step: 'language', consent: null, draft: null, greeted: false }, replies: [{ key: 'delete.done', params: { email: ltr(ctx.call.contact.email) } }], effects: [{ type: 'participant.erase', at: ctx.now }] };
    default:
      return staleChoice(state, ctx);
  }
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

function onMine(state: ConversationState, action: string, code: string, ctx: FlowContext): Out {
  const c = activeContributions(ctx).find((x) => x.code === code);
  if (!c) return staleChoice({ ...state, step: 'mine' }, ctx);
  if (callPhase(ctx.call, ctx.now) !== 'open') return answer({ ...state, step: 'mine' }, ctx, [{ key: 'call.closedShort' }]);
  if (action === 'withdraw') return answer({ ...state, step: 'confirm-withdraw', target: c.code }, ctx);
  // Never overwrite a new draft the person has not sent yet: they finish or discard it first.
  const d = state.draft;
  if (d && !d.editingCode && (d.parts.length > 0 || d.topic !== null)) {
    return answer({ ...state, step: 'draft-found' }, ctx, [{ key: 'mine.draftInProgress', params: { code: ltr(c.code) } }]);
  }
  // The review names the contribution and shows it: no "here it is" note before it.
  const draft = { ...emptyDraft(), topic: c.topic, details: { ...c.details }, parts: [c.text], partIds: [null], editingCode: c.code };
  return answer({ ...state, step: 'review', draft }, ctx);
}
