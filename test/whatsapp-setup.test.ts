/**
 * `npm run whatsapp:setup` against the fake Cloud API: the token and phone number id checked, the
 * app subscribed to the business account's webhooks; a wrong token fails with the Cloud API's code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { whatsappSetup } from '../adapters/whatsapp/setup.js';
import type { WhatsAppConfig } from '../adapters/whatsapp/config.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { PHONE_NUMBER_ID, WA_TOKEN } from './helpers/whatsapp.js';

let api: FakeCloudApi | undefined;
afterEach(async () => api?.close());

const configFor = (a: FakeCloudApi, token = WA_TOKEN): WhatsAppConfig => ({
  token, phoneNumberId: PHONE_NUMBER_ID, appSecret: 's', verifyToken: 'v', apiRoot: a.url, version: 'v26.0', templates: {}, soraniTemplateLang: 'ar',
});

describe('whatsapp:setup', () => {
  it('checks the number and subscribes the app to the business account', async () => {
    api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
    const i18n = await createI18n();
    const lines = await whatsappSetup({ config: configFor(api), businessAccountId: '102290129340398', i18n, lng: 'en' });
    expect(lines[0]).toContain('+964 770 000 0000');
    expect(lines[1]).toMatch(/subscribed/);
    expect(api.subscribedAccounts).toEqual(['102290129340398']);
    // Without the account id it says so and subscribes nothing.
    expect((await whatsappSetup({ config: configFor(api), i18n, lng: 'ckb' }))[1]).toContain('WHATSAPP_BUSINESS_ACCOUNT_ID');
    expect(api.subscribedAccounts).toHaveLength(1);
  });

  it('fails with the token error (190) and never quotes the token', async () => {
    api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
    const i18n = await createI18n();
    const err = (await whatsappSetup({ config: configFor(api, 'EAAwrongtoken'), i18n, lng: 'en' }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('190');
    expect(err.message).not.toContain('EAAwrongtoken');
  });
});
