/**
 * The configured adapters as channels for announcements: each adapter's own send (with its
 * rendering, splitting and error handling), and what it knows about blocked chats (Telegram
 * remembers a 403 — blocked, deleted account — without throwing).
 */
import type { Adapter } from '../src/core/adapter.js';
import type { Channel } from '../src/announcements/sending.js';

interface KnowsBlocked {
  blocked: { has(chatId: string): boolean };
}

function knowsBlocked(a: Adapter): a is Adapter & KnowsBlocked {
  const b = (a as Partial<KnowsBlocked>).blocked;
  return typeof b?.has === 'function';
}

export function announcementChannels(adapters: Adapter[]): Channel[] {
  return adapters.map((a) => ({
    platform: a.name,
    send: (ref, m) => a.send(ref, m),
    commandPrefix: a.capabilities.commandPrefix,
    isBlocked: knowsBlocked(a) ? (chatId: string) => a.blocked.has(chatId) : undefined,
  }));
}
