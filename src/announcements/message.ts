/**
 * One recipient's copy as a message: the organisers' text in the person's language (or the
 * default one), then a line in the person's own language on how to stop announcements, with a
 * button where the platform has buttons. Sent as a message the bot starts (`initiated`:
 * Messenger's messaging_type UPDATE, never a message tag).
 */
import type { OutboundMessage } from '../core/types.js';
import { DEFAULT_VARS } from '../core/render.js';
import type { CoreTexts } from '../core/bot-core.js';
import type { Locale } from '../domain/records.js';
import { STOP_CHOICE } from '../flow/announcements-optout.js';
import { textLocale } from './audience.js';
import type { Texts } from './types.js';

export function announcementMessage(renderer: Pick<CoreTexts, 'text' | 'dir'>, texts: Texts, own: Locale, commandPrefix = '/'): OutboundMessage {
  const lng = textLocale(texts, own);
  const vars = { ...DEFAULT_VARS, p: commandPrefix };
  const footer = renderer.text('announcements:message.footer', own, undefined, vars);
  return {
    // Reminders' texts leave `{{p}}` for the platform's command prefix ("/icssi " on Slack).
    text: `${(texts[lng] ?? '').replaceAll('{{p}}', commandPrefix)}\n\n${footer}`,
    choices: [{ id: STOP_CHOICE, label: renderer.text('announcements:message.stopButton', own, undefined, vars) }],
    dir: renderer.dir(lng),
    key: 'announcements:message',
    lang: own,
    initiated: true,
  };
}
