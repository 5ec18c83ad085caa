/**
 * The first words: the greeting in the person's language and the terms at once, or the short
 * three-language first screen when nothing tells the language; and choosing a language, which on
 * the first terms or the first screen is part of the first contact too.
 */
import { cleanText } from '../domain/text.js';
import { LOCALES, type Locale } from '../domain/records.js';
import type { DataEffect } from '../domain/effects.js';
import { languageFromName } from '../domain/language-names.js';
import { languageOfText } from '../domain/script-language.js';
import type { FlowContext, FlowInput, FlowResult } from './context.js';
import type { ConversationState } from './state.js';
import { ltr, type Reply } from './replies.js';
import { promptFor, staleChoice } from './prompts.js';
import { aboutReplies, answerQuestion } from './questions.js';

type Out = FlowResult;
const answer = (state: ConversationState, ctx: FlowContext, before: Reply[] = [], effects: DataEffect[] = []): Out =>
  ({ state, replies: [...before, promptFor(state, ctx)], effects });

/**
 * First contact. When the language is known — from the first words when they have letters (a
 * Sorani message gets Sorani, whatever the app's language), else from the platform's hint — the
 * greeting in that language, a question answered if one was asked, and straight on to the terms,
 * which offer the other two languages as buttons. When nothing tells the language (Messenger's
 * Get Started, a console without LANG): one short screen in all three languages.
 */
export function firstContact(state: ConversationState, input: FlowInput, ctx: FlowContext): Out {
  const s: ConversationState = { ...state, greeted: true, step: 'language' };
  const extra: Reply[] = [];
  let lang: Locale | null = ctx.localeHint;
  // A link that names a topic may bring the person's own words after it (a wa.me link's prefilled
  // "مرحبا #topic2" arrives as start "topic2 مرحبا"): they tell the language as a first message does.
  const words = input.kind === 'text' ? input.text : input.kind === 'command' && input.command === 'start' ? startWords(input.args) : '';
  if (input.kind === 'command' && input.command === 'start') s.pendingTopic = deepLinkTopic(input.args, ctx);
  if (input.kind === 'command' && input.command === 'about') extra.push(...aboutReplies(ctx));
  if (words.trim() !== '') {
    const { text } = cleanText(words);
    lang = languageFromName(text) ?? languageOfText(text) ?? lang;
    const answered = answerQuestion(text, ctx);
    if (answered) extra.push(answered);
  }
  if (!lang) return answer(s, ctx, extra);
  return answer({ ...s, locale: lang, step: 'consent' }, ctx, [greeting(ctx), ...extra]);
}

export function greeting(ctx: FlowContext): Reply {
  // The role, not the key, tells a platform this is the greeting (adapters know no flow keys).
  return { key: 'start.greeting', params: { email: ltr(ctx.call.contact.email) }, role: 'greeting' };
}

/** The words after a start's first argument (the topic), if a platform passed any. */
function startWords(args: string): string {
  return args.trim().replace(/^\S+\s*/, '');
}

/** The topic a start's first argument names ("topic2"), if the call has it. */
export function deepLinkTopic(args: string, ctx: FlowContext): number | null {
  const m = /^topic([1-9])(?:\s|$)/.exec(args.trim());
  const n = m ? Number(m[1]) : null;
  return n !== null && ctx.call.topics.includes(n) ? n : null;
}

/**
 * The language a message at the first terms is clearly written in, when it is not theirs: Sorani
 * letters (ڕ ڵ ێ ۆ ە) are Sorani; other Arabic script switches from English only (a Sorani
 * speaker may write without the Kurdish letters); Latin only in a sentence of three words or
 * more ("ok" or "yes" from an Arabic reader is no request for English).
 */
export function writtenSwitch(current: Locale | null, text: string): Locale | null {
  const written = languageOfText(text);
  if (!written || written === current) return null;
  if (written === 'ckb') return 'ckb';
  if (written === 'ar') return current === 'en' ? 'ar' : null;
  return text.trim().split(/\s+/).length >= 3 ? 'en' : null;
}

export function onLanguage(state: ConversationState, locale: Locale, ctx: FlowContext): Out {
  if (!LOCALES.includes(locale)) return staleChoice(state, ctx);
  const effects: DataEffect[] = ctx.participant ? [{ type: 'participant.locale', locale }] : [];
  const s: ConversationState = { ...state, locale };
  if (state.consent === null) {
    const terms = { ...s, step: 'consent' as const };
    // From the three-language first screen: the terms are the first words in their language.
    if (state.locale === null) return { state: terms, replies: [{ ...promptFor(terms, ctx), role: 'greeting' }], effects };
    // Another language from the first terms: the greeting, said in the hinted language, again in theirs.
    if (state.step === 'consent' && locale !== state.locale) return answer(terms, ctx, [greeting(ctx)], effects);
    return answer(terms, ctx, [], effects);
  }
  const back = state.returnTo && state.returnTo !== 'language' ? state.returnTo : 'menu';
  return answer({ ...s, step: back, returnTo: null }, ctx, [{ key: 'language.changed' }], effects);
}
