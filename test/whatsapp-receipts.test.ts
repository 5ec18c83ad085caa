/**
 * Delivery receipts on WhatsApp, over real HTTP with signed webhooks against the fake Cloud API,
 * on SQLite and PostgreSQL. Meta accepts a message (its answer names it: messages[0].id) and may
 * report later, by that id, that it failed (statuses[].status "failed", 131026 undeliverable,
 * 131047 outside the window). A decision notice counted sent is then held with the code and sent
 * again when the person next writes; an announcement copy counted sent is counted unreachable; a
 * reply is only counted. The same failed status delivered again changes nothing. No stored
 * receipt holds the message id itself (a real wamid is base64 holding the phone number).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import type { WhatsAppConfig } from '../adapters/whatsapp/config.js';
import { Announcements } from '../src/announcements/sending.js';
import { coreApi } from '../src/core/bot-core.js';
import { silentLogger } from '../src/core/log.js';
import type { ConversationRef } from '../src/core/types.js';
import { decide } from '../src/organisers/decisions.js';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { fakeTime, seed } from './helpers/announce.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { textOf } from './helpers/texts.js';
import { body, PHONE, BSUID, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';
import { idInWamids, WaPerson } from './helpers/whatsapp-person.js';

const scratch = scratchDatabases('wa-receipts');
const HOUR = 3600_000;
const ref: ConversationRef = { platform: 'whatsapp', chatId: BSUID, userId: BSUID };

let rig: WhatsAppRig | undefined;
let store: PrismaStore | undefined;
afterEach(async () => {
  await rig?.close();
  await store?.close();
  rig = undefined;
  store = undefined;
});

/** A failed status for a message the bot sent (`to`: the person's BSUID), as Meta posts it. */
function failed(wamid: string, code: number, to = BSUID): Record<string, unknown> {
  return body([], [{
    id: wamid, status: 'failed', timestamp: '1764147600', recipient_user_id: to,
    errors: [{ code, title: code === 131026 ? 'Message undeliverable' : 'Re-engagement message', error_data: { details: 'Message failed to send.' } }],
  }]);
}

const lateFailures = (r: WhatsAppRig, kind: string) => r.dispatcher.metrics.value('deliveries_failed_after_send_total', { platform: 'whatsapp', kind });

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`delivery receipts on WhatsApp (${provider})`, () => {
    const setUp = async (config?: Partial<WhatsAppConfig>) => {
      store = await openStore(databaseUrl(await scratch.empty(provider)));
      rig = await whatsappRig(store, { config });
      return { r: rig, s: store };
    };

    it('holds a decision notice that failed after it was accepted, sends it again when the person writes, and a redelivered failure changes nothing', async () => {
      const { r, s } = await setUp();
      const person = new WaPerson(r, { bsuid: BSUID, phone: PHONE });
      const code = await person.submits({ name: 'Layla', organisation: null, country: null, email: null, text: textOf('en', 260) });
      const pid = (await r.dispatcher.participantView(ref)).participant!.id;

      const before = r.api.sentIds.length;
      expect(await decide(coreApi(r.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null })).toEqual({ result: 'recorded', notice: 'sent' });
      const noticeIds = r.api.sentIds.slice(before);
      const noticeText = r.api.messages.slice(before).map((m) => m.text?.body).join('\n');
      expect(noticeText).toContain(code);
      // One receipt per part Meta accepted, none holding the id itself.
      const receipts = await s.db.sendReceipt.findMany();
      expect(receipts).toHaveLength(noticeIds.length);
      // (The fake's ids hold the number as Meta's do: the BSUID's digits, base64.)
      expect(noticeIds.every((id) => id.includes(idInWamids({ bsuid: BSUID, phone: false })))).toBe(true);
      for (const id of noticeIds) expect(JSON.stringify(receipts)).not.toContain(id.replace('wamid.', ''));
      expect(JSON.stringify(receipts)).not.toContain(idInWamids({ bsuid: BSUID, phone: false }));

      // Meta reports it undeliverable: held with its code, and the person marked unreachable.
      const sentBefore = r.api.messages.length;
      expect((await r.post(failed(noticeIds[0]!, 131026))).status).toBe(200);
      expect(await s.noticesFor(pid, ['sent'])).toEqual([]);
      expect(await s.noticesFor(pid, ['held'])).toEqual([expect.objectContaining({ reason: 'whatsapp:131026' })]);
      expect((await r.dispatcher.participantView(ref)).participant?.unreachableReason).toBe('whatsapp:131026');
      expect(lateFailures(r, 'notice')).toBe(1);
      expect(await s.heldCounts()).toEqual({ whatsapp: 1 });

      // The same failed status again (Meta redelivers): nothing more changes.
      const held = await s.noticesFor(pid, ['held']);
      expect((await r.post(failed(noticeIds[0]!, 131026))).status).toBe(200);
      expect(await s.noticesFor(pid, ['held'])).toEqual(held);
      expect(lateFailures(r, 'notice')).toBe(1);
      expect(lateFailures(r, 'reply')).toBe(0);
      // A status is never answered.
      expect(r.api.messages.length).toBe(sentBefore);

      // The person writes: the window is open and they can be reached; the notice goes again.
      const resentFrom = r.api.sentIds.length;
      await person.say('hello again');
      const again = r.api.messages.slice(resentFrom).map((m) => m.text?.body).join('\n');
      expect(again).toContain(noticeText);
      expect(await s.noticesFor(pid, ['held'])).toEqual([]);
      expect(await s.noticesFor(pid, ['sent'])).toHaveLength(1);
      expect((await r.dispatcher.participantView(ref)).participant?.unreachableAt).toBeNull();

      // The first send's failure delivered once more: the notice sent since stays sent.
      expect((await r.post(failed(noticeIds[0]!, 131026))).status).toBe(200);
      expect(await s.noticesFor(pid, ['sent'])).toHaveLength(1);
      expect(lateFailures(r, 'notice')).toBe(1);
    });

    it('counts an announcement copy unreachable when its text or its template failed after Meta accepted it', async () => {
      const { r, s } = await setUp({ templates: { announcement: { en: 'icssi_announcement_en', ar: 'icssi_announcement_ar' } } });
      r.api.windowCheck = true;
      const INSIDE = 'IQ.3000000000000000001';
      const OUTSIDE = 'IQ.3000000000000000002';
      const KEPT = 'IQ.3000000000000000003';
      for (const [id, locale, h] of [[INSIDE, 'ar', 2], [OUTSIDE, 'en', 30], [KEPT, 'ckb', 3]] as const) {
        const at = new Date(r.clock.now.getTime() - h * HOUR);
        await seed(s, { platform: 'whatsapp', userId: id, locale, at });
        r.api.lastInbound.set(id, at.getTime());
      }
      const time = fakeTime();
      // As the app wires it (src/app-announcements.ts): each accepted copy's receipt through the dispatcher.
      const ann = new Announcements({
        store: s.announcements, renderer: r.dispatcher.renderer, channels: announcementChannels([r.adapter]), clock: () => r.clock.now, logger: silentLogger,
        pacers: { whatsapp: time.pacer(80) }, onAccepted: (sent) => r.dispatcher.rememberSent(sent),
      });
      const { id } = await ann.create('icssi-2019', { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' }, expiresAt: null }, 'cli:test');
      expect(await ann.send(id)).toEqual({ whatsapp: { sent: 3 } });
      const wamidTo = (to: string) => r.api.sentIds[r.api.messages.findIndex((m) => m.to === to)]!;
      expect(r.api.messages.find((m) => m.to === OUTSIDE)?.type).toBe('template');

      expect((await r.post(failed(wamidTo(INSIDE), 131026, INSIDE))).status).toBe(200);
      expect((await r.post(failed(wamidTo(OUTSIDE), 131026, OUTSIDE))).status).toBe(200);
      expect((await ann.store.counts(id)).whatsapp).toEqual({ sent: 1, unreachable: 2 });
      // Redelivered: counted once.
      expect((await r.post(failed(wamidTo(INSIDE), 131026, INSIDE))).status).toBe(200);
      expect((await ann.store.counts(id)).whatsapp).toEqual({ sent: 1, unreachable: 2 });
      expect(lateFailures(r, 'announcement')).toBe(2);
      expect(lateFailures(r, 'reply')).toBe(0);
    });

    it('counts a reply that failed after it was accepted (replies keep no receipt)', async () => {
      const { r, s } = await setUp();
      const person = new WaPerson(r, { bsuid: BSUID, phone: PHONE });
      await person.say('hello');
      const reply = r.api.sentIds.at(-1)!;
      expect((await r.post(failed(reply, 131047))).status).toBe(200);
      expect(lateFailures(r, 'reply')).toBe(1);
      expect(lateFailures(r, 'notice')).toBe(0);
      expect(await s.db.sendReceipt.count()).toBe(0);
    });
  });
}
