/**
 * Meta's data-deletion callback: a signed_request verified with the app secret erases the person as
 * /delete does; the answer's status URL says so in their language, and knows no invented code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../src/core/conversation-key.js';
import { MemoryStore } from './helpers/memory-store.js';
import { makeConfirmationCode, makeSignedRequest } from '../adapters/messenger/signatures.js';
import { TEST_SECRET } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { APP_SECRET, fixture, messengerRig, postbackFrom, PSID, signedDeletion, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const ref = { platform: 'messenger' as const, chatId: PSID, userId: PSID };

async function submittedInArabic(r: MessengerRig): Promise<string> {
  const say = r.say;
  await r.post(fixture('postback-get-started'));
  await r.post(postbackFrom(PSID, 'lang:ar', r.clock.now));
  await say('أوافق', 'consent:yes');
  await say('إرسال مساهمة', 'menu:submit');
  await say('التضامن الدولي', 'topic:3');
  await say('نور');
  await say('منظمة الأمل');
  await say('تخطي', 'skip:country');
  await say('noor@example.org');
  await say(textOf('ar', 200));
  await say('تم', 'body:done');
  await say('إرسال', 'review:confirm');
  return r.graph.textsTo(PSID).join('\n').match(/ICS-[A-Z0-9]{6}/)![0];
}

describe('the data-deletion callback', () => {
  it('erases the person like /delete and answers with a status URL that reports it in their language', async () => {
    const store = new MemoryStore();
    rig = await messengerRig(store);
    const code = await submittedInArabic(rig);
    const signed = signedDeletion();
    const res = await rig.deletion(signed);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { url: string; confirmation_code: string };
    expect(answer.url).toBe(`https://bot.example.org/messenger/data-deletion/status?code=${encodeURIComponent(answer.confirmation_code)}`);

    const { contribution } = (await store.getContribution(code))!;
    expect(contribution).toMatchObject({ state: 'withdrawn', text: '' });
    expect(contribution.details.name).not.toBe('نور');
    expect(contribution.details.organisation).toBeNull();
    expect(contribution.details.email).toBeNull();
    expect((await rig.dispatcher.participantView(ref)).participant).toBeNull();

    const page = await fetch(`${rig.base}/messenger/data-deletion/status?code=${encodeURIComponent(answer.confirmation_code)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('مُسحت بياناتك');
    // The date as every other date in Arabic (date and time apart), and whom to write to about
    // the exported copies the erasure cannot reach.
    expect(html).toContain('2026، الساعة');
    expect(html).toContain('ولحذفها يُرجى الكتابة إلى \u2068icssi.project@gmail.com\u2069');

    // The same request again (Meta retries): 200, and still nothing about them.
    expect((await rig.deletion(signed)).status).toBe(200);
    const loaded = await store.load(conversationKey(TEST_SECRET, ref), ref);
    expect(loaded.participant).toBeNull();
  });

  it('refuses a signed_request with a wrong signature (401) or none (400), and erases nothing', async () => {
    const store = new MemoryStore();
    rig = await messengerRig(store);
    const code = await submittedInArabic(rig);
    const forged = makeSignedRequest({ algorithm: 'HMAC-SHA256', issued_at: 1_795_000_000, user_id: PSID }, 'not-the-app-secret');
    expect((await rig.deletion(forged)).status).toBe(401);
    // A valid signature over a payload with another algorithm is refused as well.
    expect((await rig.deletion(makeSignedRequest({ algorithm: 'HMAC-SHA1', user_id: PSID }, APP_SECRET))).status).toBe(401);
    expect((await rig.deletion(null)).status).toBe(400);
    expect((await store.getContribution(code))!.contribution.state).toBe('submitted');
  });

  it('the status page says "unknown code" for a code it did not issue', async () => {
    rig = await messengerRig();
    const real = makeConfirmationCode(new Date('2026-11-26T10:00:00Z'), 'en', APP_SECRET);
    const tampered = real.replace(/^[0-9a-z]+/, (ts) => (parseInt(ts, 36) + 1).toString(36));
    for (const code of [tampered, 'ABC', makeConfirmationCode(new Date(), 'en', 'other-secret')]) {
      const page = await fetch(`${rig.base}/messenger/data-deletion/status?code=${encodeURIComponent(code)}`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('Unknown confirmation code');
    }
    const ok = await fetch(`${rig.base}/messenger/data-deletion/status?code=${encodeURIComponent(real)}`);
    const okText = await ok.text();
    expect(okText).toContain('Your data was erased on 26 November 2026 at');
    expect(okText).toContain('to have them deleted, write to icssi.project@gmail.com.');
  });
});
