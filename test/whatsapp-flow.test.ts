/**
 * A person doing the whole call on WhatsApp, through the signed webhook and the fake Cloud API, in
 * English, Arabic and Sorani: reply buttons for up to 3 choices, list messages for more, typed
 * numbers and labels, every handled message marked read, the receipt at the end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { textOf } from './helpers/texts.js';
import { BSUID, buttonReply, listReply, text, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';

let rig: WhatsAppRig;
afterEach(async () => rig?.close());

const last = (r: WhatsAppRig) => r.api.lastTo(BSUID);
const choices = (r: WhatsAppRig) => FakeCloudApi.choicesOf(last(r));
const say = (r: WhatsAppRig, t: string) => r.post(text(r.clock.now, t));
/** Presses what the last message offers: a reply button or a list row, as the fake rendered it. */
const tap = (r: WhatsAppRig, id: string) => {
  const m = last(r);
  const i = FakeCloudApi.choicesOf(m).indexOf(id);
  const title = FakeCloudApi.titlesOf(m)[i] ?? id;
  return r.post(m?.interactive?.type === 'list' ? listReply(r.clock.now, id, title) : buttonReply(r.clock.now, id, title));
};

async function wholeCall(r: WhatsAppRig, lang: 'en' | 'ar' | 'ckb'): Promise<string> {
  // The first words are read for their language: English goes straight to consent.
  expect((await say(r, 'hello')).status).toBe(200);
  expect(r.api.textsTo(BSUID).join('\n')).toMatch(/automated assistant/);
  expect(choices(r)).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
  // Four choices: a list message.
  expect(last(r)!.interactive!.type).toBe('list');
  if (lang !== 'en') await tap(r, `lang:${lang}`);
  expect(choices(r)).toContain('consent:yes');
  await tap(r, 'consent:yes');
  // The menu has five choices: a list message.
  expect(last(r)!.interactive!.type).toBe('list');
  await tap(r, 'menu:submit');
  expect(choices(r)).toContain('topic:2');
  await tap(r, 'topic:2');
  await say(r, 'Layla');
  await tap(r, 'skip:organisation');
  await tap(r, 'skip:country');
  await tap(r, 'skip:email');
  await say(r, textOf(lang, 240));
  expect(choices(r)).toContain('body:done');
  await tap(r, 'body:done');
  expect(choices(r)).toEqual(['review:confirm', 'review:edit']);
  await tap(r, 'review:confirm');
  const code = r.api.textsTo(BSUID).join('\n').match(/ICS-[A-Z0-9]{6}/);
  expect(code).not.toBeNull();
  return code![0];
}

describe('the call on WhatsApp', () => {
  for (const lang of ['en', 'ar', 'ckb'] as const) {
    it(`goes from a first typed message to the receipt in ${lang}`, async () => {
      rig = await whatsappRig();
      await wholeCall(rig, lang);
      // Every message the fake accepted kept the Cloud API's limits (it refuses the others).
      expect(rig.api.refusals).toEqual([]);
      expect(rig.api.messages.length).toBeGreaterThan(10);
      // Each handled message was marked read, once.
      await rig.adapter.settled();
      expect(rig.api.read.length).toBe(lang === 'en' ? 11 : 12);
      expect(new Set(rig.api.read).size).toBe(rig.api.read.length);
      if (lang !== 'en') expect(rig.api.textsTo(BSUID).at(-1)).toMatch(/[\u0600-\u06FF]/);
    });
  }

  it('takes typed numbers and labels for the choices shown as buttons and lists', async () => {
    rig = await whatsappRig();
    await say(rig, 'hello');
    // "1" typed: the first choice of the consent list (I agree).
    await say(rig, '1');
    expect(choices(rig)).toContain('menu:submit');
    // "Send a contribution" typed instead of choosing it from the list.
    const label = FakeCloudApi.titlesOf(last(rig))[FakeCloudApi.choicesOf(last(rig)).indexOf('menu:submit')]!;
    await say(rig, label);
    expect(choices(rig)).toContain('topic:2');
    await say(rig, '2');
    expect(rig.api.textsTo(BSUID).at(-1)).toBeTruthy();
    expect(rig.api.refusals).toEqual([]);
  });

  it('falls back to the title of a button whose id the step does not know', async () => {
    rig = await whatsappRig();
    await say(rig, 'hello');
    const agree = FakeCloudApi.titlesOf(last(rig))[0]!;
    await rig.post(buttonReply(rig.clock.now, 'OLD_CONSENT_BUTTON', agree));
    expect(choices(rig)).toContain('menu:submit');
  });

  it('answers a long text in parts under 4,096 characters split at words', async () => {
    rig = await whatsappRig();
    await say(rig, 'hello');
    await tap(rig, 'consent:yes');
    await tap(rig, 'menu:submit');
    await tap(rig, 'topic:1');
    await say(rig, 'Layla');
    await tap(rig, 'skip:organisation');
    await tap(rig, 'skip:country');
    await tap(rig, 'skip:email');
    await say(rig, textOf('en', 1500));
    await tap(rig, 'body:done');
    expect(rig.api.refusals).toEqual([]);
    expect(rig.api.messages.every((m) => (m.text?.body.length ?? 0) <= 4096)).toBe(true);
  });
});
