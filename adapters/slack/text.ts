/**
 * A person's text in and out of Slack, exactly as they typed it.
 *
 * In: Slack escapes `&`, `<` and `>` in message and slash-command text as `&amp;`, `&lt;`, `&gt;`,
 * and writes links, e-mail addresses, mentions and dates in angle brackets
 * (`<mailto:a@b.org|a@b.org>`, `<https://x.org|x.org>`, `<@U123>`, `<!here>`). Since a typed `<`
 * always arrives as `&lt;`, every `<…>` is Slack's markup: it becomes the text the person saw, then
 * the three entities are decoded (`&amp;` last, so a typed "&lt;" stays "&lt;").
 *
 * Out: mrkdwn would turn the person's `*`, `_`, `~` and `` ` `` into formatting, and has no escape
 * for them. A `rich_text` block's text elements are shown literally (Slack's own composer sends
 * text this way, and Slack recommends it for user-defined text), so messages that echo a person's
 * words are rendered as rich text: no formatting, no entity escaping, and nothing in them pings
 * anyone. Links (the bot's own texts carry some) become link elements, so they stay clickable.
 */
import type { types } from '@slack/bolt';
import { splitText } from '../../src/core/index.js';

/** Slack's markup back to what the person typed or saw. */
export function fromSlackText(text: string): string {
  const unwrapped = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? null : inner.slice(bar + 1);
    if (target.startsWith('@') || target.startsWith('#')) return label ? `${target[0]}${label.replace(/^[@#]/, '')}` : target;
    if (target.startsWith('!')) {
      // <!here>, <!channel>, <!everyone>; <!subteam^ID|@team>; <!date^…|fallback>
      if (label) return label;
      return `@${target.slice(1).split('^')[0]}`;
    }
    if (label) return label;
    return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
  });
  return unwrapped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

type RichElement = { type: 'text'; text: string } | { type: 'link'; url: string; text?: string };

// http(s) links only: what the bot's texts carry; trailing punctuation is not part of a link.
const URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)»”'’]/g;

function elements(text: string): RichElement[] {
  const out: RichElement[] = [];
  let last = 0;
  for (const m of text.matchAll(URL)) {
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    out.push({ type: 'link', url: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

// Kept under a section's 3000 characters, as for mrkdwn sections (render.ts).
const MAX_RICH_CHARS = 3000;

/** Literal text as rich_text blocks of at most 3000 characters each, split at word boundaries. */
export function richTextBlocks(text: string): types.KnownBlock[] {
  return splitText(text, MAX_RICH_CHARS)
    .filter((part) => part.trim() !== '')
    .map((part) => ({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: elements(part) }] }) as types.KnownBlock);
}
