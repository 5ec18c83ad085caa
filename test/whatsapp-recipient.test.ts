/**
 * Which field names the person a message goes to, as Meta's BSUID pages (2026) document the
 * messages API: `recipient` takes a BSUID, `to` a phone number, `to` wins when both come, a
 * BSUID in `to` is refused, and the response's contacts[] answers `user_id` for a BSUID and
 * `wa_id` for a phone. 131062 (a BSUID not accepted for this message) is a refusal of that
 * message: the phone that could replace it is kept only as a keyed hash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../src/core/errors.js';
import type { ConversationRef } from '../src/core/types.js';
import { CloudApi, CloudError } from '../adapters/whatsapp/cloud-api.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { BSUID, PHONE, PHONE_NUMBER_ID, text, WA_TOKEN, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig | undefined;
let fake: FakeCloudApi | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = undefined;
  fake = undefined;
});

const LEGACY_PHONE = '9647712223344';

/** A person as WhatsApp sent them before BSUIDs: `from` and `wa_id`, no user id anywhere. */
function legacyText(at: Date, body: string): Record<string, unknown> {
  const message = { from: LEGACY_PHONE, id: `wamid.LEGACY${at.getTime()}`, timestamp: String(Math.floor(at.getTime() / 1000)), type: 'text', text: { body } };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_NUMBER_ID }, contacts: [{ profile: { name: 'Ali' }, wa_id: LEGACY_PHONE }], messages: [message] } }] }],
  };
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('WhatsApp recipients: `recipient` for a BSUID, `to` for a phone', () => {
  it('answers a person keyed on the BSUID through `recipient`, even when their phone came too, and a person known by phone only through `to`', async () => {
    rig = await whatsappRig();
    await rig.post(text(rig.clock.now, 'hello'));
    const toBsuid = rig.api.to(BSUID);
    expect(toBsuid.length).toBeGreaterThan(0);
    expect(new Set(toBsuid.map((m) => m.via))).toEqual(new Set(['recipient']));
    expect(rig.api.to(PHONE)).toEqual([]);

    await rig.post(legacyText(rig.clock.now, 'hello'));
    const toPhone = rig.api.to(LEGACY_PHONE);
    expect(toPhone.length).toBeGreaterThan(0);
    expect(new Set(toPhone.map((m) => m.via))).toEqual(new Set(['to']));
    expect(rig.api.refusals).toEqual([]);
  });

  it('the fake Cloud API holds the documented rules: a BSUID in `to` refused, `to` wins over `recipient`, contacts[] with user_id or wa_id', async () => {
    fake = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
    const api = new CloudApi({ token: WA_TOKEN, apiRoot: fake.url, version: 'v26.0', phoneNumberId: PHONE_NUMBER_ID, backoffMs: 0 });
    const hello = { type: 'text', text: { body: 'Hello' } };

    expect((await failure(api.messages({ to: BSUID, ...hello }))).kind).toBe('invalid');
    expect((await failure(api.messages({ recipient: PHONE, ...hello }))).kind).toBe('invalid');
    expect(fake.refusals).toEqual([131009, 131009]);
    expect(fake.messages).toEqual([]);

    const byBsuid = await api.messages({ recipient: BSUID, ...hello });
    expect(byBsuid.contacts).toEqual([{ input: BSUID, user_id: BSUID }]);
    const byPhone = await api.messages({ to: PHONE, ...hello });
    expect(byPhone.contacts).toEqual([{ input: PHONE, wa_id: PHONE }]);
    // Both given: the phone number wins, and the answer follows the phone path.
    const both = await api.messages({ to: PHONE, recipient: BSUID, ...hello });
    expect(both.contacts).toEqual([{ input: PHONE, wa_id: PHONE }]);
    expect(fake.messages.map((m) => [m.to, m.via])).toEqual([[BSUID, 'recipient'], [PHONE, 'to'], [PHONE, 'to']]);
  });

  it('131062 (a BSUID not accepted for this message) refuses that message for good, not retried; other messages to the BSUID still go', async () => {
    rig = await whatsappRig(undefined, { config: { templates: { announcement: { en: 'icssi_news_en', ar: 'icssi_news_ar' } } } });
    const ref: ConversationRef = { platform: 'whatsapp', chatId: BSUID, userId: BSUID };
    rig.api.bsuidUnsupported.add('template');
    const err = await rig.adapter.sendPaced(ref, { text: 'News', lang: 'en' }, { outsideWindow: true }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    const refused = err as PlatformError;
    expect(refused.code).toBe('PLATFORM_REFUSED');
    expect(refused.refusal).toBe('message');
    expect(refused.reason).toBe('whatsapp:131062');
    expect(rig.api.refusals).toEqual([131062]);
    // Refused, not retried: one request.
    expect(rig.api.requests).toBe(1);
    await rig.adapter.send(ref, { text: 'Hello', lang: 'en' });
    expect(rig.api.lastTo(BSUID)).toMatchObject({ via: 'recipient', type: 'text' });
  });
});
