/**
 * Announcements on WhatsApp, over real HTTP against the fake Cloud API (which refuses free-form
 * messages outside the 24-hour window with 131047): inside the window the text itself; outside
 * it the approved template of the person's language (Sorani speakers get the Arabic one), or —
 * with no template configured — the copy held and sent when the person writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { silentLogger } from '../src/core/log.js';
import { text, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';
import { fakeTime, seed, sqliteStore } from './helpers/announce.js';

const HOUR = 3600_000;
let rig: WhatsAppRig | undefined;
afterEach(async () => {
  await rig?.close();
  await rig?.store.close();
  rig = undefined;
});

const INSIDE = 'IQ.1000000000000000001';
const OUTSIDE_EN = 'IQ.1000000000000000002';
const OUTSIDE_CKB = 'IQ.1000000000000000003';

async function setUp(templates: boolean) {
  const { store, announcements: annStore } = await sqliteStore();
  rig = await whatsappRig(store, { config: templates ? { templates: { announcement: { en: 'icssi_announcement_en', ar: 'icssi_announcement_ar' } } } : {} });
  const r = rig;
  r.api.windowCheck = true;
  const at = (h: number) => new Date(r.clock.now.getTime() - h * HOUR);
  for (const [id, locale, h] of [[INSIDE, 'ar', 2], [OUTSIDE_EN, 'en', 30], [OUTSIDE_CKB, 'ckb', 50]] as const) {
    await seed(store, { platform: 'whatsapp', userId: id, locale, at: at(h) });
    r.api.lastInbound.set(id, at(h).getTime());
  }
  const time = fakeTime();
  const ann = new Announcements({
    store: annStore, renderer: r.dispatcher.renderer, channels: announcementChannels([r.adapter]), clock: () => r.clock.now, logger: silentLogger,
    pacers: { whatsapp: time.pacer(80) },
  });
  r.dispatcher.onParticipantWrote((p) => ann.releaseFor(p.id));
  return { r, ann, annStore };
}

const announcement = { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' as const }, expiresAt: null };

describe('announcements on WhatsApp', () => {
  it('sends the text inside the window and the approved template outside it; Sorani gets the Arabic template', async () => {
    const { r, ann } = await setUp(true);
    // The preview says that the Sorani speaker outside the window gets a template in another language.
    expect((await ann.preview('icssi-2019', announcement)).otherTemplateLanguage).toBe(1);
    const { id } = await ann.create('icssi-2019', announcement, 'cli:test');
    expect(await ann.send(id)).toEqual({ whatsapp: { sent: 3 } });
    expect(r.api.refusals).toEqual([]);
    expect(r.api.textsTo(INSIDE).at(-1)).toMatch(/^صدر البرنامج\./);
    expect(r.api.lastTo(OUTSIDE_EN)!.template).toMatchObject({ name: 'icssi_announcement_en', language: { code: 'en' } });
    const ckb = r.api.lastTo(OUTSIDE_CKB)!.template!;
    expect(ckb).toMatchObject({ name: 'icssi_announcement_ar', language: { code: 'ar' } });
    expect(JSON.stringify(ckb.components)).toContain('بەرنامەکە بڵاوکرایەوە.');
  });

  it('with no template, holds the copies outside the window and sends one when the person writes', async () => {
    const { r, ann, annStore } = await setUp(false);
    expect((await ann.preview('icssi-2019', announcement)).otherTemplateLanguage).toBe(0);
    const { id } = await ann.create('icssi-2019', announcement, 'cli:test');
    expect(await ann.send(id)).toEqual({ whatsapp: { sent: 1, held: 2 } });
    expect(r.api.refusals).toEqual([]);
    expect(r.api.to(OUTSIDE_EN)).toEqual([]);
    r.api.lastInbound.set(OUTSIDE_EN, r.clock.now.getTime());
    expect((await r.post(text(r.clock.now, 'hello', { bsuid: OUTSIDE_EN, phone: false }))).status).toBe(200);
    expect(r.api.textsTo(OUTSIDE_EN).some((t) => /programme/.test(t))).toBe(true);
    expect((await annStore.counts(id)).whatsapp).toEqual({ sent: 2, held: 1 });
  });
});
