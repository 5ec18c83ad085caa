/**
 * Typed questions ("How many words?", «كم كلمة؟», «چەند وشە؟») answered at any step from the
 * small FAQ in src/domain/faq.ts, with facts from the call definition. The step's question is
 * asked again after the answer by the caller.
 */
import { callPhase } from '../domain/call-definition.js';
import type { FaqTopic } from '../domain/faq.js';
import { readQuestion } from '../understanding/index.js';
import type { FlowContext } from './context.js';
import { ltr, time, type Paragraph, type Reply } from './replies.js';
import { topicQuestion } from './prompts.js';

/** The event's days, formatted by the renderer in the reader's language. */
export const eventDays = (ctx: FlowContext) => ({ dates: [ctx.call.publicEvent.start, ctx.call.publicEvent.end] as [string, string] });
export const meetingDays = (ctx: FlowContext) => ({ dates: [ctx.call.strategicMeeting.start, ctx.call.strategicMeeting.end] as [string, string] });

export function topicLines(ctx: FlowContext): Paragraph[] {
  return ctx.call.topics.map((t) => ({ key: 'submit.topicLine', params: { n: t, question: topicQuestion(ctx, t) } }));
}

export function faqReply(topic: FaqTopic, ctx: FlowContext): Reply {
  const c = ctx.call;
  const ns = c.textsNamespace;
  const words = { target: c.words.target, min: c.words.min, max: c.words.max };
  switch (topic) {
    case 'deadline': {
      const phase = callPhase(c, ctx.now);
      if (phase === 'closed') return { key: 'faq:answers.closed', params: { time: time(c.deadline!) } };
      if (phase === 'not-open') return { key: 'faq:answers.notOpen', params: { time: time(c.opensAt!) } };
      return c.deadline ? { key: 'faq:answers.deadline', params: { time: time(c.deadline) } } : { key: 'faq:answers.noDeadline' };
    }
    case 'words':
      return { key: 'faq:answers.words', params: words };
    case 'file':
      return { key: 'faq:answers.file', params: { mb: 20 } };
    case 'who':
      return { key: 'faq:answers.who' };
    case 'change':
      return { key: 'faq:answers.change' };
    case 'event':
      return { key: `${ns}:about.event`, params: { days: eventDays(ctx) }, more: [{ key: `${ns}:about.meeting`, params: { days: meetingDays(ctx) } }] };
    case 'topics':
      return { key: 'faq:answers.topics', params: { count: c.topics.length }, more: topicLines(ctx) };
    case 'how':
      return { key: 'faq:answers.how', params: words };
    case 'language':
      return { key: 'faq:answers.language' };
  }
}

/** The answer to a typed question, or null when the text clearly asks none the bot knows (src/understanding). */
export function answerQuestion(text: string, ctx: FlowContext): Reply | null {
  const q = readQuestion(text);
  return q ? faqReply(q.topic, ctx) : null;
}

/** The conference, its topics and how to take part: /about and the menu's "About the conference". */
export function aboutReplies(ctx: FlowContext): Reply[] {
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
