/**
 * A person doing the whole call in Messenger, through the signed webhook and the fake Graph API:
 * buttons as quick replies or button templates, files read as if typed, long texts split.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Document, Packer, Paragraph } from 'docx';
import { FakeGraphApi } from './fakes/graph-api.js';
import { textOf } from './helpers/texts.js';
import { fixture, messengerRig, postbackFrom, PSID, textFrom, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const choices = (r: MessengerRig) => FakeGraphApi.choicesOf(r.graph.lastTo(PSID));
const say = (r: MessengerRig, text: string) => r.post(textFrom(PSID, text, r.clock.now));
const tap = (r: MessengerRig, payload: string, label = payload) => r.post(textFrom(PSID, label, r.clock.now, payload));
const press = (r: MessengerRig, payload: string) => r.post(postbackFrom(PSID, payload, r.clock.now));

async function toBody(r: MessengerRig, lang: 'en' | 'ar' = 'en') {
  await r.post(fixture('postback-get-started'));
  await press(r, `lang:${lang}`);
  await r.post(fixture('quick-reply'));
  await tap(r, 'menu:submit');
  await tap(r, 'topic:2');
  await say(r, 'Layla');
  await tap(r, 'skip:organisation');
  await tap(r, 'skip:country');
  await tap(r, 'skip:email');
}

describe('the call in Messenger', () => {
  it('goes from Get Started to a receipt with quick replies and button templates', async () => {
    rig = await messengerRig();
    await rig.post(fixture('postback-get-started'));
    const texts = rig.graph.textsTo(PSID);
    expect(texts[0]).toMatch(/automated assistant, not a person/);
    // Three languages, nothing to type: a button template that stays on the message.
    const language = rig.graph.lastTo(PSID)!;
    expect(language.message.attachment?.payload.template_type).toBe('button');
    expect(FakeGraphApi.choicesOf(language)).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
    expect(language.messagingType).toBe('RESPONSE');

    await press(rig, 'lang:en');
    expect(choices(rig)).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
    await rig.post(fixture('quick-reply'));
    // The menu has five choices: quick replies.
    expect(rig.graph.lastTo(PSID)!.message.quick_replies?.map((q) => q.title)).toEqual(['About the conference', 'Send a contribution', 'My contributions', 'Language', 'Help']);
    await tap(rig, 'menu:submit');
    await tap(rig, 'topic:2');
    await say(rig, 'Layla');
    await tap(rig, 'skip:organisation');
    await tap(rig, 'skip:country');
    await say(rig, 'layla@example.org');
    await say(rig, textOf('en', 240));
    expect(rig.graph.textsTo(PSID).at(-1)).toMatch(/240 words so far/);
    await tap(rig, 'body:done');
    expect(choices(rig)).toEqual(['review:confirm', 'review:edit']);
    await tap(rig, 'review:confirm');
    const receipt = rig.graph.textsTo(PSID).join('\n');
    expect(receipt).toMatch(/Your receipt code is ICS-[A-Z0-9]{6}/);
    // The receipt and the menu are one message; the text is behind "Show my text".
    expect(rig.graph.textsTo(PSID).at(-1)).not.toContain(textOf('en', 240).slice(0, 40));
    expect(rig.graph.lastTo(PSID)!.message.quick_replies?.map((q) => q.title).at(-1)).toBe('Show my text');
    await tap(rig, 'receipt:text');
    expect(rig.graph.textsTo(PSID).at(-2)).toContain(textOf('en', 240).slice(0, 40));
    // Every message the fake accepted respected the Send API's limits (it refuses the others).
    expect(rig.graph.messages.every((m) => m.messagingType === 'RESPONSE')).toBe(true);
  });

  it('persistent-menu commands work at any step; typed /commands too', async () => {
    rig = await messengerRig();
    await toBody(rig);
    const since = (n: number) => rig.graph.textsTo(PSID).slice(n).join('\n');
    let n = rig.graph.textsTo(PSID).length;
    await press(rig, 'CMD:help');
    expect(since(n)).toMatch(/\/status — your contributions/);
    n = rig.graph.textsTo(PSID).length;
    await say(rig, '/status');
    // Nothing sent yet, but the draft is named, and can be continued from there.
    expect(since(n)).toMatch(/You have not sent a contribution yet\.\n\nNot sent yet: your draft \(Rebuilding Iraq, 0 words\)\./);
    expect(choices(rig)).toEqual(['draft:continue', 'menu:back']);
    await tap(rig, 'draft:continue');
    expect(rig.graph.textsTo(PSID).at(-1)).toMatch(/Now write your contribution on/);
  });

  it('reads a contribution sent as a .txt file and counts its words', async () => {
    rig = await messengerRig();
    await toBody(rig);
    const body = fixture('attachment-file');
    const item = body.entry[0]!.messaging[0]! as { timestamp: number; message: { attachments: { payload: { url: string } }[] } };
    item.timestamp = rig.clock.now.getTime();
    item.message.attachments[0]!.payload.url = rig.graph.addFile('contribution.txt', textOf('en', 230), 'text/plain');
    expect((await rig.post(body)).status).toBe(200);
    expect(rig.graph.textsTo(PSID).at(-1)).toMatch(/230 words so far/);
    expect(choices(rig)).toContain('body:done');
  });

  it('reads a .docx in Arabic', async () => {
    rig = await messengerRig();
    await toBody(rig, 'ar');
    const doc = new Document({ sections: [{ children: [new Paragraph(textOf('ar', 180))] }] });
    const body = fixture('attachment-file');
    const item = body.entry[0]!.messaging[0]! as { timestamp: number; message: { mid: string; attachments: { payload: { url: string } }[] } };
    item.timestamp = rig.clock.now.getTime();
    item.message.mid = 'm_docx_1';
    item.message.attachments[0]!.payload.url = rig.graph.addFile('مساهمتي.docx', await Packer.toBuffer(doc), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    await rig.post(body);
    expect(rig.graph.textsTo(PSID).at(-1)).toContain('180');
    expect(rig.graph.textsTo(PSID).at(-1)).toMatch(/[\u0600-\u06FF]/);
  });

  it('answers an image and a sticker clearly, and the step goes on', async () => {
    rig = await messengerRig();
    await toBody(rig);
    for (const [name, word] of [['attachment-image', 'an image'], ['attachment-sticker', 'a sticker']] as const) {
      const body = fixture(name);
      (body.entry[0]!.messaging[0]! as { timestamp: number }).timestamp = rig.clock.now.getTime();
      await rig.post(body);
      expect(rig.graph.textsTo(PSID).join('\n')).toContain(`cannot use ${word}`);
    }
    await say(rig, textOf('en', 200));
    expect(rig.graph.textsTo(PSID).at(-1)).toMatch(/200 words so far/);
  });

  it('splits a text over 2000 characters at word boundaries, buttons on the last part', async () => {
    rig = await messengerRig();
    const long = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');
    await rig.adapter.send({ platform: 'messenger', chatId: PSID, userId: PSID }, { text: long, choices: [{ id: 'menu:back', label: 'Menu' }] });
    const parts = rig.graph.messages.map((m) => m.message);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => p.text!.length <= 2000)).toBe(true);
    expect(parts.map((p) => p.text).join(' ')).toBe(long);
    expect(parts.slice(0, -1).every((p) => p.quick_replies === undefined)).toBe(true);
    expect(parts.at(-1)!.quick_replies?.map((q) => q.payload)).toEqual(['menu:back']);
  });
});
