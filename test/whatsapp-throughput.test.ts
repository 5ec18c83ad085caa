/**
 * The number's throughput (80 messages per second, 130429 beyond) is one limit for everything the
 * process sends from the number: an announcement to 200 people while people are chatting with the
 * bot (their replies and read marks) stays at 80 or under in every second, as the strict fake
 * counts arrivals, and nothing is refused. Without the shared limiter (set far above the fake's
 * 80) the same traffic goes over: the test can fail. Replies go before announcement copies, so
 * the chatting people's webhook answers (the reply is sent before it) stay quick. Production composition, real HTTP, a real
 * SQLite file, the real clock (test/helpers/whatsapp-runtime.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from './helpers/announce.js';
import { person, whatsappRuntime, type WhatsAppRuntime } from './helpers/whatsapp-runtime.js';

let w: WhatsAppRuntime | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHATTERS = Array.from({ length: 6 }, (_, i) => person(100 + i));
const LINES = ['hello', 'I agree', 'Send a contribution', '1', 'Rana', 'skip', 'skip', 'skip', 'Civil society grows in every city', 'more words here', 'and more', 'ok'];

/** 200 people announced to while six people chat (one message every 250 ms each). */
async function announceWhileChatting(env: NodeJS.ProcessEnv): Promise<{ seconds: number; replies: number; posts: number; counts: unknown; chatP50Ms: number; chatP99Ms: number }> {
  w = await whatsappRuntime(env, { logs: false });
  const rt = w;
  rt.api.strictLimits = true;
  // The pair limit is not what this test is about: chatters may write fast (scaled to 0.2 s).
  rt.api.pairIntervalMs = 200;
  rt.api.pairBurst = 12;
  const at = new Date();
  for (let i = 0; i < 200; i++) await seed(rt.runtime.app.store, { platform: 'whatsapp', userId: `IQ.${6_000_000_000_000_000 + i}`, locale: 'en', at });
  const announcements = await rt.runtime.announcements();
  const { id } = await announcements.create('icssi-2019', { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' }, expiresAt: null }, 'cli:test');
  let done = false;
  let posts = 0;
  const webhookMs: number[] = [];
  const chat = Promise.all(
    CHATTERS.map(async (p) => {
      for (let n = 0; !done; n++) {
        const t = performance.now();
        expect(await rt.say(p, LINES[n % LINES.length]!)).toBe(200);
        webhookMs.push(performance.now() - t);
        posts++;
        await sleep(250);
      }
    }),
  );
  const t0 = performance.now();
  const counts = await announcements.send(id);
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await chat;
  // The chatters' replies held for their pair limit go within a few intervals.
  await sleep(1_500);
  webhookMs.sort((a, b) => a - b);
  const pct = (q: number) => Math.round(webhookMs[Math.min(webhookMs.length - 1, Math.floor(q * webhookMs.length))]!);
  return { seconds, replies: CHATTERS.reduce((s, p) => s + rt.api.to(p.bsuid).length, 0), posts, counts, chatP50Ms: pct(0.5), chatP99Ms: pct(0.99) };
}

describe("the WhatsApp number's 80 messages per second", () => {
  it('an announcement to 200 people while replies flow stays at 80/s or under in every second, none refused', { timeout: 90_000 }, async () => {
    const r = await announceWhileChatting({ WHATSAPP_PAIR_SECONDS: '0.2', WHATSAPP_PAIR_BURST: '10' });
    const peak = w!.api.peakPerSecond();
    process.stdout.write(`throughput: ${JSON.stringify({ ...r, peakPerSecond: peak, requests: w!.api.arrivals.length })}\n`);
    expect(r.counts).toEqual({ whatsapp: { sent: 200 } });
    // Replies did flow meanwhile (else the test proves nothing about sharing the number).
    expect(r.replies).toBeGreaterThan(r.posts);
    expect(peak).toBeLessThanOrEqual(80);
    expect(w!.api.refusals).toEqual([]);
    // Replies go before announcement copies under the number's limit: the webhook (which sends
    // the reply before answering) is not held up by the announcement's second.
    expect(r.chatP99Ms).toBeLessThan(1_500);
  });

  it('without the shared limit the same traffic goes over 80 in some second', { timeout: 90_000 }, async () => {
    await announceWhileChatting({ WHATSAPP_PAIR_SECONDS: '0.2', WHATSAPP_PAIR_BURST: '10', WHATSAPP_MESSAGES_PER_SECOND: '1000' });
    expect(w!.api.peakPerSecond()).toBeGreaterThan(80);
    expect(w!.api.refusals).toContain(130429);
  });
});
