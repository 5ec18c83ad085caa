/**
 * `npm run bench:whatsapp -- --pair`: replies under WhatsApp's pair rate limit, the bot as
 * production assembles it (test/helpers/whatsapp-runtime.ts: real SQLite, real HTTP, real clock)
 * against the fake Cloud API enforcing Meta's documented limits (a burst of 45 to one person, then
 * one per 6 s: 131056; 80 requests a second: 130429). Some people write far faster than anyone
 * types (`spammers`, a message every 500 ms each) while others chat calmly (`others`, one every
 * 2 s each), for `seconds`. Printed: replies per second, 131056 and 130429 refusals, the replies
 * the pacer held back, the calm people's latency (webhook POST to their reply at the fake), the
 * spammers' webhook times, and what the spammers still had waiting at the end.
 *   npm run bench:whatsapp -- --pair --spammers 5 --others 20 --seconds 20
 */
import { person, whatsappRuntime } from '../test/helpers/whatsapp-runtime.js';

export interface PairBenchOptions {
  spammers: number;
  others: number;
  seconds: number;
  /** WHATSAPP_PAIR_SECONDS for the adapter and the fake alike (Meta: 6). */
  pairSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LINES = ['hello', 'I agree', 'Send a contribution', '1', 'Rana', 'skip', 'skip', 'skip', 'Civil society grows in every city', 'more words', 'and more', 'ok'];

export async function pairBench(o: PairBenchOptions): Promise<Record<string, unknown>> {
  const w = await whatsappRuntime({ WHATSAPP_PAIR_SECONDS: String(o.pairSeconds) }, { logs: false });
  w.api.strictLimits = true;
  w.api.pairIntervalMs = o.pairSeconds * 1000;
  const spammers = Array.from({ length: o.spammers }, (_, i) => person(i));
  const others = Array.from({ length: o.others }, (_, i) => person(10_000 + i));
  const calmLatency: number[] = [];
  const spamWebhook: number[] = [];
  const end = performance.now() + o.seconds * 1000;
  const run = async (p: ReturnType<typeof person>, everyMs: number, calm: boolean) => {
    await sleep(Math.random() * everyMs);
    for (let n = 0; performance.now() < end; n++) {
      const before = w.api.to(p.bsuid).length;
      const t0 = performance.now();
      const status = await w.say(p, LINES[n % LINES.length]!);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      if (calm) {
        // The reply is sent before the webhook answers; waited for in case it was held.
        while (w.api.to(p.bsuid).length === before && performance.now() - t0 < 30_000) await sleep(5);
        calmLatency.push(performance.now() - t0);
      } else spamWebhook.push(performance.now() - t0);
      await sleep(everyMs);
    }
  };
  const started = performance.now();
  await Promise.all([...spammers.map((p) => run(p, 500, false)), ...others.map((p) => run(p, 2_000, true))]);
  const seconds = (performance.now() - started) / 1000;
  const replies = w.api.messages.length;
  const pct = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  };
  const result = {
    mode: 'pair',
    pairSeconds: o.pairSeconds,
    spammers: o.spammers,
    others: o.others,
    seconds: Math.round(seconds),
    repliesPerSecond: Math.round(replies / seconds),
    refused131056: w.api.refusals.filter((c) => c === 131056).length,
    refused130429: w.api.refusals.filter((c) => c === 130429).length,
    heldByPacer: w.adapter.gate.deferred,
    othersP50Ms: pct(calmLatency, 0.5),
    othersP99Ms: pct(calmLatency, 0.99),
    spammersWebhookP99Ms: pct(spamWebhook, 0.99),
    peakRequestsPerSecond: w.api.peakPerSecond(),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await w.close();
  return result;
}
