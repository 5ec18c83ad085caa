/**
 * `npm run icssi -- messenger:setup`: the Messenger Profile API settings of the Page — the Get
 * Started button (its postback starts the conversation), the greeting shown before the first
 * message (≤ 160 characters) and the persistent menu, each for `default` (English) and Facebook's
 * locales for Arabic (ar_AR) and Sorani (cb_IQ). One POST replaces all three. It also subscribes
 * the Page to the webhook fields the bot reads (WEBHOOK_FIELDS).
 */
import type { i18n as I18n } from 'i18next';
import { AppError, type Locale } from '../../src/core/index.js';
import type { MessengerConfig } from './config.js';
import { GraphClient } from './graph-client.js';
import { COMMAND_PAYLOAD_PREFIX, GET_STARTED_PAYLOAD } from './parse.js';

/** Facebook's locale per language; `default` is what everybody else sees. */
export const PROFILE_LOCALES: { fb: string; lng: Locale }[] = [
  { fb: 'default', lng: 'en' },
  { fb: 'ar_AR', lng: 'ar' },
  { fb: 'cb_IQ', lng: 'ckb' },
];
/**
 * The webhook fields the bot reads: messages, button taps, m.me links with a ref opened in an
 * existing thread (`messaging_referrals`; a new thread brings its ref on Get Started) and edits
 * of sent messages. Echoes, deliveries and reads are not needed.
 */
export const WEBHOOK_FIELDS = ['messages', 'messaging_postbacks', 'messaging_referrals', 'message_edits'] as const;
const MAX_GREETING = 160;
const MAX_MENU_TITLE = 30;
/** Menu items send commands, so they work at any step (a choice would be "an old button"). */
const MENU: { key: string; command: string }[] = [
  { key: 'start', command: 'start' },
  // The core's About command: the flow shows About and returns to the step the person was at.
  { key: 'about', command: 'about' },
  { key: 'mine', command: 'status' },
  { key: 'language', command: 'lang' },
  { key: 'help', command: 'help' },
  // Meta requires a way to erase one's data; /delete still asks for confirmation.
  { key: 'delete', command: 'delete' },
];

export function profileBody(i18n: I18n): Record<string, unknown> {
  const t = (key: string, lng: Locale) => i18n.t(`messenger:${key}`, { lng }) as string;
  const fit = (s: string, max: number, what: string) => {
    if (s.length > max) throw new AppError('CONFIG_INVALID', `messenger ${what} is ${s.length} characters; at most ${max} fit`);
    return s;
  };
  return {
    get_started: { payload: GET_STARTED_PAYLOAD },
    greeting: PROFILE_LOCALES.map(({ fb, lng }) => ({ locale: fb, text: fit(t('greeting', lng), MAX_GREETING, `greeting (${lng})`) })),
    persistent_menu: PROFILE_LOCALES.map(({ fb, lng }) => ({
      locale: fb,
      composer_input_disabled: false,
      call_to_actions: MENU.map((m) => ({
        type: 'postback',
        title: fit(t(`menu.${m.key}`, lng), MAX_MENU_TITLE, `menu title ${m.key} (${lng})`),
        payload: `${COMMAND_PAYLOAD_PREFIX}${m.command}`,
      })),
    })),
  };
}

export async function messengerSetup(opts: { config: MessengerConfig | null; i18n: I18n; lng: Locale; graph?: GraphClient }): Promise<string[]> {
  const { config, i18n, lng } = opts;
  if (!config) throw new AppError('CONFIG_INVALID', 'Messenger is not configured: set MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN');
  const graph = opts.graph ?? new GraphClient({ token: config.pageAccessToken, graphUrl: config.graphUrl, version: config.graphVersion });
  await graph.post('me/messenger_profile', profileBody(i18n));
  // Needs the pages_manage_metadata permission on the Page access token.
  await graph.post('me/subscribed_apps', { subscribed_fields: WEBHOOK_FIELDS.join(',') });
  return [
    i18n.t('messenger:setup.done', { lng, locales: PROFILE_LOCALES.map((l) => l.fb).join(', ') }) as string,
    i18n.t('messenger:setup.subscribed', { lng, fields: WEBHOOK_FIELDS.join(', ') }) as string,
  ];
}
