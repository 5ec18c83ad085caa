/** What Slack asks of the core: its command prefix, its rates and its Block Kit limits. */
import type { AdapterCapabilities } from '../../src/core/index.js';
import { MAX_ACTIONS, MAX_BUTTON_TEXT, MAX_SECTION_CHARS } from './render.js';

export const SLACK_CAPABILITIES = {
  // `/status` is Slack's own command: this app's commands are typed `/icssi status`.
  commandPrefix: '/icssi ',
  // chat.postMessage: 1 per second per channel, and a workspace-wide limit of several hundred
  // per minute: 4/s overall (ANNOUNCE_RATE_SLACK).
  pacing: { ratePerSecond: 4, perChatMs: 1000 },
  limits: { textChars: MAX_SECTION_CHARS, buttons: MAX_ACTIONS, buttonTitleChars: MAX_BUTTON_TEXT },
} as const satisfies AdapterCapabilities;
