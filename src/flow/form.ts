/**
 * A whole contribution sent at once from a form (Slack's modal) instead of step by step. The same
 * rules as the conversation: the call must be open, consent given, a topic not yet used, a name,
 * a valid e-mail if any, the word range. Errors come back per field, as replies to translate.
 */
import { countWords, judgeWordCount } from '../domain/words.js';
import { cleanText, isEmail } from '../domain/text.js';
import { makeCode } from '../domain/codes.js';
import type { DataEffect } from '../domain/effects.js';
import type { FlowContext, FlowResult } from './context.js';
import type { ConversationState } from './state.js';
import { ltr, type Reply } from './replies.js';
import { activeContributions, topicTitle } from './prompts.js';
import { closedReply, FIELD_LIMITS, receiptReply } from './submit.js';
import { SHOW_TEXT } from './prompts.js';

export interface ContributionForm {
  topic: number | null;
  name: string;
  organisation: string;
  country: string;
  email: string;
  text: string;
  /** The person ticked the consent box (needed unless they consented before). */
  consent: boolean;
}

export type FormField = 'topic' | 'name' | 'organisation' | 'country' | 'email' | 'text' | 'consent' | 'form';

export type FormOutcome = { ok: true; code: string; result: FlowResult } | { ok: false; errors: Partial<Record<FormField, Reply>> };

export function submitForm(state: ConversationState, form: ContributionForm, ctx: FlowContext): FormOutcome {
  const errors: Partial<Record<FormField, Reply>> = {};
  const closed = closedReply(ctx);
  if (closed) return { ok: false, errors: { form: closed } };
  const locale = state.locale ?? ctx.localeHint ?? 'en';
  const consented = state.consent === 'given' || ctx.participant?.consentAt != null;
  if (!consented && !form.consent) errors.consent = { key: 'form.consentNeeded' };

  const topic = form.topic;
  if (topic === null || !ctx.call.topics.includes(topic)) errors.topic = { key: 'form.topicNeeded' };
  else {
    const taken = activeContributions(ctx).filter((c) => c.topic === topic);
    if (taken.length >= ctx.call.contributionsPerTopic) {
      errors.topic = { key: 'submit.topicTaken', params: { code: ltr(taken[0]!.code), topic: topicTitle(ctx, topic) } };
    }
  }
  const field = (name: 'name' | 'organisation' | 'country' | 'email', raw: string): string | null => {
    const v = cleanText(raw).text.replace(/\s+/g, ' ');
    if (v === '') return null;
    if (v.length > FIELD_LIMITS[name]) errors[name] = { key: 'submit.fieldTooLong', params: { max: FIELD_LIMITS[name], length: v.length } };
    return v;
  };
  const name = field('name', form.name);
  if (name === null) errors.name = { key: 'submit.nameRequired' };
  const organisation = field('organisation', form.organisation);
  const country = field('country', form.country);
  const email = field('email', form.email);
  if (email !== null && !errors.email && !isEmail(email)) errors.email = { key: 'submit.emailInvalid', params: { value: ltr(email) } };

  const text = cleanText(form.text).text;
  const count = countWords(text, locale);
  const verdict = judgeWordCount(count, ctx.call.words);
  if (!verdict.ok) {
    const { min, max } = ctx.call.words;
    errors.text = { key: verdict.problem === 'too-short' ? 'form.tooShort' : 'form.tooLong', params: { count: verdict.by, total: count, min, max } };
  }
  if (Object.keys(errors).length > 0 || topic === null || name === null) return { ok: false, errors };

  const code = makeCode(ctx.random);
  const effects: DataEffect[] = [];
  if (!consented) effects.push({ type: 'participant.consent', locale, at: ctx.now });
  effects.push({ type: 'participant.drafted', at: ctx.now });
  effects.push({ type: 'contribution.create', code, callId: ctx.call.id, topic, language: locale, at: ctx.now,
    revision: { text, wordCount: count, details: { name, organisation, country, email } } });
  const next: ConversationState = { ...state, locale, consent: 'given', greeted: true, receipt: code };
  return { ok: true, code, result: { state: next, replies: [{ ...receiptReply(ctx, { code, topic, count, revised: false }), choices: [SHOW_TEXT] }], effects } };
}
