/**
 * Messenger shows the first contact as one message: the greeting and the first question with its
 * quick replies, not a greeting followed by a second bubble. Messenger allows it (2000 characters
 * of text with up to 13 quick replies); where the two do not fit together they stay two messages.
 */
import type { OutboundMessage } from '../../src/core/index.js';
import { MAX_TEXT } from './render.js';


export function joinGreeting(replies: OutboundMessage[]): OutboundMessage[] {
  const i = replies.findIndex((r) => r.role === 'greeting' && !(r.choices?.length));
  const greeting = replies[i];
  const next = replies[i + 1];
  if (!greeting || !next) return replies;
  const text = `${greeting.text}\n\n${next.text}`;
  if (text.length > MAX_TEXT) return replies;
  return [...replies.slice(0, i), { ...next, text }, ...replies.slice(i + 2)];
}
