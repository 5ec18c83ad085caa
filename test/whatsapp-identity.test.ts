/**
 * Who a WhatsApp status or system message is about, on a real SQLite file over real HTTP:
 * - a failed status redelivered (Meta does, for days) marks, counts and logs once;
 * - a failed status naming only the phone (recipient_id) reaches the person through the phone's
 *   alias, stored as a keyed hash (no byte of the phone in the database files);
 * - a change of number (a new BSUID) moves the person's draft, state and submissions to it;
 *   user_changed_user_id (the BSUID alone) too; a redelivered system message changes nothing;
 * - /delete and purge erase the alias; no log line or export holds a phone number, an alias or a
 *   BSUID.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { aliasKey } from '../src/core/conversation-key.js';
import { exportContributions } from '../src/organisers/export.js';
import type { ConversationRef } from '../src/core/types.js';
import type { PrismaStore } from '../src/storage/prisma-store.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { sqliteStore } from './helpers/announce.js';
import { foundInFiles } from './helpers/erasure.js';
import { TEST_SECRET } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { BSUID, body, messageFrom, PHONE, text, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

const NEW_BSUID = 'IQ.7700112233445566778';
const NEW_PHONE = '9647709999999';
const OTHER_PHONE = '9647705550000';

let rig: WhatsAppRig | undefined;
let store: PrismaStore | undefined;
afterEach(async () => {
  await rig?.close();
  await store?.close();
  rig = undefined;
  store = undefined;
});

const refOf = (id: string): ConversationRef => ({ platform: 'whatsapp', chatId: id, userId: id });
const lastTo = (r: WhatsAppRig, id: string) => r.api.lastTo(id);
const pick = (r: WhatsAppRig, id: string, choice: string, who = { bsuid: BSUID, phone: PHONE as string | false }) => {
  const m = lastTo(r, id);
  const title = FakeCloudApi.titlesOf(m)[FakeCloudApi.choicesOf(m).indexOf(choice)] ?? choice;
  const interactive = m?.interactive?.type === 'list' ? { type: 'list_reply', list_reply: { id: choice, title } } : { type: 'button_reply', button_reply: { id: choice, title } };
  return r.post(body([messageFrom(r.clock.now, { type: 'interactive', interactive }, who)], [], who));
};

/** Consent, topic 2, a name, the rest skipped: at the text step. */
async function toBody(r: WhatsAppRig): Promise<void> {
  await r.post(text(r.clock.now, 'hello'));
  await pick(r, BSUID, 'consent:yes');
  await pick(r, BSUID, 'menu:submit');
  await pick(r, BSUID, 'topic:2');
  await r.post(text(r.clock.now, 'Layla'));
  for (const f of ['organisation', 'country', 'email']) await pick(r, BSUID, `skip:${f}`);
}

async function sqliteRig(): Promise<{ r: WhatsAppRig; s: PrismaStore; file: string }> {
  const opened = await sqliteStore();
  store = opened.store;
  rig = await whatsappRig(opened.store);
  return { r: rig, s: opened.store, file: opened.file };
}

const failed = (status: Record<string, unknown>) => body([], [{ status: 'failed', timestamp: '1795000000', ...status }]);
const systemMessage = (r: WhatsAppRig, system: Record<string, unknown>, from = { bsuid: BSUID, phone: PHONE as string | false }) =>
  // Meta's system messages carry no contacts array.
  ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: {}, messages: [messageFrom(r.clock.now, { type: 'system', system }, from)] } }] }] });

describe('WhatsApp statuses, once', () => {
  it('a failed status delivered three times marks the person, counts and logs once; a redelivery after they wrote again marks nothing', async () => {
    const { r } = await sqliteRig();
    await toBody(r);
    const status = failed({ id: 'wamid.OUT-A', recipient_user_id: BSUID, errors: [{ code: 131026, title: 'Message undeliverable' }] });
    for (let i = 0; i < 3; i++) expect((await r.post(status)).status).toBe(200);
    const metrics = r.dispatcher.metrics;
    expect(metrics.value('participants_marked_unreachable_total', { platform: 'whatsapp' })).toBe(1);
    expect(metrics.value('inbound_ignored_total', { platform: 'whatsapp', reason: 'status:failed' })).toBe(1);
    expect(metrics.value('redeliveries_total', { platform: 'whatsapp', kind: 'receipt' })).toBe(2);
    expect(r.logs.filter((l) => l.includes('whatsapp message failed'))).toHaveLength(1);
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableReason).toBe('whatsapp:131026');

    // They write: reachable again. Meta delivers the old failure once more: it stays handled.
    await r.post(text(r.clock.now, textOf('en', 30)));
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableAt).toBeNull();
    await r.post(status);
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableAt).toBeNull();
    expect(metrics.value('participants_marked_unreachable_total', { platform: 'whatsapp' })).toBe(1);

    // The same message failing with another status is another event: (id, status) is the key.
    await r.post(failed({ id: 'wamid.OUT-B', recipient_user_id: BSUID, errors: [{ code: 131047 }] }));
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableReason).toBe('whatsapp:131047');
  });
});

describe('WhatsApp aliases: the phone beside the BSUID', () => {
  it('a failed status naming only the phone reaches the person; no byte of the phone is stored', async () => {
    const { r, s, file } = await sqliteRig();
    await toBody(r);
    expect(await s.db.participantAlias.count()).toBe(1);
    // A number we never saw: nobody is marked.
    await r.post(failed({ id: 'wamid.OUT-C', recipient_id: OTHER_PHONE, errors: [{ code: 131026 }] }));
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableAt).toBeNull();
    // Meta leaves recipient_user_id out of a failed status for a message sent to a phone number.
    await r.post(failed({ id: 'wamid.OUT-D', recipient_id: PHONE, errors: [{ code: 131026 }] }));
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant?.unreachableReason).toBe('whatsapp:131026');
    await s.close();
    store = undefined;
    expect(foundInFiles(file, [PHONE])).toEqual([]);
    expect(r.logs.join('\n')).not.toContain(PHONE);
  });

  it('/delete erases the alias with the person (linked afresh when they come back), and purge does too', async () => {
    const { r, s } = await sqliteRig();
    await toBody(r);
    expect(await s.db.participantAlias.count()).toBe(1);
    await r.post(text(r.clock.now, '/delete'));
    await pick(r, BSUID, FakeCloudApi.choicesOf(lastTo(r, BSUID))[0]!);
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/Your data is erased/);
    expect(await s.db.participantAlias.count()).toBe(0);
    // Their phone no longer names anyone.
    await r.post(failed({ id: 'wamid.OUT-E', recipient_id: PHONE, errors: [{ code: 131026 }] }));
    expect(r.dispatcher.metrics.value('participants_marked_unreachable_total', { platform: 'whatsapp' })).toBe(0);

    // They come back and consent again: linked afresh.
    await r.post(text(r.clock.now, 'hello'));
    await pick(r, BSUID, 'consent:yes');
    expect(await s.db.participantAlias.count()).toBe(1);

    // Someone else consents (an alias stored), then the call is purged.
    const who = { bsuid: NEW_BSUID, phone: NEW_PHONE };
    await r.post(text(r.clock.now, 'hello', who));
    await pick(r, NEW_BSUID, 'consent:yes', who);
    expect(await s.db.participantAlias.count()).toBe(2);
    await s.purge(r.dispatcher.call.id, r.clock.now);
    expect(await s.db.participantAlias.count()).toBe(0);
  });
});

describe('WhatsApp changes of number: a new BSUID', () => {
  it("moves the person's draft, state and submissions to the new BSUID; the new phone becomes the alias; nothing is said", async () => {
    const { r, s, file } = await sqliteRig();
    await toBody(r);
    await r.post(text(r.clock.now, textOf('en', 120)));
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/120 words so far/);
    const sent = r.api.messages.length;

    const change = systemMessage(r, { body: `User Layla changed from ${PHONE} to ${NEW_PHONE}`, wa_id: NEW_PHONE, type: 'user_changed_number', user_id: NEW_BSUID, previous_user_id: BSUID });
    expect((await r.post(change)).status).toBe(200);
    expect(r.api.messages.length).toBe(sent);
    // Meta delivers it again: nothing left to move, nothing logged twice.
    expect((await r.post(change)).status).toBe(200);
    expect(r.dispatcher.metrics.value('user_id_changes_total', { platform: 'whatsapp', outcome: 'moved' })).toBe(1);
    expect(r.logs.filter((l) => l.includes('user id changed'))).toHaveLength(1);
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant).toBeNull();

    // The draft goes on from the new BSUID (and the new phone).
    const who = { bsuid: NEW_BSUID, phone: NEW_PHONE };
    await r.post(text(r.clock.now, textOf('en', 140), who));
    expect(r.api.textsTo(NEW_BSUID).at(-1)).toMatch(/260 words so far/);
    await pick(r, NEW_BSUID, 'body:done', who);
    await pick(r, NEW_BSUID, 'review:confirm', who);
    const code = r.api.textsTo(NEW_BSUID).join('\n').match(/ICS-[A-Z0-9]{6}/)![0];
    const view = await r.dispatcher.participantView(refOf(NEW_BSUID));
    expect(view.contributions.map((c) => c.code)).toEqual([code]);

    // A failure naming only the new phone reaches them.
    await r.post(failed({ id: 'wamid.OUT-F', recipient_id: NEW_PHONE, errors: [{ code: 131026 }] }));
    expect((await r.dispatcher.participantView(refOf(NEW_BSUID))).participant?.unreachableReason).toBe('whatsapp:131026');

    const logs = r.logs.join('\n');
    for (const id of [BSUID, NEW_BSUID, PHONE, NEW_PHONE]) expect(logs).not.toContain(id);
    // The organisers' export: the contribution under a pseudonym, no phone and no alias.
    const chunks: string[] = [];
    const out = new Writable({ write: (c: Buffer, _e, done) => void (chunks.push(c.toString('utf8')), done()) });
    expect(await exportContributions({ store: s, callId: r.dispatcher.call.id, secret: TEST_SECRET, format: 'json', out })).toBe(1);
    const exported = chunks.join('');
    expect(exported).toContain(code);
    const aliases = [PHONE, NEW_PHONE].map((p) => aliasKey(TEST_SECRET, 'whatsapp', p));
    for (const id of [BSUID, NEW_BSUID, PHONE, NEW_PHONE, ...aliases]) expect(exported).not.toContain(id);
    await s.close();
    store = undefined;
    expect(foundInFiles(file, [PHONE, NEW_PHONE])).toEqual([]);
  });

  it('follows user_changed_user_id (no phone shared), and leaves a new BSUID that has a participant of its own alone', async () => {
    rig = await whatsappRig();
    const r = rig;
    const noPhone = { bsuid: BSUID, phone: false as const };
    await r.post(text(r.clock.now, 'hello', noPhone));
    await pick(r, BSUID, 'consent:yes', noPhone);
    await r.post(systemMessage(r, { body: 'User changed', type: 'user_changed_user_id', user_id: NEW_BSUID, previous_user_id: BSUID }, noPhone));
    expect((await r.dispatcher.participantView(refOf(NEW_BSUID))).participant?.consentAt).not.toBeNull();
    expect((await r.dispatcher.participantView(refOf(BSUID))).participant).toBeNull();

    // Someone consented under OTHER already: a change onto it merges nothing.
    const OTHER = 'IQ.5566778899001122334';
    const other = { bsuid: OTHER, phone: false as const };
    await r.post(text(r.clock.now, 'hello', other));
    await pick(r, OTHER, 'consent:yes', other);
    await r.post(systemMessage(r, { body: 'User changed', type: 'user_changed_user_id', user_id: OTHER, previous_user_id: NEW_BSUID }, { bsuid: NEW_BSUID, phone: false }));
    expect(r.dispatcher.metrics.value('user_id_changes_total', { platform: 'whatsapp', outcome: 'taken' })).toBe(1);
    expect((await r.dispatcher.participantView(refOf(NEW_BSUID))).participant).not.toBeNull();
  });

  it('a system message with no new BSUID (the id stayed) changes nothing', async () => {
    rig = await whatsappRig();
    const r = rig;
    await toBody(r);
    await r.post(systemMessage(r, { body: `User Layla changed from ${PHONE} to ${NEW_PHONE}`, wa_id: NEW_PHONE, type: 'user_changed_number' }));
    await r.post(text(r.clock.now, textOf('en', 50), { bsuid: BSUID, phone: NEW_PHONE }));
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/50 words so far/);
    expect(r.dispatcher.metrics.value('user_id_changes_total', { platform: 'whatsapp', outcome: 'moved' })).toBe(0);
  });
});
