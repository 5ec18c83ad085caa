/**
 * WhatsApp documents whose media is no longer there, as Meta documents it: the URL from
 * GET /{media-id} is short-lived (about 5 minutes) and a webhook's media id is kept about 7 days.
 * A document whose URL expired before the download, or whose media id is gone (404), gets the
 * translated "could not read" answer; nothing of it is stored, the person can send it again, and
 * neither the URL nor the media id reaches a log line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { textOf } from './helpers/texts.js';
import { BSUID, body, messageFrom, text, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const DAY_MS = 24 * 3600_000;

const pick = (r: WhatsAppRig, choice: string) => {
  const m = r.api.lastTo(BSUID);
  const title = FakeCloudApi.titlesOf(m)[FakeCloudApi.choicesOf(m).indexOf(choice)] ?? choice;
  const interactive = m?.interactive?.type === 'list' ? { type: 'list_reply', list_reply: { id: choice, title } } : { type: 'button_reply', button_reply: { id: choice, title } };
  return r.post(body([messageFrom(r.clock.now, { type: 'interactive', interactive })]));
};

/** Consent (in `lang`), topic 2, a name, the rest skipped: at the text step. */
async function toBody(r: WhatsAppRig, lang: 'en' | 'ar' = 'en'): Promise<void> {
  await r.post(text(r.clock.now, 'hello'));
  if (lang !== 'en') await pick(r, `lang:${lang}`);
  await pick(r, 'consent:yes');
  await pick(r, 'menu:submit');
  await pick(r, 'topic:2');
  await r.post(text(r.clock.now, 'Layla'));
  for (const f of ['organisation', 'country', 'email']) await pick(r, `skip:${f}`);
}

/** A new message (its own id) with the document `mediaId`. */
const documentMessage = (r: WhatsAppRig, mediaId: string) =>
  body([messageFrom(r.clock.now, { type: 'document', document: { id: mediaId, filename: 'contribution.txt', mime_type: 'text/plain', sha256: 'x' } })]);

/** The failure was logged (a line to check), with neither the media id nor its URL. */
function expectNoMediaInLogs(r: WhatsAppRig, mediaIds: string[], line: RegExp): void {
  const logs = r.logs.join('\n');
  expect(logs).toMatch(line);
  for (const id of mediaIds) expect(logs).not.toContain(id);
  expect(logs).not.toContain(`${r.api.url}/media/`);
  expect(logs).not.toMatch(/https?:\/\//);
}

describe('WhatsApp media that is no longer there', () => {
  it('a URL expired before the download: "could not read", nothing stored, and the same document sent again is read', async () => {
    rig = await whatsappRig();
    const r = rig;
    await toBody(r);
    await r.post(text(r.clock.now, textOf('en', 100)));
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/100 words so far/);

    const id = r.api.addMedia(textOf('en', 150), 'text/plain');
    // The URL Meta hands out has expired by the time it is fetched.
    r.api.mediaTtlMs = -1;
    expect((await r.post(documentMessage(r, id))).status).toBe(200);
    expect(r.api.downloads).toEqual([id]);
    expect(r.api.textsTo(BSUID).slice(-2).join('\n')).toContain('I could not read any text in contribution.txt');
    expect(r.dispatcher.metrics.value('documents_total', { platform: 'whatsapp', outcome: 'unreadable' })).toBe(1);
    // Nothing of it was stored: the draft is what it was.
    await r.post(text(r.clock.now, textOf('en', 10)));
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/110 words so far/);

    // Sent again (a new message), with a fresh URL: read.
    r.api.mediaTtlMs = 5 * 60_000;
    await r.post(documentMessage(r, id));
    expect(r.api.textsTo(BSUID).at(-1)).toMatch(/260 words so far/);
    expectNoMediaInLogs(r, [id], /whatsapp media download failed/);
  });

  it('a media id older than about 7 days (404): "could not read" in Arabic, nothing fetched or stored, a new upload is read', async () => {
    rig = await whatsappRig();
    const r = rig;
    const old = r.api.addMedia(textOf('ar', 150), 'text/plain');
    r.clock.now = new Date(r.clock.now.getTime() + 8 * DAY_MS);
    await toBody(r, 'ar');
    await r.post(text(r.clock.now, textOf('ar', 100)));
    const before = r.api.textsTo(BSUID).at(-1)!;
    expect(before).toContain('100');

    expect((await r.post(documentMessage(r, old))).status).toBe(200);
    // Meta answered 404: no URL, so no download.
    expect(r.api.downloads).toEqual([]);
    expect(r.api.refusals).toEqual([100]);
    // The file name isolated (U+2068 … U+2069) inside the right-to-left sentence.
    expect(r.api.textsTo(BSUID).slice(-2).join('\n')).toContain('لم أتمكن من قراءة أي نص في \u2068contribution.txt\u2069');
    // The draft still holds its 100 words: the step's question again shows the same count.
    await r.post(text(r.clock.now, textOf('ar', 10)));
    expect(r.api.textsTo(BSUID).at(-1)).toContain('110');

    const fresh = r.api.addMedia(textOf('ar', 150), 'text/plain');
    await r.post(documentMessage(r, fresh));
    expect(r.api.downloads).toEqual([fresh]);
    expect(r.api.textsTo(BSUID).at(-1)).toContain('260');
    expectNoMediaInLogs(r, [old, fresh], /whatsapp media could not be read/);
  });
});
