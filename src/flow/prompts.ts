/**
 * What the bot says to ask for each step, and the choices each step accepts. A button pressed on
 * an older message is accepted only if its id is among the current step's choices.
 */
import { LOCALES, type ContributionRecord } from '../domain/records.js';
import type { FlowContext, FlowResult } from './context.js';
import type { ConversationState, Draft } from './state.js';
import { choice, ltr, nested, time, userText, type Paragraph, type Params, type Reply, type ReplyChoice } from './replies.js';
import { countWordsOnce } from '../domain/words.js';
import { callPhase, type CallDefinition } from '../domain/call-definition.js';

export const topicTitle = (ctx: FlowContext, topic: number) => nested(`${ctx.call.textsNamespace}:topics.${topic}.short`);
export const topicQuestion = (ctx: FlowContext, topic: number) => nested(`${ctx.call.textsNamespace}:topics.${topic}.question`);

export function draftText(draft: Draft): string {
  return draft.parts.join('\n\n');
}

/**
 * The parts are joined by blank lines, which no word spans: the sum of the parts' counts is the
 * count of the whole, and each part is counted once (countWordsOnce), not at every message.
 */
export function draftWords(draft: Draft, state: ConversationState): number {
  const locale = state.locale ?? 'en';
  return draft.parts.reduce((n, part) => n + countWordsOnce(part, locale), 0);
}

/** Contributions that count towards the per-topic limit and can be shown as current. */
export function activeContributions(ctx: FlowContext): ContributionRecord[] {
  return ctx.contributions.filter((c) => c.state !== 'withdrawn');
}

export function choicesFor(state: ConversationState, ctx: FlowContext): ReplyChoice[] {
  switch (state.step) {
    case 'language': {
      const first = state.locale ?? ctx.localeHint;
      const order = first ? [first, ...LOCALES.filter((l) => l !== first)] : LOCALES;
      // The current or hinted language comes first and is marked: the "preselected" one. On the
      // first screen without a hint none is.
      return order.map((l) => choice(`lang:${l}`, l === first ? 'language.marked' : 'language.plain', { name: nested(`language.names.${l}`) }));
    }
    case 'consent': {
      const answers = [choice('consent:yes', 'consent.accept'), choice('consent:no', 'consent.decline')];
      // The first terms come in the hinted language: the other two are offered on the same screen.
      if (state.consent !== null) return answers;
      const current = state.locale ?? ctx.localeHint ?? 'en';
      return [...answers, ...LOCALES.filter((l) => l !== current).map((l) => choice(`lang:${l}`, 'language.plain', { name: nested(`language.names.${l}`) }))];
    }
    case 'menu':
      // Right after a receipt, its "Show my text" comes last: the menu's numbers stay as they are.
      return state.consent === 'given'
        ? [choice('menu:about', 'menu.about'), choice('menu:submit', 'menu.submit'), choice('menu:mine', 'menu.mine'),
          choice('menu:lang', 'menu.language'), choice('menu:help', 'menu.help'), ...(state.receipt ? [SHOW_TEXT] : [])]
        : [choice('menu:about', 'menu.about'), choice('menu:consent', 'menu.giveConsent'), choice('menu:lang', 'menu.language'),
          choice('menu:help', 'menu.help')];
    case 'topic':
      // The button says "2. Rebuilding Iraq" (the question lists the topics by number); a small
      // button shows the title alone.
      return ctx.call.topics.map((t) => choice(`topic:${t}`, 'submit.topicButton', { n: t, title: topicTitle(ctx, t) }, { key: topicTitle(ctx, t).t }));
    case 'name': {
      const prev = previousDetails(ctx);
      return prev && !state.draft?.returnToReview ? [choice('details:same', 'submit.sameDetails', { name: prev.name }, { key: 'submit.sameDetailsShort' })] : [];
    }
    case 'organisation':
    case 'country':
    case 'email':
      return [choice(`skip:${state.step}`, 'common.skip')];
    case 'body':
      if (state.draft?.replacing) return [choice('replace:keep', 'submit.keepText')];
      return state.draft && state.draft.parts.length > 0
        ? [choice('body:done', 'submit.done'), choice('body:undo', 'submit.undo'), choice('body:clear', 'submit.clear')]
        : [];
    case 'review':
      return [choice('review:confirm', 'review.confirm'), choice('review:edit', 'review.change')];
    case 'edit-pick':
      return [choice('edit:topic', 'review.fields.topic'), choice('edit:name', 'review.fields.name'),
        choice('edit:organisation', 'review.fields.organisation'), choice('edit:country', 'review.fields.country'),
        choice('edit:email', 'review.fields.email'), choice('edit:text', 'review.fields.text'), choice('edit:back', 'common.back')];
    case 'draft-found':
      return [choice('draft:continue', 'draft.continue'), choice('draft:discard', 'draft.discard')];
    case 'mine': {
      const out: ReplyChoice[] = [];
      if (unsentDraft(state)) out.push(choice('draft:continue', 'draft.continue'));
      // Changes are possible only while the call is open; a declined contribution can be
      // withdrawn but not revised (the organisers have decided on it).
      if (callPhase(ctx.call, ctx.now) === 'open') {
        for (const c of activeContributions(ctx)) {
          const code = { code: ltr(c.code) };
          if (c.state !== 'declined') out.push(choice(`mine:edit:${c.code}`, 'mine.edit', code, { key: 'mine.editShort', params: code }));
          out.push(choice(`mine:withdraw:${c.code}`, 'mine.withdraw', code, { key: 'mine.withdrawShort', params: code }));
        }
      }
      out.push(choice('menu:back', 'common.menu'));
      return out;
    }
    case 'confirm-withdraw':
      return [choice('withdraw:yes', 'mine.withdrawYes'), choice('withdraw:no', 'common.no')];
    case 'confirm-delete':
      return [choice('delete:yes', 'delete.yes'), choice('delete:no', 'common.no')];
    case 'confirm-clear':
      return [choice('clear:yes', 'submit.clearYes'), choice('clear:no', 'common.no')];
    case 'text-options': {
      const out = [choice('textopt:add', 'submit.addToText'), choice('textopt:replace', 'submit.replaceText')];
      if ((state.draft?.parts.length ?? 0) > 1) out.push(choice('textopt:undo', 'submit.undo'));
      out.push(choice('edit:back', 'common.back'));
      return out;
    }
  }
}


/** The receipt's choice: the text it does not repeat. */
export const SHOW_TEXT: ReplyChoice = choice('receipt:text', 'receipt.showText');

/** A draft the person started and has not sent (a new contribution or changes to a sent one). */
export function unsentDraft(state: ConversationState): Draft | null {
  const d = state.draft;
  return d && (d.parts.length > 0 || d.topic !== null || d.editingCode !== null) ? d : null;
}

/** Details from the person's latest contribution, offered for reuse on the next one. */
export function previousDetails(ctx: FlowContext) {
  const last = ctx.contributions.find((c) => c.details.name);
  return last ? last.details : null;
}

export function reviewReply(state: ConversationState, ctx: FlowContext): Reply {
  const d = state.draft!;
  const none = nested('review.none');
  const params: Params = {
    topic: d.topic ? topicTitle(ctx, d.topic) : none,
    name: d.details.name ? userText(d.details.name) : none,
    organisation: d.details.organisation ? userText(d.details.organisation) : none,
    country: d.details.country ? userText(d.details.country) : none,
    email: d.details.email ? ltr(d.details.email) : none,
    count: draftWords(d, state),
    text: userText(draftText(d)),
  };
  return { key: d.editingCode ? 'review.titleEdit' : 'review.title', params: { ...params, code: ltr(d.editingCode ?? '') },
    more: [{ key: 'review.details', params }, { key: 'review.text', params }], choices: choicesFor(state, ctx) };
}

export function contributionParagraphs(c: ContributionRecord, ctx: FlowContext) {
  const params: Params = {
    code: ltr(c.code),
    topic: topicTitle(ctx, c.topic),
    state: nested(`states.${c.state}`),
    count: c.wordCount,
    time: time(c.updatedAt),
    revision: c.revision,
  };
  return { key: 'mine.item', params };
}

/**
 * The consent text's facts, from the call definition: the contact and the real retention, its day
 * written in the reader's language and digits.
 */
export function consentParams(call: CallDefinition): Params {
  return {
    email: ltr(call.contact.email),
    retention: call.retainUntil ? nested('retention:consent.until', { date: { day: call.retainUntil } }) : nested('retention:consent.unset'),
  };
}

/**
 * The answer to a button the current step does not offer (pressed on an older message): it says
 * so and asks the current question. Marked `stale` for the core to pass on, so a platform can say
 * it its own way too without reading the replies (they may be sent later, by another instance).
 */
export function staleChoice(state: ConversationState, ctx: FlowContext): FlowResult {
  return { state, replies: [{ key: 'errors.oldButton' }, promptFor(state, ctx)], effects: [], stale: true };
}

/** The question of the current step, asked again after an interruption. */
export function promptFor(state: ConversationState, ctx: FlowContext): Reply {
  const choices = choicesFor(state, ctx);
  const w = ctx.call.words;
  switch (state.step) {
    case 'language':
      // Before anyone knows the person's language: one short screen in all three.
      if (state.locale === null && state.consent === null && !ctx.localeHint) return firstScreen(choices);
      return { key: 'language.prompt', choices };
    case 'consent':
      return { key: 'consent.prompt', params: consentParams(ctx.call), choices };
    case 'menu':
      return { key: state.consent === 'given' ? 'menu.prompt' : 'menu.promptNoConsent', choices };
    case 'topic':
      return { key: 'submit.topicPrompt', more: ctx.call.topics.map((t) => ({ key: 'submit.topicLine', params: { n: t, question: topicQuestion(ctx, t) } })), choices };
    case 'name':
      return { key: 'submit.namePrompt', choices, expectsText: true };
    case 'organisation':
      return { key: 'submit.organisationPrompt', choices, expectsText: true };
    case 'country':
      return { key: 'submit.countryPrompt', choices, expectsText: true };
    case 'email':
      return { key: 'submit.emailPrompt', choices, expectsText: true };
    case 'body': {
      const d = state.draft;
      if (d?.replacing) return { key: 'submit.replacePrompt', params: { min: w.min, max: w.max, target: w.target }, choices, expectsText: true };
      if (d && d.parts.length > 0) {
        const count = draftWords(d, state);
        // Past the maximum is said at once, with every message, not only at Done — and alone: no
        // "send more, or press Done" beside "shorten it".
        if (count > w.max) return { key: 'submit.overMax', params: { total: count, over: count - w.max, max: w.max }, choices, expectsText: true };
        return { key: 'submit.progress', params: { count, target: w.target }, choices, expectsText: true };
      }
      return { key: 'submit.bodyPrompt', params: { min: w.min, max: w.max, target: w.target, topic: d?.topic ? topicQuestion(ctx, d.topic) : '' }, choices, expectsText: true };
    }
    case 'review':
      return reviewReply(state, ctx);
    case 'edit-pick':
      return { key: 'review.pick', choices };
    case 'draft-found': {
      const d = state.draft!;
      // A link to a topic (deep link, m.me ref) opened mid-draft: say which topic it was for.
      const t = state.pendingTopic;
      const link = t === null ? [] : [{ key: t === d.topic ? 'draft.linkSameTopic' : 'draft.linkOtherTopic', params: { n: t, topic: topicTitle(ctx, t) } }];
      return { key: 'draft.found', params: { count: draftWords(d, state), topic: d.topic ? topicTitle(ctx, d.topic) : nested('review.none') }, more: link, choices };
    }
    case 'mine': {
      // Every contribution, withdrawn ones and organisers' decisions included: the whole story —
      // and the draft not sent yet, so "not sent a contribution yet" never hides it.
      const items = ctx.contributions;
      const d = unsentDraft(state);
      const draft: Paragraph[] = d ? [d.editingCode
        ? { key: 'mine.unsentChanges', params: { code: ltr(d.editingCode) } }
        : { key: 'mine.unsentDraft', params: { count: draftWords(d, state), topic: d.topic ? topicTitle(ctx, d.topic) : nested('review.none') } }] : [];
      return { key: items.length ? 'mine.title' : 'mine.empty', more: [...items.map((c) => contributionParagraphs(c, ctx)), ...draft], choices };
    }
    case 'confirm-withdraw':
      return { key: 'mine.confirmWithdraw', params: { code: ltr(state.target ?? '') }, choices };
    case 'confirm-delete':
      return { key: 'delete.confirm', choices };
    case 'confirm-clear':
      return { key: 'submit.confirmClear', params: { words: state.draft ? draftWords(state.draft, state) : 0 }, choices };
    case 'text-options': {
      // The review just showed the text: its size is enough here, not the text a second time.
      const d = state.draft!;
      return { key: 'review.currentText', params: { words: draftWords(d, state), parts: d.parts.length },
        more: [{ key: d.parts.length > 1 ? 'review.textOptions' : 'review.textOptionsOne' }], choices };
    }
  }
}

/**
 * The first screen when no language is known (Messenger never gives a hint): the bot says what it
 * is and asks for the language, once in each language, short enough for a phone.
 */
function firstScreen(choices: ReplyChoice[]): Reply {
  return { key: 'start.firstScreen', lng: 'en', more: [{ key: 'start.firstScreen', lng: 'ar' }, { key: 'start.firstScreen', lng: 'ckb' }], choices };
}
