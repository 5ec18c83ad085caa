/**
 * The conversation: (state, input, context) → { state, replies, effects }. Pure: no I/O, no
 * platform, no clock or randomness of its own. Every input gets an answer, and an unexpected one
 * (an old button, a sticker, a command mid-step) leaves the conversation where it was.
 */
import { callPhase } from '../domain/call-definition.js';
import { cleanText } from '../domain/text.js';
import { LOCALES, type Locale } from '../domain/records.js';
import type { DataEffect } from '../domain/effects.js';
import type { FileProblem, FlowContext, FlowInput, FlowResult } from './context.js';
import { MAX_PART_CHARS } from './text-limits.js';
import { emptyDraft, type ConversationState, type StepName } from './state.js';
import { ltr, nested, type Reply } from './replies.js';
import { activeContributions, choicesFor, promptFor, staleChoice } from './prompts.js';
import { readChoice } from './choice-match.js';
import { announcementsToggle, reenableOnStart } from './announcements-optout.js';
import {
  chooseTopic, confirm, onBodyChoice, onDetail, onEditPick, resumeStep, startSubmission, useSameDetails,
} from './submit.js';
import { addPart, onBodyText, onEdit, onTextChoice } from './text-step.js';
import { answerQuestion, eventDays, meetingDays, topicLines } from './questions.js';
import { isShortQuestion } from '../domain/faq.js';
import { menuActionOf, type MenuAction } from '../domain/menu-intent.js';
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
  return reenableOnStart(read, ctx, stepInner(state, read, ctx));
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
      return onText(state, input.text, input.messageId, ctx);
  }
}

/**
 * The greeting, in the language of the first words when they have letters (a Sorani message gets
 * Sorani, whatever the app's language), then a question answered if one was asked, then the
 * language choice with that language first.
 */
function firstContact(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  const s: ConversationState = { ...state, greeted: true, step: 'language' };
  const extra: Reply[] = [];
  if (input.kind === 'command' && input.command === 'start') s.pendingTopic = deepLinkTopic(input.args, ctx);
  if (input.kind === 'command' && input.command === 'about') extra.push(...aboutReplies(ctx));
  if (input.kind === 'text') {
    const { text } = cleanText(input.text);
    const lang = languageFromName(text) ?? languageOfText(text);
    if (lang) s.locale = lang;
    const answered = answerQuestion(text, ctx);
    if (answered) extra.push(answered);
  }
  return answer(s, ctx, [greeting(ctx), ...extra]);
}

function greeting(ctx: FlowContext): Reply {
  // The role, not the key, tells a platform this is the greeting (adapters know no flow keys).
  return { key: 'start.greeting', params: { email: ltr(ctx.call.contact.email) }, role: 'greeting' };
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

function onText(state: ConversationState, raw: string, messageId: string | undefined, ctx: FlowContext): Out {
  const { text, removedControls } = cleanText(raw);
  if (text === '') return answer(state, ctx, [{ key: 'errors.empty' }]);
  const notes: Reply[] = removedControls ? [{ key: 'errors.controlsRemoved' }] : [];
  switch (state.step) {
    case 'name':
    case 'organisation':
    case 'country':
    case 'email': {
      // "Who reads it?" at the name question is a question, not a name.
      const asked = isShortQuestion(text) ? answerQuestion(text, ctx) : null;
      if (asked) return answer(state, ctx, [...notes, asked]);
      const out = onDetail(state, ctx, state.step, text.replace(/\s+/g, ' '));
      return { ...out, replies: [...notes, ...out.replies] };
    }
    case 'body':
      return onBodyText(state, ctx, text, messageId, notes);
    case 'language': {
      const named = languageFromName(text);
      if (named) return onLanguage(state, named, ctx);
      // Before a language is agreed, the script a person writes in decides the language of the
      // answer and which language is offered first.
      const written = state.consent === null ? languageOfText(text) : null;
      if (!written) return onFreeText(state, text, ctx, notes);
      // The greeting came in another language (the app's, or none): it is said again in theirs.
      const greetAgain: Reply[] = written !== (state.locale ?? ctx.localeHint ?? 'en') ? [greeting(ctx)] : [];
      return onFreeText({ ...state, locale: written }, text, ctx, [...notes, ...greetAgain]);
    }
    default:
      // A choice-only step: typed numbers and button words were read as choices in step().
      return onFreeText(state, text, ctx, notes);
  }
}

/**
 * Free text at a step with choices: a question gets its answer; at the menu, words that name one
 * of its actions ("I want to submit…") are that action; anything else, what can be done.
 */
function onFreeText(state: ConversationState, text: string, ctx: FlowContext, notes: Reply[]): Out {
  const asked = answerQuestion(text, ctx);
  if (asked) return answer(state, ctx, [...notes, asked]);
  const named = state.step === 'menu' ? offeredMenuChoice(menuActionOf(text), state, ctx) : null;
  if (named) {
    const out = onChoice(state, named, ctx);
    return { ...out, replies: [...notes, ...out.replies] };
  }
  return answer(state, ctx, [...notes, { key: 'faq:unclear' }]);
}

/** The menu's choice for a named action; without consent, "send a contribution" is "I agree to the terms" first. */
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
      return { state: { ...state, step: 'language', consent: null, draft: null, greeted: false }, replies: [{ key: 'delete.done' }], effects: [{ type: 'participant.erase', at: ctx.now }] };
    default:
      return staleChoice(state, ctx);
  }
}

function onLanguage(state: ConversationState, locale: Locale, ctx: FlowContext): Out {
  if (!LOCALES.includes(locale)) return staleChoice(state, ctx);
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
    { key: `${ns}:about.event`, params: { days: eventDays(ctx) }, more: [{ key: `${ns}:about.meeting`, params: { days: meetingDays(ctx) } }] },
    { key: 'faq:answers.topics', params: { count: c.topics.length }, more: topicLines(ctx) },
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
  if (!c) return staleChoice({ ...state, step: 'mine' }, ctx);
  if (callPhase(ctx.call, ctx.now) !== 'open') return answer({ ...state, step: 'mine' }, ctx, [{ key: 'call.closedShort' }]);
  if (action === 'withdraw') return answer({ ...state, step: 'confirm-withdraw', target: c.code }, ctx);
  // Never overwrite a new draft the person has not sent yet: they finish or discard it first.
  const d = state.draft;
  if (d && !d.editingCode && (d.parts.length > 0 || d.topic !== null)) {
    return answer({ ...state, step: 'draft-found' }, ctx, [{ key: 'mine.draftInProgress' }]);
  }
  const draft = { ...emptyDraft(), topic: c.topic, details: { ...c.details }, parts: [c.text], partIds: [null], editingCode: c.code };
  return answer({ ...state, step: 'review', draft }, ctx, [{ key: 'mine.editing', params: { code: ltr(c.code) } }]);
}
