/**
 * Typed answers are read as choices by the flow alone (src/flow/choice-match.ts): step() is given
 * plain text, with no core around it, and reads it against its own choices' labels (from the
 * context's label function, here the real renderer).
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Renderer } from '../src/core/render.js';
import type { Locale } from '../src/domain/records.js';
import type { FlowContext, FlowInput } from '../src/flow/context.js';
import { step } from '../src/flow/engine.js';
import type { ReplyChoice } from '../src/flow/replies.js';
import { emptyDraft, initialState, type ConversationState } from '../src/flow/state.js';

async function setup(label?: (c: ReplyChoice, lng: Locale) => string) {
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const renderer = new Renderer(i18n, call);
  const ctx: FlowContext = {
    now: new Date('2026-11-26T09:00:00Z'), call, participant: null, contributions: [], random: () => 0.5, localeHint: null,
    label: label ?? ((c, lng) => renderer.choice(c, lng).label),
  };
  return ctx;
}

const at = (patch: Partial<ConversationState>): ConversationState => ({ ...initialState(), greeted: true, consent: 'given', ...patch });
const text = (t: string): FlowInput => ({ kind: 'text', text: t, messageId: 'm1' });

describe('typed choices, read by the flow', () => {
  it('a number in any digits, or a button’s words, picks that choice', async () => {
    const ctx = await setup();
    const topic = at({ step: 'topic', locale: 'ar', draft: emptyDraft() });
    expect(step(topic, text('٢'), ctx).state.draft!.topic).toBe(2);
    expect(step(topic, text('۳.'), ctx).state.draft!.topic).toBe(3);
    // "1. التحديات والإنجازات" is the button; its title alone picks it too.
    expect(step(topic, text('التحديات والإنجازات'), ctx).state.draft!.topic).toBe(1);
    expect(step(at({ step: 'menu', locale: 'en' }), text('My contributions'), ctx).state.step).toBe('mine');
  });

  it('at the text step a number is text (a button’s number is asked about); only a button’s exact words pick it', async () => {
    const ctx = await setup();
    const body = at({ step: 'body', locale: 'en', draft: { ...emptyDraft(), topic: 1, details: { name: 'Layla' }, parts: ['first part'], partIds: [null] } });
    expect(step(body, text('7'), ctx).state.draft!.parts).toEqual(['first part', '7']);
    // "2" is also the number of "Remove last message": asked about, neither added nor pressed.
    const two = step(body, text('2'), ctx);
    expect(two.state.draft!.parts).toEqual(['first part']);
    expect(two.replies[0]!.key).toBe('understanding:numberAtText');
    expect(step(body, text('Remove last message'), ctx).state.draft!.parts).toEqual([]);
  });

  it('before the greeting a message is a first word, and an unknown button with a visible text is read as that text', async () => {
    const ctx = await setup();
    expect(step(initialState(), text('1'), ctx).state.step).toBe('language');
    const language = at({ step: 'language', consent: null, locale: null });
    // A quick reply from a keyboard this release never sent: its text "English" chooses English.
    const out = step(language, { kind: 'choice', id: 'lang-old:english', fallbackText: 'English' }, ctx);
    expect(out.state.locale).toBe('en');
    expect(out.state.step).toBe('consent');
    expect(out.stale).toBeUndefined();
    // Without a visible text the same button is an old one.
    expect(step(language, { kind: 'choice', id: 'lang-old:english' }, ctx).stale).toBe(true);
  });

  it('the labels are the ones the context gives (the platform’s rendering)', async () => {
    const ctx = await setup((c) => (c.id === 'menu:help' ? 'Assistance please' : c.id));
    const out = step(at({ step: 'menu', locale: 'en' }), text('assistance please!'), ctx);
    expect(out.replies[0]!.key).toBe('help.text');
  });
});

describe('typed words at the menu that name an action', () => {
  it('start it, in the person’s language, after any question has had its answer', async () => {
    const ctx = await setup();
    const submitted = step(at({ step: 'menu', locale: 'en' }), text('I would like to submit a contribution'), ctx);
    expect(submitted.state.step).toBe('topic');
    expect(step(at({ step: 'menu', locale: 'ar' }), text('أريد إرسال مساهمة'), ctx).state.step).toBe('topic');
    expect(step(at({ step: 'menu', locale: 'ckb' }), text('دەمەوێت بەشداری بکەم'), ctx).state.step).toBe('topic');
    expect(step(at({ step: 'menu', locale: 'ckb' }), text('بەشدارییەکانم ببینم'), ctx).state.step).toBe('mine');
    // A question is answered, not taken as the action it mentions.
    const asked = step(at({ step: 'menu', locale: 'en' }), text('How do I submit?'), ctx);
    expect(asked.state.step).toBe('menu');
    expect(asked.replies[0]!.key).toBe('faq:answers.how');
  });

  it('without consent, wanting to send a contribution shows the terms first; other words get what can be done', async () => {
    const ctx = await setup();
    const noConsent = { ...at({ step: 'menu', locale: 'ar' }), consent: null };
    const out = step(noConsent, text('أريد إرسال مساهمة'), ctx);
    expect(out.state.step).toBe('consent');
    const unclear = step(at({ step: 'menu', locale: 'en' }), text('purple elephants'), ctx);
    expect(unclear.state.step).toBe('menu');
    expect(unclear.replies.map((r) => r.key)).toContain('faq:unclear');
    // A greeting is greeted back, never "I did not understand".
    expect(step(at({ step: 'menu', locale: 'en' }), text('hello there'), ctx).replies.map((r) => r.key)).toEqual(['understanding:social.greeting', 'menu.prompt']);
  });
});
