/**
 * Messenger as its users know it, through the signed webhook and the fake Graph API: m.me links
 * with a ref, stickers (the Like sticker too), quick replies from an older keyboard, the About
 * item of the persistent menu, one welcome message, and edits of sent messages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseItem } from '../adapters/messenger/parse.js';
import { FakeGraphApi } from './fakes/graph-api.js';
import { fixture, messengerRig, postbackFrom, PSID, textFrom, type Body, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const NOW = new Date('2026-11-26T09:00:00Z');
const say = (r: MessengerRig, text: string) => r.post(textFrom(PSID, text, r.clock.now));
const tap = (r: MessengerRig, payload: string, label = payload) => r.post(textFrom(PSID, label, r.clock.now, payload));
const press = (r: MessengerRig, payload: string) => r.post(postbackFrom(PSID, payload, r.clock.now));
const textsSince = (r: MessengerRig, n: number) => r.graph.textsTo(PSID).slice(n);
const item = (b: Body) => b.entry[0]!.messaging[0]! as Record<string, Record<string, unknown>>;

async function consented(r: MessengerRig) {
  await r.post(fixture('postback-get-started'));
  await press(r, 'lang:en');
  await r.post(fixture('quick-reply'));
}

describe('m.me links with a ref', () => {
  it('a new thread (Get Started with referral.ref=topic2) goes to topic 2 once the person has agreed', async () => {
    rig = await messengerRig();
    expect((await rig.post(fixture('postback-get-started-referral'))).status).toBe(200);
    await press(rig, 'lang:en');
    const n = rig.graph.textsTo(PSID).length;
    await rig.post(fixture('quick-reply'));
    const after = textsSince(rig, n).join('\n');
    // No topic question: the topic of the link is taken, and the next question is the name.
    expect(after).toMatch(/Topic 2: Rebuilding Iraq\./);
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo(PSID))).not.toContain('topic:1');
    expect(after).toMatch(/name/i);
  });

  it('an existing thread opened from a link (a referral event) starts at the topic', async () => {
    rig = await messengerRig();
    await consented(rig);
    const n = rig.graph.textsTo(PSID).length;
    expect((await rig.post(fixture('referral'))).status).toBe(200);
    const after = textsSince(rig, n).join('\n');
    expect(after).toMatch(/Topic 2: Rebuilding Iraq\./);
    expect(after).not.toMatch(/automated assistant/);
  });

  it('a referral mid-draft keeps the draft, offers the link\'s topic, and never greets again', async () => {
    rig = await messengerRig();
    await consented(rig);
    await tap(rig, 'menu:submit');
    await tap(rig, 'topic:1');
    await say(rig, 'Layla');
    const body = fixture('referral');
    (item(body).referral as { ref: string }).ref = 'topic3';
    const n = rig.graph.textsTo(PSID).length;
    await rig.post(body);
    const after = textsSince(rig, n).join('\n');
    expect(after).not.toMatch(/automated assistant/);
    expect(after).toMatch(/unfinished draft/);
    // The draft prompt names the link's topic and what choosing it would mean.
    expect(after).toMatch(/The link you opened is for topic 3: Solidarity\. To write on it instead, choose “Discard, start again”/);
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo(PSID))).toEqual(['draft:continue', 'draft:discard']);
    // Starting again takes the topic of the link.
    const m = rig.graph.textsTo(PSID).length;
    await press(rig, 'draft:discard');
    expect(textsSince(rig, m).join('\n')).toMatch(/Topic 3: Solidarity\./);
    // A redelivered referral (same sender, time and ref) is processed once.
    const sent = rig.graph.requests;
    await rig.post(body);
    expect(rig.graph.requests).toBe(sent);
  });

  it('a ref that is not a topic opens the conversation as usual', () => {
    const body = fixture('postback-get-started-referral');
    (item(body).postback!.referral as { ref: string }).ref = 'poster-basra';
    const parsed = parseItem(item(body), NOW);
    expect(parsed.type === 'event' && parsed.event).toMatchObject({ kind: 'command', command: 'start', args: 'poster-basra' });
  });
});

describe('stickers', () => {
  it('answers a sticker (type "sticker") with the sticker text, and the Like sticker (two attachments) once', async () => {
    rig = await messengerRig();
    await consented(rig);
    for (const name of ['sticker', 'like-sticker']) {
      const before = rig.graph.messages.length;
      expect((await rig.post(fixture(name))).status).toBe(200);
      const replies = rig.graph.messages.slice(before);
      const texts = textsSince(rig, rig.graph.textsTo(PSID).length - replies.length).join('\n');
      expect(texts).toMatch(/cannot use a sticker/);
      expect(texts.match(/cannot use a sticker/g)).toHaveLength(1);
      expect(texts).not.toMatch(/this kind of message/);
    }
  });
});

describe('quick replies', () => {
  it('reads an unknown quick-reply payload by its visible text, as if typed', async () => {
    rig = await messengerRig();
    await rig.post(fixture('postback-get-started'));
    const n = rig.graph.textsTo(PSID).length;
    // The language step; "English" from an older keyboard with a payload this release never sent.
    await rig.post(fixture('quick-reply-unknown'));
    const after = textsSince(rig, n).join('\n');
    expect(after).not.toMatch(/earlier message/);
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo(PSID))).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
  });

  it('still calls a known-looking but stale button an old one when it has no visible text', async () => {
    rig = await messengerRig();
    await consented(rig);
    const n = rig.graph.textsTo(PSID).length;
    const body = textFrom(PSID, '', rig.clock.now, 'review:confirm');
    delete (item(body).message as { text?: string }).text;
    await rig.post(body);
    expect(textsSince(rig, n).join('\n')).toMatch(/earlier message/);
  });
});

describe('the welcome and the menu', () => {
  it('welcomes in one message: the greeting with the language buttons', async () => {
    rig = await messengerRig();
    await rig.post(fixture('postback-get-started'));
    expect(rig.graph.messages).toHaveLength(1);
    const welcome = rig.graph.lastTo(PSID)!;
    expect(rig.graph.textsTo(PSID)[0]).toMatch(/automated assistant, not a person[\s\S]*language/i);
    // Messenger gives no language hint: the first screen speaks all three, briefly.
    expect(rig.graph.textsTo(PSID)[0]).toContain('يُرجى اختيار اللغة');
    expect(rig.graph.textsTo(PSID)[0]).toContain('تکایە زمانەکەتان هەڵبژێرن');
    expect(rig.graph.textsTo(PSID)[0]!.length).toBeLessThan(400);
    expect(FakeGraphApi.choicesOf(welcome)).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
    // The chosen language leads to the terms in it, the other two still on offer.
    await press(rig, 'lang:ckb');
    expect(rig.graph.textsTo(PSID).at(-1)).toContain('مەرجەکانم');
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo(PSID))).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ar']);
  });

  it('a first message with letters is greeted in their language, with the terms in the same message', async () => {
    rig = await messengerRig();
    await say(rig, 'مرحبا، أودّ المشاركة');
    expect(rig.graph.messages).toHaveLength(1);
    const [text] = rig.graph.textsTo(PSID);
    expect(text).toMatch(/مساعد آلي[\s\S]*إليك شروطي/);
    expect(FakeGraphApi.choicesOf(rig.graph.lastTo(PSID))).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
  });

  it('the persistent menu\'s About item is the core\'s about command, at any step', () => {
    const parsed = parseItem(item(postbackFrom(PSID, 'CMD:about', NOW)), NOW);
    expect(parsed.type === 'event' && parsed.event).toMatchObject({ kind: 'command', command: 'about', args: '' });
  });
});

describe('edits (the message_edits field)', () => {
  it('delivers an edit with the id of the edited message; messages carry their mid', async () => {
    const edit = parseItem(item(fixture('message-edit')), NOW);
    expect(edit.type === 'event' && edit.event).toMatchObject({
      kind: 'edit', text: 'Layla H.', messageId: 'm_text0000000000000000000000000000000000000000000000000000000000001', id: 'm_text0000000000000000000000000000000000000000000000000000000000001:edit:1',
    });
    const msg = parseItem(item(textFrom(PSID, 'Layla', NOW)), NOW);
    expect(msg.type === 'event' && msg.event.messageId).toMatch(/^m_test_/);
    rig = await messengerRig();
    await consented(rig);
    const n = rig.graph.textsTo(PSID).length;
    expect((await rig.post(fixture('message-edit'))).status).toBe(200);
    // The flow answers an edit (what it does with it is the flow's business); it is not ignored.
    expect(textsSince(rig, n).length).toBeGreaterThan(0);
  });
});
