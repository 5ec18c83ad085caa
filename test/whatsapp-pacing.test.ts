/**
 * WhatsApp's sending limits honoured by replies, with the bot assembled as production does it
 * (test/helpers/whatsapp-runtime.ts) over real HTTP, signed webhooks, a real SQLite file and the
 * real clock, against the fake Cloud API with its limits enforced (`strictLimits`):
 * - the pair rate (131056): a person who writes 20 times in 10 s gets every reply, in order, and
 *   the strict fake refuses none; the webhook never waits for the pacer, and another person's
 *   replies are not delayed by it. Without the pacing the same fake refuses (the test can fail),
 *   and the refused part is sent again after the wait, still in order.
 * - 368 (account temporarily blocked) pauses every send, replies and announcements, with one
 *   operator alert; the replies are kept and delivered when the pause ends.
 * - 190 (token refused): one alert for the burst, not one per message; replies kept.
 * The number's 80/s shared with announcements: test/whatsapp-throughput.test.ts.
 *
 * Time is scaled so that the tests take seconds: the pair interval is 1.2 s instead of 6 s (the
 * fake's and the adapter's alike, WHATSAPP_PAIR_SECONDS), the pause 1.5 s (WHATSAPP_PAUSE_SECONDS).
 * The fake allows a burst of 12, the adapter takes 10 (WHATSAPP_PAIR_BURST; by default 30 against
 * Meta's 45): requests reach Meta with jitter, so the adapter keeps a margin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementStoreOf } from '../src/app-announcements.js';
import { seed } from './helpers/announce.js';
import { person, whatsappRuntime, type Person, type WhatsAppRuntime } from './helpers/whatsapp-runtime.js';

let running: WhatsAppRuntime[] = [];
afterEach(async () => {
  for (const w of running) await w.close();
  running = [];
});

async function start(env: NodeJS.ProcessEnv, strict: boolean): Promise<WhatsAppRuntime> {
  const w = await whatsappRuntime(env);
  running.push(w);
  w.api.strictLimits = strict;
  w.api.pairIntervalMs = 1_200;
  w.api.pairBurst = 12;
  return w;
}

// A burst of 10 against the fake's 12 (the default, 30, against Meta's 45: the same margin, scaled down).
const PACED = { WHATSAPP_PAIR_SECONDS: '1.2', WHATSAPP_PAUSE_SECONDS: '1.5', WHATSAPP_PAIR_BURST: '10' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Twenty messages that walk through the flow and then chatter: each step answers differently. */
const SPAM = ['hello', 'I agree', 'Send a contribution', '1', 'Layla', 'skip', 'skip', 'skip', 'Civil society grows', 'hello', 'what', 'help', 'menu', '2', 'x', 'y', 'z', 'hi', 'ok', 'bye'];
const CALM = ['hello', 'I agree', 'Send a contribution', '1', 'Rana'];
const A = person(1);
const B = person(2);

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const alerts = (w: WhatsAppRuntime, re: RegExp) => w.logs.filter((l) => JSON.parse(l).level === 'error' && re.test(l));

/** What the bot answers to these scripts with no limits at all: the texts, and B's count after each step. */
async function reference(): Promise<{ a: string[]; b: string[]; bSteps: number[] }> {
  const w = await start({ WHATSAPP_PAIR_BURST: '1000' }, false);
  for (const t of SPAM) await w.say(A, t);
  const bSteps: number[] = [];
  for (const t of CALM) {
    await w.say(B, t);
    bSteps.push(w.api.to(B.bsuid).length);
  }
  return { a: w.api.textsTo(A.bsuid), b: w.api.textsTo(B.bsuid), bSteps };
}

/** A writes SPAM over 10 s while B goes through CALM; B's latency per message, A's webhook times. */
async function spamWhileBWrites(w: WhatsAppRuntime, bSteps: number[]): Promise<{ bLatency: number[]; aWebhook: number[] }> {
  const aWebhook: number[] = [];
  const bLatency: number[] = [];
  const spam = (async () => {
    for (const t of SPAM) {
      const t0 = performance.now();
      expect(await w.say(A, t)).toBe(200);
      aWebhook.push(performance.now() - t0);
      await sleep(500);
    }
  })();
  const calm = (async () => {
    await sleep(3_000); // A's burst is spent by then: B writes while A's replies wait.
    for (const [i, t] of CALM.entries()) {
      const t0 = performance.now();
      expect(await w.say(B, t)).toBe(200);
      await until("B's reply", () => w.api.to(B.bsuid).length >= bSteps[i]!, 10_000);
      bLatency.push(performance.now() - t0);
      await sleep(1_000);
    }
  })();
  await Promise.all([spam, calm]);
  return { bLatency, aWebhook };
}

describe('WhatsApp replies under the pair rate limit', () => {
  it('a person who writes 20 times in 10 s gets every reply, in order, with no 131056; others are not delayed', { timeout: 90_000 }, async () => {
    const ref = await reference();
    expect(ref.a.length).toBeGreaterThan(20);
    const w = await start(PACED, true);
    const { bLatency, aWebhook } = await spamWhileBWrites(w, ref.bSteps);
    await until("all of A's replies", () => w.api.to(A.bsuid).length >= ref.a.length, 40_000);
    await sleep(300);
    expect(w.api.textsTo(A.bsuid)).toEqual(ref.a);
    expect(w.api.textsTo(B.bsuid)).toEqual(ref.b);
    expect(w.api.refusals).toEqual([]);
    // The pacer did hold A's replies back (else this test proves nothing)...
    expect(w.adapter.gate.deferred).toBeGreaterThan(0);
    // ...without the webhook waiting for it, and without B waiting behind A.
    const numbers = { aWebhookMaxMs: Math.round(Math.max(...aWebhook)), bP50Ms: Math.round(pct(bLatency, 50)), bMaxMs: Math.round(Math.max(...bLatency)), deferred: w.adapter.gate.deferred };
    process.stdout.write(`pair pacing: ${JSON.stringify(numbers)}\n`);
    expect(numbers.aWebhookMaxMs).toBeLessThan(1_000);
    // Well under one pair interval (1.2 s): B's replies never waited for A's.
    expect(numbers.bMaxMs).toBeLessThan(1_000);
    expect(w.logs.some((l) => l.includes('reply dead-lettered'))).toBe(false);
  });

  it('without the pacing the strict fake refuses (131056); the refused part goes again after the wait, in order', { timeout: 90_000 }, async () => {
    const ref = await reference();
    // The adapter's bucket as large as the whole script: nothing held back.
    const w = await start({ ...PACED, WHATSAPP_PAIR_BURST: '1000' }, true);
    for (const t of SPAM) {
      expect(await w.say(A, t)).toBe(200);
      await sleep(500);
    }
    expect(w.api.refusals).toContain(131056);
    await until("all of A's replies", () => w.api.to(A.bsuid).length >= ref.a.length, 40_000);
    await sleep(300);
    expect(w.api.textsTo(A.bsuid)).toEqual(ref.a);
    expect(w.logs.some((l) => l.includes('reply dead-lettered'))).toBe(false);
  });
});

describe('WhatsApp paused by Meta', () => {
  it('368 pauses every send, replies and announcements, with one alert; the replies go when the pause ends', { timeout: 60_000 }, async () => {
    const w = await start(PACED, true);
    const store = announcementStoreOf(w.runtime.app);
    const listeners = ['IQ.5000000000000000001', 'IQ.5000000000000000002', 'IQ.5000000000000000003'];
    for (const id of listeners) await seed(w.runtime.app.store, { platform: 'whatsapp', userId: id, locale: 'en', at: new Date() });
    w.api.failNext(368);
    const blockedAt = performance.now();
    expect(await w.say(A, 'hello')).toBe(200);
    expect(w.api.refusals).toEqual([368]);
    // Within the pause: another person's reply and an announcement reach nothing.
    expect(await w.say(B, 'hello')).toBe(200);
    const announcements = await w.runtime.announcements();
    const { id } = await announcements.create('icssi-2019', { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' }, expiresAt: null }, 'cli:test');
    const sending = announcements.send(id);
    await sleep(500);
    expect(performance.now() - blockedAt).toBeLessThan(1_500);
    expect(w.api.messages).toEqual([]);
    // After it: everything, in order; nothing dead-lettered; one alert.
    const counts = await sending;
    expect(counts).toEqual({ whatsapp: { sent: 3 } });
    await until('the replies', () => w.api.to(A.bsuid).length >= 2 && w.api.to(B.bsuid).length >= 2, 10_000);
    expect(performance.now() - blockedAt).toBeGreaterThanOrEqual(1_500);
    expect(w.api.textsTo(A.bsuid).join('\n')).toMatch(/^Hello! This is the ICSSI bot/);
    expect(w.api.textsTo(A.bsuid)).toEqual(w.api.textsTo(B.bsuid));
    for (const l of listeners) expect(w.api.textsTo(l).join('\n')).toContain('The programme is out.');
    expect(await store.counts(id)).toEqual({ whatsapp: { sent: 3 } });
    expect(alerts(w, /368/)).toHaveLength(1);
    expect(w.logs.some((l) => l.includes('reply dead-lettered'))).toBe(false);
  });

  it('190 (token refused) is one alert naming WHATSAPP_TOKEN for the burst, not one per message; replies kept', { timeout: 60_000 }, async () => {
    const w = await start(PACED, true);
    // Refused twice: the first send, and the one that tries again after the first pause.
    w.api.failNext(190, 190);
    const people: Person[] = [A, B, person(3), person(4)];
    await Promise.all(people.map(async (p) => expect(await w.say(p, 'hello')).toBe(200)));
    await until('every reply', () => people.every((p) => w.api.to(p.bsuid).length >= 2), 15_000);
    expect(w.api.refusals).toEqual([190, 190]);
    const alert = alerts(w, /WHATSAPP_TOKEN/);
    expect(alert).toHaveLength(1);
    expect(alert[0]).not.toContain(w.api.token);
    for (const p of people) expect(w.api.textsTo(p.bsuid).join('\n')).toMatch(/^Hello! This is the ICSSI bot/);
    expect(w.logs.some((l) => l.includes('reply dead-lettered'))).toBe(false);
  });

  it("with the defaults, someone tapping through the whole form at once is answered at once, within Meta's real limits", async () => {
    // Tried as a new user would: with a burst of 10, every reply after the tenth waited 6 s.
    // Meta's own numbers in the fake (6 s, bursts of 45), the adapter's defaults (30).
    const w = await whatsappRuntime({});
    running.push(w);
    w.api.strictLimits = true;
    const p = person(9);
    const FORM = ['hello', 'I agree', 'what is the deadline?', 'Send a contribution', '1', 'Layla', 'skip', 'skip', 'skip', 'Civil society in Iraq needs safe room to talk.', 'help', 'menu'];
    const slowest: number[] = [];
    for (const t of FORM) {
      const before = w.api.to(p.bsuid).length;
      const t0 = performance.now();
      expect(await w.say(p, t)).toBe(200);
      await until(`a reply to "${t}"`, () => w.api.to(p.bsuid).length > before, 3_000);
      slowest.push(performance.now() - t0);
    }
    await w.runtime.app.dispatcher.drain();
    expect(w.api.refusals).toEqual([]);
    expect(w.adapter.gate.deferred).toBe(0);
    expect(w.api.to(p.bsuid).length).toBeGreaterThanOrEqual(15);
    expect(Math.max(...slowest)).toBeLessThan(3_000);
  });
});
