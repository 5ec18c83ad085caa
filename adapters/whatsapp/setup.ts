/**
 * `npm run whatsapp:setup`: checks the token and the phone number id (GET /{phone-number-id}
 * answers with the number's display name only when both are right), then subscribes the app to
 * the WhatsApp Business Account's webhooks (POST /{waba-id}/subscribed_apps), when
 * WHATSAPP_BUSINESS_ACCOUNT_ID is set. The webhook fields themselves (`messages`) are chosen in
 * the app dashboard: see README "WhatsApp".
 */
import type { i18n as I18n } from 'i18next';
import { AppError, type Locale } from '../../src/core/index.js';
import { CloudApi } from './cloud-api.js';
import type { WhatsAppConfig } from './config.js';

export async function whatsappSetup(opts: { config: WhatsAppConfig | null; businessAccountId?: string; i18n: I18n; lng: Locale }): Promise<string[]> {
  const { config, i18n, lng } = opts;
  if (!config) throw new AppError('CONFIG_INVALID', 'WhatsApp is not configured: set WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN');
  const api = new CloudApi({ token: config.token, apiRoot: config.apiRoot, version: config.version, phoneNumberId: config.phoneNumberId });
  const t = (key: string, params: Record<string, string> = {}) => i18n.t(`whatsapp:setup.${key}`, { lng, ...params }) as string;
  // A wrong token answers 190, a wrong id 100: both thrown as CloudErrors naming the code.
  const number = await api.get(config.phoneNumberId);
  const lines = [t('number', { number: String(number.display_phone_number ?? '?'), name: String(number.verified_name ?? '?') })];
  const waba = opts.businessAccountId?.trim();
  if (!waba) return [...lines, t('noWaba')];
  if (!/^\d{1,32}$/.test(waba)) throw new AppError('CONFIG_INVALID', 'WHATSAPP_BUSINESS_ACCOUNT_ID must be digits');
  await api.post(`${waba}/subscribed_apps`);
  return [...lines, t('subscribed')];
}
