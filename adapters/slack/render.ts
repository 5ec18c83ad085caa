/**
 * OutboundMessage → Block Kit. A message's text goes in rich_text blocks, shown literally: replies
 * echo what people typed, and mrkdwn would format their `*`, `_`, `~` (text.ts). Bot-only texts
 * elsewhere (App Home, modals) use mrkdwn sections, where only &, < and > need escaping. Choices
 * become buttons whose action_id and value are the choice id. Block Kit limits, handled here:
 * a section's text is at most 3000 characters (long contributions are split across sections at
 * word boundaries), an actions block holds at most 25 elements, a button's text at most 75
 * characters, and a message at most 50 blocks (more go into further messages).
 */
import type { types } from '@slack/bolt';
import { type OutboundMessage, splitText } from '../../src/core/index.js';
import { richTextBlocks } from './text.js';

export type KnownBlock = types.KnownBlock;

export const MAX_SECTION_CHARS = 3000;
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_ACTIONS = 25;
export const MAX_BUTTON_TEXT = 75;
/** The notification preview; the blocks carry the whole text. */
const FALLBACK_CHARS = 300;

export interface SlackPayload {
  text: string;
  blocks: KnownBlock[];
}

export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** Escaped mrkdwn sections for any length of text. Escaping lengthens text, so chunks are checked after it. */
export function textSections(text: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (const chunk of splitText(text, 2400)) {
    const escaped = escapeMrkdwn(chunk);
    const parts = escaped.length <= MAX_SECTION_CHARS ? [chunk] : splitText(chunk, 600);
    for (const p of parts) if (p.trim() !== '') out.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(p) } });
  }
  return out;
}

export function renderMessage(m: OutboundMessage): SlackPayload[] {
  const blocks: KnownBlock[] = richTextBlocks(m.text);
  const choices = m.choices ?? [];
  for (let i = 0; i < choices.length; i += MAX_ACTIONS) {
    blocks.push({
      type: 'actions',
      block_id: `choices:${i / MAX_ACTIONS}`,
      elements: choices.slice(i, i + MAX_ACTIONS).map((c) => ({
        type: 'button' as const,
        action_id: c.id,
        value: c.id,
        text: { type: 'plain_text' as const, text: clip(c.label, MAX_BUTTON_TEXT), emoji: true },
      })),
    });
  }
  const out: SlackPayload[] = [];
  for (let i = 0; i < blocks.length; i += MAX_MESSAGE_BLOCKS) {
    const part = blocks.slice(i, i + MAX_MESSAGE_BLOCKS);
    out.push({ text: escapeMrkdwn(clip(i === 0 ? m.text : '…', FALLBACK_CHARS)), blocks: part });
  }
  return out.length > 0 ? out : [{ text: escapeMrkdwn(clip(m.text, FALLBACK_CHARS)) || ' ', blocks: [] }];
}
