/**
 * WhatsApp as people write on it: typed Iraqi Arabic and colloquial Sorani from the first message
 * to the receipt, no button pressed; replies to earlier messages (`context`), a template's
 * quick-reply button, media that is not text answered in the person's language, and a .docx and a
 * .pdf read through the media API at the text step.
 */
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { pdfPages } from './helpers/crafted-documents.js';
import { textOf } from './helpers/texts.js';
import { body, BSUID, messageFrom, text, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig;
afterEach(async () => rig?.close());

/** A person with a WhatsApp username: no phone number comes with their messages. */
const nameOnly = { phone: false as const };
const say = async (r: WhatsAppRig, t: string): Promise<string> => {
  const before = r.api.textsTo(BSUID).length;
  expect((await r.post(text(r.clock.now, t, nameOnly))).status).toBe(200);
  return r.api.textsTo(BSUID).slice(before).join('\n');
};
/** The visible title of the choice `id` in the last message: what a person would type. */
const labelOf = (r: WhatsAppRig, id: string) => {
  const m = r.api.lastTo(BSUID);
  return FakeCloudApi.titlesOf(m)[FakeCloudApi.choicesOf(m).indexOf(id)]!;
};

describe('typed conversations on WhatsApp', () => {
  it('goes from an Iraqi Arabic question to a receipt, typing only', async () => {
    rig = await whatsappRig();
    const first = await say(rig, 'السلام عليكم، شكد لازم تكون المساهمة؟');
    // The greeting, the answer to the question and the terms, all in Arabic, at once.
    expect(first).toMatch(/مساعد آلي/);
    expect(first).toMatch(/250 كلمة/);
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))[0]).toBe('consent:yes');
    expect(await say(rig, 'اي')).toMatch(/ماذا تودّ أن تفعل؟/);
    expect(await say(rig, 'شوكت آخر موعد؟')).toMatch(/موعد نهائي/);
    await say(rig, 'اريد اشارك');
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toEqual(['topic:1', 'topic:2', 'topic:3']);
    expect(await say(rig, '٢')).toMatch(/المحور 2/);
    await say(rig, 'سارة من البصرة');
    for (let i = 0; i < 3; i++) await say(rig, 'تخطي');
    expect(await say(rig, textOf('ar', 190))).toMatch(/190/);
    await say(rig, 'تم');
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toEqual(['review:confirm', 'review:edit']);
    // The confirm button's label, typed.
    const receipt = await say(rig, labelOf(rig, 'review:confirm'));
    expect(receipt).toMatch(/ICS-[A-Z0-9]{6}/);
    expect(rig.api.refusals).toEqual([]);
    // Every handled message was marked read; "typing…" only came with a document (none here).
    await rig.adapter.settled();
    expect(rig.api.read).toHaveLength(12);
    expect(rig.api.typing).toEqual([]);
  });

  it('serves colloquial Sorani typed from the first word', async () => {
    rig = await whatsappRig();
    const first = await say(rig, 'سڵاو');
    expect(first).toMatch(/یاریدەدەرێکی ئۆتۆماتیکی/);
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ar']);
    expect(await say(rig, 'بەڵێ')).toMatch(/دەتانەوێت چی بکەن؟/);
    // A question about the topics, answered, then the menu again.
    expect(await say(rig, 'بابەتەکان چین؟')).toMatch(/تەوەرەکانی کۆنفرانسەکە/);
    await say(rig, 'دەمەوێت بەشداری بکەم');
    expect(await say(rig, '١')).toMatch(/تەوەری ١/);
  });
});

describe('WhatsApp message shapes', () => {
  async function toTextStep(r: WhatsAppRig): Promise<void> {
    await say(r, 'مرحبا');
    await say(r, 'نعم');
    await say(r, 'اريد اشارك');
    await say(r, '1');
    await say(r, 'ليلى');
    for (let i = 0; i < 3; i++) await say(r, 'تخطي');
  }

  it('takes a reply to an earlier message (context) as an ordinary message', async () => {
    rig = await whatsappRig();
    await toTextStep(rig);
    const reply = messageFrom(rig.clock.now, { type: 'text', text: { body: textOf('ar', 40) }, context: { from: '9647700000000', id: 'wamid.EARLIER1' } }, nameOnly);
    await rig.post(body([reply], [], nameOnly));
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/40/);
  });

  it("reads a template's quick-reply button by its payload, or by its text when the payload is not ours", async () => {
    rig = await whatsappRig();
    await say(rig, 'hello');
    await rig.post(body([messageFrom(rig.clock.now, { type: 'button', button: { payload: 'consent:yes', text: 'I agree' } }, nameOnly)], [], nameOnly));
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toContain('menu:submit');
    // A button an organiser added to an approved template: its payload means nothing to the flow,
    // its visible text is read as typed.
    await rig.post(body([messageFrom(rig.clock.now, { type: 'button', button: { payload: 'campaign-7', text: 'Send a contribution' } }, nameOnly)], [], nameOnly));
    expect(FakeCloudApi.choicesOf(rig.api.lastTo(BSUID))).toEqual(['topic:1', 'topic:2', 'topic:3']);
  });

  it('answers video, contacts and an unsupported message in Arabic, and keeps the draft', async () => {
    rig = await whatsappRig();
    await toTextStep(rig);
    await say(rig, textOf('ar', 60));
    for (const m of [
      { type: 'video', video: { id: 'v1', mime_type: 'video/mp4' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Ali' }, phones: [{ phone: '+9647700000001' }] }] },
      { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
    ]) {
      const before = rig.api.textsTo(BSUID).length;
      await rig.post(body([messageFrom(rig.clock.now, m, nameOnly)], [], nameOnly));
      const answer = rig.api.textsTo(BSUID).slice(before).join('\n');
      expect(answer, m.type).toMatch(/أستطيع قراءة النصوص فقط/);
    }
    // The draft is as it was: 60 words, and 20 more make 80.
    expect(await say(rig, textOf('ar', 20))).toMatch(/80/);
  });

  it('reads a .docx and a .pdf through the media API at the text step, with "typing…" while it reads', async () => {
    rig = await whatsappRig();
    await toTextStep(rig);
    const words = textOf('ar', 120);
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun(words)] })] }] }));
    const docxId = rig.api.addMedia(docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    await rig.post(body([messageFrom(rig.clock.now, { type: 'document', document: { id: docxId, filename: 'مساهمتي.docx', mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sha256: 'x' } }, nameOnly)], [], nameOnly));
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/120/);
    const pdfId = rig.api.addMedia(await pdfPages(1, 50), 'application/pdf');
    await rig.post(body([messageFrom(rig.clock.now, { type: 'document', document: { id: pdfId, filename: 'part2.pdf', mime_type: 'application/pdf', sha256: 'y' } }, nameOnly)], [], nameOnly));
    expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/170/);
    expect(rig.api.downloads).toEqual([docxId, pdfId]);
    expect(rig.api.typing).toHaveLength(2);
  });
});
