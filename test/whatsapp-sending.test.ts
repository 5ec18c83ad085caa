/**
 * What the WhatsApp adapter sends where the 24-hour window and the limits matter: approved
 * templates outside the window (Sorani speakers get the Arabic or English one), held otherwise;
 * the Cloud API's refusals (131047, 131056, 130429, 131026) as the project's PlatformErrors; titles
 * that fit the buttons and lists in all three languages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { PlatformError } from '../src/core/errors.js';
import type { ConversationRef } from '../src/core/types.js';
import { readWhatsAppConfig } from '../adapters/whatsapp/config.js';
import { render } from '../adapters/whatsapp/render.js';
import { BSUID, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig;
afterEach(async () => rig?.close());

const ref: ConversationRef = { platform: 'whatsapp', chatId: BSUID, userId: BSUID };
const templates = { announcement: { en: 'icssi_news_en', ar: 'icssi_news_ar' } };

async function refusal(p: Promise<unknown>): Promise<PlatformError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

describe('WhatsApp sending', () => {
  it('sends the approved template outside the window; Sorani speakers get the Arabic one by default', async () => {
    rig = await whatsappRig(undefined, { config: { templates } });
    expect(rig.adapter.capabilities.window?.outside).toBe('template');
    await rig.adapter.sendPaced(ref, { text: 'بەرنامەکە بڵاوکرایەوە.\nسوپاس', lang: 'ckb' }, { outsideWindow: true });
    const t = rig.api.lastTo(BSUID)!;
    expect(t.type).toBe('template');
    expect(t.template).toMatchObject({ name: 'icssi_news_ar', language: { code: 'ar' } });
    // A template parameter is one line.
    expect(JSON.stringify(t.template!.components)).toContain('بەرنامەکە بڵاوکرایەوە. سوپاس');
  });

  it('with no template configured the window holds, and a paced send outside it is refused, not sent free-form', async () => {
    rig = await whatsappRig();
    expect(rig.adapter.capabilities.window?.outside).toBe('hold');
    const err = await refusal(rig.adapter.sendPaced(ref, { text: 'News', lang: 'en' }, { outsideWindow: true }));
    expect(err.refusal).toBe('recipient');
    expect(err.reason).toBe('whatsapp:131047');
    expect(rig.api.requests).toBe(0);
  });

  it('turns the Cloud API refusals into the project errors the outbox and the pacer read', async () => {
    rig = await whatsappRig();
    rig.api.windowCheck = true;
    const outside = await refusal(rig.adapter.send(ref, { text: 'Hello' }));
    expect(outside.reason).toBe('whatsapp:131047');
    expect(outside.refusal).toBe('recipient');
    rig.api.windowCheck = false;
    rig.api.undeliverable.add(BSUID);
    const gone = await refusal(rig.adapter.send(ref, { text: 'Hello' }));
    expect(gone.reason).toBe('whatsapp:131026');
    expect(gone.refusal).toBe('recipient');
    rig.api.undeliverable.delete(BSUID);
    // A phone-only person is addressed with `to`.
    const phone: ConversationRef = { platform: 'whatsapp', chatId: '9647709876543', userId: '9647709876543' };
    await rig.adapter.send(phone, { text: 'Hello' });
    expect(rig.api.lastTo('9647709876543')?.text?.body).toBe('Hello');
    rig.api.failNext(131056);
    const pair = await refusal(rig.adapter.sendPaced(ref, { text: 'Hello' }));
    expect(pair.code).toBe('PLATFORM_UNREACHABLE');
    expect(pair.retryAfterMs).toBe(6_000);
    // (The person's bucket is empty after a 131056: the next checks write to someone else.)
    rig.api.failNext(130429);
    expect((await refusal(rig.adapter.sendPaced(phone, { text: 'Hello' }))).retryAfterMs).toBe(1_000);
    // 368 (temporarily blocked) pauses all sending (10 minutes by default) and alerts the operator;
    // 190 likewise (test/whatsapp-pacing.test.ts).
    rig.api.failNext(368);
    expect((await refusal(rig.adapter.sendPaced(phone, { text: 'Hello' }))).retryAfterMs).toBe(600_000);
    expect(rig.logs.filter((l) => JSON.parse(l).level === 'error').join('\n')).toMatch(/temporarily blocked \(368\)/);
  });

  it('renders long topic labels as unique titles that fit, in all three languages', async () => {
    const i18n = await createI18n();
    for (const lng of ['en', 'ar', 'ckb'] as const) {
      const t = i18n.getFixedT(lng);
      const label = (n: number) => `${n}. ${t('bot:menu.submit')} — ${'x'.repeat(30)}`;
      const many = [1, 2, 3, 4, 5].map((n) => ({ id: `topic:${n}`, label: label(n) }));
      const [list] = render({ text: 'Choose', choices: many }, t('whatsapp:list.button'));
      const rows = list!.type === 'interactive' && list!.interactive.type === 'list' ? list!.interactive.action.sections[0]!.rows : [];
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.title.length <= 24)).toBe(true);
      expect(new Set(rows.map((r) => r.title)).size).toBe(5);
      const [buttons] = render({ text: 'Choose', choices: many.slice(0, 3) }, t('whatsapp:list.button'));
      const titles = buttons!.type === 'interactive' && buttons!.interactive.type === 'button' ? buttons!.interactive.action.buttons.map((b) => b.reply.title) : [];
      expect(titles.every((x) => x.length >= 1 && x.length <= 20)).toBe(true);
      expect(new Set(titles).size).toBe(3);
    }
  });

  it('reads its configuration: all four or none, templates per kind and language', () => {
    expect(readWhatsAppConfig({})).toBeNull();
    expect(() => readWhatsAppConfig({ WHATSAPP_TOKEN: 't' })).toThrow(/together/);
    const full = { WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '123', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' };
    expect(readWhatsAppConfig(full)).toMatchObject({ apiRoot: 'https://graph.facebook.com', version: 'v26.0', templates: {}, soraniTemplateLang: 'ar' });
    expect(readWhatsAppConfig({ ...full, WHATSAPP_TEMPLATE_ANNOUNCEMENT_EN: 'icssi_news', WHATSAPP_SORANI_TEMPLATE_LANG: 'en' })).toMatchObject({ templates: { announcement: { en: 'icssi_news' } }, soraniTemplateLang: 'en' });
    expect(() => readWhatsAppConfig({ ...full, WHATSAPP_TEMPLATE_ANNOUNCEMENT_AR: 'Bad Name' })).toThrow(/template name/);
    expect(() => readWhatsAppConfig({ ...full, WHATSAPP_PHONE_NUMBER_ID: '+964 770' })).toThrow(/number id/);
  });
});
