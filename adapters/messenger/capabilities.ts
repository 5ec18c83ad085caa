/**
 * What Messenger asks of the core, declared once: the only place its 24-hour window is written.
 */
import type { AdapterCapabilities } from '../../src/core/index.js';
import { MAX_TITLE } from './labels.js';
import { MAX_QUICK_REPLIES, MAX_TEXT } from './render.js';

export const MESSENGER_CAPABILITIES = {
  /**
   * Messenger's 24-hour rule: a Page may start a message to a person only within 24 hours of that
   * person's last message. Message tags are being retired (HUMAN_AGENT is for a real person's
   * reply only) and are not for announcements, so outside it a message is held until they write.
   * Graph's own refusal of a send outside it (code 10, subcode 2018278; graph-errors.ts) has the
   * reason below: a person stored unreachable for it is held, not given up.
   */
  window: { ms: 24 * 3600_000, outside: 'hold', refusalReason: 'messenger:10/2018278' },
  // Send API: Meta documents no fixed per-second number for Pages (limits scale with the
  // audience); 40/s stays well inside what a Page is allowed (unconfirmed; ANNOUNCE_RATE_MESSENGER).
  pacing: { ratePerSecond: 40, perChatMs: 1000 },
  limits: { textChars: MAX_TEXT, buttons: MAX_QUICK_REPLIES, buttonTitleChars: MAX_TITLE },
} as const satisfies AdapterCapabilities;
