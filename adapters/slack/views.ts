/**
 * The modals: the whole-contribution form (`/icssi submit`) and the organisers' "what should be
 * changed" note. Modal limits handled here: title ≤ 24 characters, at most 100 blocks, an option's
 * text ≤ 75 characters, a plain_text_input ≤ 3000 characters. Each input's block_id is the form
 * field it holds, so the server's per-field errors map straight onto `response_action: "errors"`.
 */
import type { types } from '@slack/bolt';
import type { TFunction } from 'i18next';
import { type CallDefinition, type Locale, type ContributionForm, type FormField, FIELD_LIMITS, formatDay } from '../../src/core/index.js';
import { clip, textSections } from './render.js';

type View = types.View;
type KnownBlock = types.KnownBlock;

export const SUBMIT_CALLBACK = 'icssi_submit';
export const REVISION_CALLBACK = 'icssi_revision';
const MAX_TITLE = 24;
const MAX_INPUT = 3000;
const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });

function textInput(blockId: FormField, label: string, opts: { optional?: boolean; max?: number; multiline?: boolean; hint?: string } = {}): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: { type: 'plain_text_input', action_id: 'value', multiline: opts.multiline ?? false, ...(opts.max ? { max_length: opts.max } : {}) },
  };
}

export function submissionView(t: TFunction, call: CallDefinition, opts: { locale: Locale; needsConsent: boolean }): View {
  const words = { target: call.words.target, min: call.words.min, max: call.words.max };
  const blocks: KnownBlock[] = [
    ...textSections(t('slack:modal.intro', words)),
    {
      type: 'input',
      block_id: 'topic',
      label: plain(t('slack:modal.topic')),
      element: {
        type: 'static_select',
        action_id: 'value',
        placeholder: plain(t('slack:modal.topicPlaceholder'), 150),
        options: call.topics.map((n) => ({ text: plain(`${n}. ${t(`${call.textsNamespace}:topics.${n}.short`)}`, 75), value: String(n) })),
      },
    },
    textInput('name', t('slack:modal.name'), { max: FIELD_LIMITS.name }),
    textInput('organisation', t('slack:modal.organisation'), { optional: true, max: FIELD_LIMITS.organisation }),
    textInput('country', t('slack:modal.country'), { optional: true, max: FIELD_LIMITS.country }),
    // A plain text field, not email_text_input: the e-mail is checked on the server, by the same
    // rule as in the conversation, and a problem is shown under the field.
    textInput('email', t('slack:modal.email'), { optional: true, max: FIELD_LIMITS.email }),
    textInput('text', t('slack:modal.text'), { multiline: true, max: MAX_INPUT, hint: t('slack:modal.textHint', words) }),
  ];
  if (opts.needsConsent) {
    // The same facts as in the conversation: the contact address (isolated inside Arabic or
    // Sorani), commands as typed on Slack (`/icssi delete`), the real retention.
    const email = opts.locale === 'en' ? call.contact.email : `\u2068${call.contact.email}\u2069`;
    const retention = call.retainUntil ? t('retention:consent.until', { date: formatDay(call.retainUntil, opts.locale) }) : t('retention:consent.unset');
    blocks.push(...textSections(t('bot:consent.prompt', { email, p: '/icssi ', retention })));
    // Optional for Slack, so that an unticked box reaches the server and gets its translated error.
    blocks.push({
      type: 'input',
      block_id: 'consent',
      optional: true,
      label: plain(t('slack:modal.consent')),
      element: { type: 'checkboxes', action_id: 'value', options: [{ text: plain(t('slack:modal.consentOption'), 75), value: 'yes' }] },
    });
  }
  return {
    type: 'modal',
    callback_id: SUBMIT_CALLBACK,
    title: plain(t('slack:modal.title'), MAX_TITLE),
    submit: plain(t('slack:modal.submit'), MAX_TITLE),
    close: plain(t('slack:modal.close'), MAX_TITLE),
    private_metadata: JSON.stringify({ locale: opts.locale }),
    blocks: blocks.slice(0, 100),
  };
}

interface StateValue {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}
type ViewState = Record<string, Record<string, StateValue>>;

const valueOf = (state: ViewState, block: string): StateValue | undefined => state[block]?.value;

/** The modal's state as the form the flow checks. */
export function formFromView(state: ViewState): ContributionForm {
  const text = (b: string) => valueOf(state, b)?.value ?? '';
  const topic = Number(valueOf(state, 'topic')?.selected_option?.value);
  return {
    topic: Number.isInteger(topic) ? topic : null,
    name: text('name'),
    organisation: text('organisation'),
    country: text('country'),
    email: text('email'),
    text: text('text'),
    consent: (valueOf(state, 'consent')?.selected_options ?? []).some((o) => o.value === 'yes'),
  };
}

/** Errors per block id; a problem with the form as a whole (the call closed) is shown at the top input. */
export function viewErrors(errors: Partial<Record<FormField, string>>, needsConsent: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const block = field === 'form' || (field === 'consent' && !needsConsent) ? 'topic' : field;
    out[block] = out[block] ? `${out[block]}\n${message}` : message;
  }
  return out;
}

export function noteFromView(state: ViewState): string {
  return (valueOf(state, 'note')?.value ?? '').trim();
}

export interface RevisionTarget {
  code: string;
  channel: string;
  ts: string;
}

export function revisionView(t: TFunction, target: RevisionTarget): View {
  return {
    type: 'modal',
    callback_id: REVISION_CALLBACK,
    title: plain(t('slack:modal.revisionTitle'), MAX_TITLE),
    submit: plain(t('slack:modal.revisionSubmit'), MAX_TITLE),
    close: plain(t('slack:modal.close'), MAX_TITLE),
    private_metadata: JSON.stringify(target),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${target.code}*` } },
      {
        type: 'input',
        block_id: 'note',
        label: plain(t('slack:modal.revisionLabel')),
        hint: plain(t('slack:modal.revisionHint')),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}
