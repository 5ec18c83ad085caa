/** What Telegram asks of the core: no sending window, its bulk rate and its message limits. */
import type { AdapterCapabilities } from '../../src/core/index.js';
import { MAX_MESSAGE_CHARS } from './render.js';

export const TELEGRAM_CAPABILITIES = {
  // "About 30 messages per second" in bulk, 1 per second per chat. One below, for the replies
  // sent meanwhile (not paced with announcements).
  pacing: { ratePerSecond: 29, perChatMs: 1000 },
  // Inline keyboards are laid out by the renderer; their callback data (64 bytes) is checked there.
  limits: { textChars: MAX_MESSAGE_CHARS },
} as const satisfies AdapterCapabilities;
