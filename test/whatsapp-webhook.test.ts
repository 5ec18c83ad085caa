/**
 * The WhatsApp webhook as Meta uses it: the GET verification, X-Hub-Signature-256 over the raw
 * bytes, batches of several entries, messages and statuses, redeliveries processed once, media
 * types answered, reactions and statuses never answered, documents read through the media API,
 * failed statuses marking a person unreachable, no raw BSUID or phone in the logs, /delete.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../src/core/types.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { MemoryStore } from './helpers/memory-store.js';
import { metaJson } from './helpers/messenger.js';
import { textOf } from './helpers/texts.js';
import { BSUID, body, buttonReply, messageFrom, PHONE, text, WA_VERIFY, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig;
afterEach(async () => rig?.close());

const OTHER = 'IQ.5566778899001122334';
const ref: ConversationRef = { platform: 'whatsapp', chatId: BSUID, userId: BSUID };
const tap = (r: WhatsAppRig, id: string) => r.post(buttonReply(r.clock.now, id, FakeCloudApi.titlesOf(r.api.lastTo(BSUID))[FakeCloudApi.choicesOf(r.api.lastTo(BSUID)).indexOf(id)]));
const listTap = (r: WhatsAppRig, id: string) => {
  const m = r.api.lastTo(BSUID);
  const title = FakeCloudApi.titlesOf(m)[FakeCloudApi.choicesOf(m).indexOf(id)]!;
  return r.post(body([messageFrom(r.clock.now, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } })]));
};

async function toBody(r: WhatsAppRig): Promise<void> {
  await r.post(text(r.clock.now, 'hello'));
  await listTap(r, 'consent:yes');
  await listTap(r, 'menu:submit');
  await listTap(r, 'topic:2');
  await r.post(text(r.clock.now, 'Layla'));
  for (const f of ['organisation', 'country', 'email']) await tap(r, `skip:${f}`);
}

describe('the WhatsApp webhook', () => {
  it('answers the GET verification with the challenge only for our verify token', async () => {
    rig = await whatsappRig();
    const get = (token: string) => fetch(`${rig.base}/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    const ok = await get(WA_VERIFY);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await get('wrong')).status).toBe(403);
  });

  it('refuses a missing or wrong signature (401) and a signed non-JSON body (400), answering nobody', async () => {
    rig = await whatsappRig();
    const raw = metaJson(text(rig.clock.now, 'hello'));
    expect((await rig.postRaw(raw, null)).status).toBe(401);
    expect((await rig.postRaw(raw, `sha256=${'0'.repeat(64)}`)).status).toBe(401);
    // Signed over a re-serialised body (characters not escaped): not the bytes Meta signed.
    expect((await rig.postRaw(raw.replace('hello', 'hallo'), undefined)).status).toBe(200);
    expect((await rig.postRaw('{not json', undefined)).status).toBe(400);
    expect(rig.api.messages.length).toBeGreaterThan(0);
    const before = rig.api.messages.length;
    expect((await rig.postRaw(metaJson(text(rig.clock.now, 'مرحبا')), 'sha256=' + 'a'.repeat(64))).status).toBe(401);
    expect(rig.api.messages.length).toBe(before);
  });

  it('handles every entry, message and status of a batch, answering messages only', async () => {
    rig = await whatsappRig();
    const batch = body([messageFrom(rig.clock.now, { type: 'text', text: { body: 'hello' } })], [{ id: 'wamid.OUT1', status: 'delivered', timestamp: '1795000000', recipient_id: PHONE, recipient_user_id: BSUID }]);
    const second = body([messageFrom(rig.clock.now, { type: 'text', text: { body: 'hello' } }, { bsuid: OTHER, phone: false })], [{ id: 'wamid.OUT2', status: 'read', recipient_user_id: OTHER }], { bsuid: OTHER, phone: false });
    (batch.entry as unknown[]).push(...(second.entry as unknown[]));
    // A second change in the first entry: a status only.
    ((batch.entry as { changes: unknown[] }[])[0]!.changes).push({ field: 'messages', value: { messaging_product: 'whatsapp', metadata: {}, statuses: [{ id: 'wamid.OUT3', status: 'sent', recipient_user_id: BSUID }] } });
    expect((await rig.post(batch)).status).toBe(200);
    // Both people answered (one of them has a username and no phone), each once.
    expect(rig.api.to(BSUID).length).toBeGreaterThan(0);
    expect(rig.api.to(OTHER).length).toBe(rig.api.to(BSUID).length);
    await rig.adapter.settled();
    expect(rig.api.read.length).toBe(2);
  });

  it('processes a redelivered message once: no second answer, no second read mark', async () => {
    rig = await whatsappRig();
    const b = text(rig.clock.now, 'hello');
    await rig.post(b);
    const sent = rig.api.messages.length;
    expect((await rig.post(b)).status).toBe(200);
    expect(rig.api.messages.length).toBe(sent);
    await rig.adapter.settled();
    expect(rig.api.read.length).toBe(1);
  });

  it('answers media with the translated "text only" answer, ignores reactions', async () => {
    rig = await whatsappRig();
    await toBody(rig);
    for (const [m, word] of [[{ type: 'image', image: { id: '1', mime_type: 'image/jpeg' } }, 'an image'], [{ type: 'sticker', sticker: { id: '2', animated: false } }, 'a sticker'], [{ type: 'audio', audio: { id: '3', voice: true } }, 'audio']] as const) {
      await rig.post(body([messageFrom(rig.clock.now, m)]));
      // The answer, then the step's question again.
      expect(rig.api.textsTo(BSUID).slice(-2).join('\n')).toContain(`cannot use ${word}`);
    }
    await rig.post(body([messageFrom(rig.clock.now, { type: 'location', location: { latitude: 36.19, longitude: 44.01 } })]));
    expect(rig.api.textsTo(BSUID).slice(-2).join('\n')).toMatch(/I can read text only/);
    const n = rig.api.messages.length;
    await rig.post(body([messageFrom(rig.clock.now, { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '\uD83D\uDC4D' } })]));
    expect(rig.api.messages.length).toBe(n);
  });

  it('reads a .txt document through the media API with the bearer token, at the text step', async () => {
    rig = await whatsappRig();
    await toBody(rig);
    const id = rig.api.addMedia(textOf('en', 230), 'text/plain');
    await rig.post(body([messageFrom(rig.clock.now, { type: 'document', document: { id, filename: 'contribution.txt', mime_type: 'text/plain', sha256: 'x' } })]));
    expect(rig.api.downloads).toEqual([id]);
    // "typing…" while the document was read, and only then.
    expect(rig.api.typing).toHaveLength(1);
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/230 words so far/);
  });

  it('marks a person unreachable on a failed status 131026 and never answers a status', async () => {
    const store = new MemoryStore();
    rig = await whatsappRig(store);
    await toBody(rig);
    const n = rig.api.messages.length;
    await rig.post(body([], [{ id: 'wamid.OUT9', status: 'failed', recipient_user_id: BSUID, errors: [{ code: 131026, title: 'Message undeliverable' }] }]));
    expect(rig.api.messages.length).toBe(n);
    const view = await rig.dispatcher.participantView(ref);
    expect(view.participant?.unreachableReason).toBe('whatsapp:131026');
  });

  it('logs neither the BSUID nor the phone number, and /delete erases the person', async () => {
    const store = new MemoryStore();
    rig = await whatsappRig(store);
    await toBody(rig);
    await rig.post(text(rig.clock.now, textOf('en', 200)));
    await tap(rig, 'body:done');
    await tap(rig, 'review:confirm');
    const code = rig.api.textsTo(BSUID).join('\n').match(/ICS-[A-Z0-9]{6}/)![0];
    await rig.post(text(rig.clock.now, '/delete'));
    await tap(rig, FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))[0]!);
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/Your data is erased/);
    const { contribution } = (await store.getContribution(code))!;
    expect(contribution).toMatchObject({ state: 'withdrawn', text: '' });
    expect((await rig.dispatcher.participantView(ref)).participant).toBeNull();

    // A send refused and a failed status both log: with a keyed pseudonym only.
    rig.api.failNext(131056);
    await rig.post(text(rig.clock.now, '/help'));
    await rig.post(body([], [{ id: 'wamid.OUT7', status: 'failed', recipient_user_id: BSUID, errors: [{ code: 131047 }] }]));
    const logs = rig.logs.join('\n');
    expect(logs).toMatch(/whatsapp send failed/);
    expect(logs).toMatch(/whatsapp message failed/);
    expect(logs).not.toContain(BSUID);
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain(BSUID.slice(3));
  });
});

describe('WhatsApp links, ads and system messages', () => {
  it('opens the call at the topic a wa.me text or a Click-to-WhatsApp ad names (#topic2)', async () => {
    rig = await whatsappRig();
    await rig.post(text(rig.clock.now, 'Hello ICSSI #topic2'));
    // A link opens like Telegram's /start topic2; the prefilled words tell the language, so the
    // greeting and the terms come in it at once (WhatsApp sends no language of its own).
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
    await rig.post(buttonReply(rig.clock.now, 'consent:yes', 'I agree'));
    const after = rig.api.textsTo(BSUID).join('\n');
    expect(after).toMatch(/Rebuilding Iraq/);
    // The README's Arabic and Sorani links: «مرحبا #topic2» and «سڵاو #topic3».
    for (const [who, words, lng, topic] of [['IQ.1000000000000000001', 'مرحبا #topic2', 'ar', /إعادة بناء العراق/], ['IQ.1000000000000000002', 'سڵاو، دەمەوێت بەشداری بکەم #topic3', 'ckb', /هاوپشتیی نێودەوڵەتی/]] as const) {
      const person = { bsuid: who, phone: false as const };
      await rig.post(body([messageFrom(rig.clock.now, { type: 'text', text: { body: words } }, person)], [], person));
      const first = rig.api.textsTo(who).join('\n');
      expect(first, lng).toMatch(lng === 'ar' ? /مرحبًا/ : /سڵاو/);
      expect(first, lng).not.toMatch(/Please choose your language/);
      expect(FakeCloudApi.choicesOf(rig.api.lastTo(who))[0]).toBe('consent:yes');
      await rig.post(body([messageFrom(rig.clock.now, { type: 'text', text: { body: lng === 'ar' ? 'نعم' : 'بەڵێ' } }, person)], [], person));
      expect(rig.api.textsTo(who).join('\n'), lng).toMatch(topic);
    }
    // An ad's referral carries the tag in its headline; the person's text is the ad's greeting.
    const other = await whatsappRig();
    try {
      await other.post(body([messageFrom(other.clock.now, { type: 'text', text: { body: 'Hi! Tell me more' }, referral: { source_url: 'https://fb.me/x', source_type: 'ad', headline: 'Write on #topic2', body: 'ICSSI' } })]));
      await other.post(buttonReply(other.clock.now, 'lang:en', 'English'));
      await other.post(buttonReply(other.clock.now, 'consent:yes', 'I agree'));
      expect(other.api.textsTo(BSUID).join('\n')).toMatch(/Rebuilding Iraq/);
    } finally {
      await other.close();
    }
  });

  it('answers an unsupported message (an edit) as media, and says nothing to user_changed_number', async () => {
    rig = await whatsappRig();
    await toBody(rig);
    await rig.post(body([messageFrom(rig.clock.now, { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] })]));
    expect(rig.api.textsTo(BSUID).slice(-2).join('\n')).toMatch(/I can read text only/);
    const n = rig.api.messages.length;
    const changed = body([messageFrom(rig.clock.now, { type: 'system', system: { body: 'User A changed from 9647701234567 to 9647709999999', wa_id: '9647709999999', type: 'user_changed_number' } })]);
    expect((await rig.post(changed)).status).toBe(200);
    expect(rig.api.messages.length).toBe(n);
    // The BSUID stays: the conversation goes on from the same step with the new number.
    await rig.post(text(rig.clock.now, textOf('en', 210), { phone: '9647709999999' }));
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/210 words so far/);
  });
});
