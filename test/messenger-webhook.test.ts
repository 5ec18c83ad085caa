/**
 * /messenger over real HTTP: Meta's subscription check, signatures over the raw bytes, batches,
 * the events that are not messages, duplicates and the status policy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/errors.js';
import type { StepCommit } from '../src/core/ports.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { MemoryStore } from './helpers/memory-store.js';
import { signHub } from '../adapters/messenger/signatures.js';
import { FakeGraphApi } from './fakes/graph-api.js';
import { TEST_SECRET } from './helpers/harness.js';
import { APP_SECRET, fixture, messengerRig, metaJson, PSID, textFrom, VERIFY_TOKEN, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const ref = (psid: string) => ({ platform: 'messenger' as const, chatId: psid, userId: psid });
const stored = async (r: MessengerRig, psid: string) => (await r.store.load(conversationKey(TEST_SECRET, ref(psid)), ref(psid))).conversation;

describe('GET /messenger (subscription check)', () => {
  it('echoes hub.challenge as plain text when the verify token matches, else 403', async () => {
    rig = await messengerRig();
    const ok = await fetch(`${rig.base}/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${rig.base}/messenger?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toBe('');
    expect((await fetch(`${rig.base}/messenger?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
  });
});

describe('POST /messenger signatures', () => {
  it('refuses a missing or wrong signature with 401 and an empty body; nothing is stored or sent', async () => {
    rig = await messengerRig();
    const raw = metaJson(fixture('postback-get-started'));
    for (const signature of [null, 'sha256=' + '0'.repeat(64), signHub(raw, 'another-secret'), signHub(raw, APP_SECRET).replace('sha256=', 'sha1=')]) {
      const res = await rig.postRaw(raw, signature);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
    }
    expect(rig.graph.requests).toBe(0);
    expect(await stored(rig, PSID)).toBeNull();
  });

  it('verifies Arabic text over the escaped bytes Meta signs; the same body re-serialised does not verify', async () => {
    rig = await messengerRig();
    await rig.post(fixture('postback-get-started'));
    const body = textFrom(PSID, 'مرحبا، أريد المشاركة / شكرًا', rig.clock.now);
    const raw = metaJson(body);
    expect(raw).toContain('\\u0645\\u0631\\u062d\\u0628\\u0627');
    // What a careless server would verify: the parsed body written out again.
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    const forged = await rig.postRaw(reserialised, signHub(raw, APP_SECRET));
    expect(forged.status).toBe(401);
    const before = rig.graph.messages.length;
    const res = await rig.postRaw(raw, signHub(raw, APP_SECRET));
    expect(res.status).toBe(200);
    // The text reached the flow intact: it answers the language step (the typed text is no choice).
    expect(rig.graph.messages.length).toBeGreaterThan(before);
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    rig = await messengerRig();
    const res = await rig.postRaw('{"object":"page",');
    expect(res.status).toBe(400);
  });
});

describe('POST /messenger events', () => {
  it('processes every entry and every messaging item of a batch, in order', async () => {
    rig = await messengerRig();
    const res = await rig.post(fixture('batch'));
    expect(res.status).toBe(200);
    // Person A: Get Started, then English → the consent text in English.
    expect(rig.graph.textsTo('1111111111111111').at(-1)).toMatch(/what I keep/);
    // Person B: Get Started, then Arabic (a quick reply) → the consent text in Arabic.
    expect(rig.graph.textsTo('2222222222222222').at(-1)).toMatch(/[\u0600-\u06FF]/);
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo('2222222222222222'))).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
  });

  it('ignores echoes, deliveries and reads: 200, nothing stored, nothing sent', async () => {
    rig = await messengerRig();
    for (const name of ['echo', 'delivery', 'read']) {
      const res = await rig.post(fixture(name));
      expect(res.status, name).toBe(200);
    }
    expect(rig.graph.requests).toBe(0);
    expect(await stored(rig, PSID)).toBeNull();
    expect(await stored(rig, '106540354321987')).toBeNull();
  });

  it('processes a message delivered twice (same mid) once', async () => {
    rig = await messengerRig();
    const body = fixture('postback-get-started');
    await rig.post(body);
    const sent = rig.graph.messages.length;
    expect(sent).toBeGreaterThan(0);
    const again = await rig.post(body);
    expect(again.status).toBe(200);
    expect(rig.graph.messages.length).toBe(sent);
    // An old-style postback without a mid is deduplicated on sender + timestamp + payload.
    const old = fixture('postback-get-started');
    delete (old.entry[0]!.messaging[0]!.postback as { mid?: string }).mid;
    (old.entry[0]!.messaging[0]! as { timestamp: number }).timestamp += 1000;
    await rig.post(old);
    const afterOld = rig.graph.messages.length;
    expect(afterOld).toBeGreaterThan(sent);
    await rig.post(old);
    expect(rig.graph.messages.length).toBe(afterOld);
  });

  it('answers 503 when the event could not be stored, and processes it when Meta delivers it again', async () => {
    class FlakyStore extends MemoryStore {
      down = true;
      override async commit(c: StepCommit) {
        if (this.down) throw new AppError('STORAGE_UNAVAILABLE', 'database down');
        return super.commit(c);
      }
    }
    const store = new FlakyStore();
    rig = await messengerRig(store);
    const body = fixture('postback-get-started');
    expect((await rig.post(body)).status).toBe(503);
    expect(rig.graph.messages).toEqual([]);
    store.down = false;
    expect((await rig.post(body)).status).toBe(200);
    expect(rig.graph.textsTo(PSID).join('\n')).toMatch(/automated assistant/);
  });

  it('shows "typing…" while it reads a document, and shows nothing at all for a redelivered event', async () => {
    rig = await messengerRig();
    const r = rig;
    await r.post(fixture('postback-get-started'));
    // A file at the language step is answered without being downloaded, and quickly: no "typing…".
    const early = fixture('attachment-file');
    const earlyItem = early.entry[0]!.messaging[0]! as { message: { mid: string; attachments: { payload: { url: string } }[] } };
    earlyItem.message.mid = 'm_early_file';
    earlyItem.message.attachments[0]!.payload.url = r.graph.addFile('early.txt', 'Too soon.', 'text/plain');
    await r.post(early);
    expect(r.graph.textsTo(PSID).at(-2)).toMatch(/only while you write/);
    expect(r.graph.downloads).toEqual([]);
    for (const payload of ['lang:en', 'consent:yes', 'menu:submit', 'topic:2']) await r.post(textFrom(PSID, payload, r.clock.now, payload));
    await r.post(textFrom(PSID, 'Layla', r.clock.now));
    for (const payload of ['skip:organisation', 'skip:country', 'skip:email']) await r.post(textFrom(PSID, payload, r.clock.now, payload));
    // Quick answers need no "typing…".
    expect(r.graph.actions).toEqual([]);
    const body = fixture('attachment-file');
    const item = body.entry[0]!.messaging[0]! as { message: { attachments: { payload: { url: string } }[] } };
    item.message.attachments[0]!.payload.url = r.graph.addFile('notes.txt', 'A few words.', 'text/plain');
    await r.post(body);
    expect(r.graph.actions).toEqual([{ psid: PSID, action: 'typing_on' }]);
    expect(r.graph.downloads).toEqual(['notes.txt']);
    const requests = r.graph.requests;
    for (const again of [fixture('postback-get-started'), body]) expect((await r.post(again)).status).toBe(200);
    // Meta delivered both again: not a message, not even "typing…", and no second download.
    expect(r.graph.requests).toBe(requests);
    expect(r.graph.downloads).toEqual(['notes.txt']);
  });
});
