/**
 * What WhatsApp asks of the core, declared once: the only place its 24-hour window is written.
 */
import type { AdapterCapabilities } from '../../src/core/index.js';
import { CODES } from './cloud-api.js';
import { DEFAULT_NEW_PEOPLE_PER_DAY, templateSubstitutes, type WhatsAppConfig } from './config.js';
import { DEFAULT_PACING, type WhatsAppPacing } from './pacing-config.js';
import { MAX_BUTTON_TITLE, MAX_BUTTONS, MAX_TEXT } from './render.js';

/**
 * The 24-hour customer service window: free-form messages only within 24 hours of the person's
 * last message. Outside it only an approved template may go (error 131047 otherwise, never to be
 * answered by sending free-form again): 'template' when templates are named in .env
 * (WHATSAPP_TEMPLATE_ANNOUNCEMENT_<EN|AR>), else the message is held until the person writes.
 * Pacing: 80 messages per second per business number (130429) and about one message per 6 s to
 * one person (131056).
 */
export function whatsappCapabilities(templateLocales: readonly string[], config?: WhatsAppConfig, pacing: WhatsAppPacing = DEFAULT_PACING): AdapterCapabilities {
  const templates = templateLocales.length > 0;
  return {
    window: { ms: 24 * 3600_000, outside: templates ? 'template' : 'hold', refusalReason: `whatsapp:${CODES.outsideWindow}`,
      // Meta has no Kurdish templates: Sorani speakers get another language's (the preview counts them).
      ...(templates ? { templateLocales, templateLocaleFor: config ? templateSubstitutes(config) : {}, ...messagingLimit(config) } : {}) },
    // The announcements' pacer: the number's rate and the pair interval as configured (the
    // adapter's own gate holds them for every send besides, send-gate.ts).
    pacing: { ratePerSecond: pacing.ratePerSecond, perChatMs: pacing.pairIntervalMs },
    limits: { textChars: MAX_TEXT, buttons: MAX_BUTTONS, buttonTitleChars: MAX_BUTTON_TITLE },
  };
}

/**
 * Meta's messaging limit: templates to people outside the window reach at most this many different
 * people in any moving 24 hours (250 for a new business portfolio; 2,000, 10,000, 100,000, then
 * unlimited as Meta raises it), counted over the whole portfolio. Meta documents no error code of
 * its own for it; the one it gives for "restrictions on how many messages can be sent from this
 * phone number" is 131048 (spam rate limit), so a template refused with 131048 waits for the next
 * day's budget like one past the count, instead of pausing the number and failing.
 */
function messagingLimit(config: WhatsAppConfig | undefined): { initiationsPerDay: number; initiationRefusalReasons: string[] } {
  return { initiationsPerDay: config?.newPeoplePerDay ?? DEFAULT_NEW_PEOPLE_PER_DAY, initiationRefusalReasons: [`whatsapp:${CODES.spamRate}`] };
}
