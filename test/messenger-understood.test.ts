/**
 * Issue 20 on Messenger, through the signed webhook over HTTP and the fake Graph API, in English,
 * Arabic and Sorani: a quick reply or a postback whose payload the bot does not know (`TOPIC_2`,
 * from a keyboard of another release) is read by its visible text ("2 · Rebuilding Iraq"); the
 * terms are agreed by typing; a greeting or thanks gets its short answer; a question in everyday
 * words is answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGraphApi } from './fakes/graph-api.js';
import { fixture, messengerRig, postbackFrom, PSID, textFrom, type MessengerRig } from './helpers/messenger.js';
import type { Lang } from './helpers/texts.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const choices = (r: MessengerRig) => FakeGraphApi.choicesOf(r.graph.lastTo(PSID));
const say = (r: MessengerRig, text: string) => r.post(textFrom(PSID, text, r.clock.now));
const tap = (r: MessengerRig, payload: string, label: string) => r.post(textFrom(PSID, label, r.clock.now, payload));
const press = (r: MessengerRig, payload: string) => r.post(postbackFrom(PSID, payload, r.clock.now));
/** A postback with its button's title, as Messenger sends it. */
function postback(r: MessengerRig, payload: string, title: string) {
  const body = postbackFrom(PSID, payload, r.clock.now);
  (body.entry[0]!.messaging[0]! as { postback: { title: string } }).postback.title = title;
  return r.post(body);
}

const CASES: { lang: Lang; yes: string; thanks: string; thanked: RegExp; button: string; question: string; answer: RegExp }[] = [
  { lang: 'en', yes: 'I agree to the terms', thanks: 'thank you!', thanked: /welcome/, button: '2 · Rebuilding Iraq', question: 'Hello, is my text kept private?', answer: /Only the ICSSI organisers read/ },
  { lang: 'ar', yes: 'نعم', thanks: 'شكراً', thanked: /الرحب/, button: '٢ · إعادة بناء العراق', question: 'مرحبا، ما هو الحد الأقصى لعدد الكلمات؟', answer: /350/ },
  { lang: 'ckb', yes: 'بەڵێ', thanks: 'زۆر سوپاس', thanked: /شایانی/, button: '2 · بنیاتنانەوەی عێراق', question: 'ژمارەی وشەکان چەندە؟', answer: /٣٥٠/ },
];

/** The languages the terms offer beside the chosen one. */
const OTHERS: Record<Lang, string[]> = { en: ['lang:ar', 'lang:ckb'], ar: ['lang:en', 'lang:ckb'], ckb: ['lang:en', 'lang:ar'] };

describe('understood the first time, on Messenger', () => {
  for (const c of CASES) {
    it(`in ${c.lang}: "${c.yes}" agrees, thanks is answered, a question is answered, and a quick reply TOPIC_2 is read by its text`, async () => {
      rig = await messengerRig();
      await rig.post(fixture('postback-get-started'));
      // Messenger gives no language: the three-language first screen, then the terms with the other two languages.
      await press(rig, `lang:${c.lang}`);
      expect(choices(rig)).toEqual(['consent:yes', 'consent:no', ...OTHERS[c.lang]]);
      await say(rig, c.yes);
      expect(choices(rig)).toContain('menu:submit');
      await say(rig, c.thanks);
      expect(rig.graph.textsTo(PSID).at(-2)).toMatch(c.thanked);
      await say(rig, c.question);
      expect(rig.graph.textsTo(PSID).at(-2)).toMatch(c.answer);
      expect(choices(rig)).toContain('menu:submit');
      await tap(rig, 'menu:submit', 'Send a contribution');
      expect(choices(rig)).toEqual(['topic:1', 'topic:2', 'topic:3']);
      // A payload this release never sent: its visible text names the topic.
      await tap(rig, 'TOPIC_2', c.button);
      expect(choices(rig)).not.toContain('topic:1');
      expect(rig.graph.textsTo(PSID).join('\n')).not.toMatch(/earlier message|رسالة سابقة|نامەیەکی پێشووە/);
    });
  }

  it('a postback with an unknown payload is read by its title; one whose title names nothing stays an old button', async () => {
    rig = await messengerRig();
    await rig.post(fixture('postback-get-started'));
    await postback(rig, 'LANGUAGE_AR', 'العربية');
    expect(choices(rig)).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
    expect(rig.graph.lastTo(PSID)!.message.text ?? JSON.stringify(rig.graph.lastTo(PSID)!.message)).toMatch(/[\u0600-\u06FF]/);
    await postback(rig, 'OLD_THING', 'Something else');
    expect(choices(rig)).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
    expect(rig.graph.textsTo(PSID).join('\n')).toMatch(/رسالة سابقة/);
  });
});
