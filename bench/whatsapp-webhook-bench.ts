/**
 * Messages per second through the WhatsApp webhook: signed POSTs to /whatsapp on 127.0.0.1, the
 * bot as production assembles it (src/runtime.ts: WhatsApp configured from the environment and
 * connected by adapters/connect.ts), replies and read marks sent to the fake Cloud API. Storage:
 * SQLite in a temp file (default) or in memory (--memory). Bounded: it stops after --messages.
 *   npm run bench:whatsapp -- --participants 50 --messages 2000
 * With --pair: replies under the pair rate limit (bench/whatsapp-pair-bench.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signHub as sign } from '../adapters/shared/meta-webhook.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';
import { HttpServer } from '../src/server/http-server.js';
import { openStore } from '../src/storage/open-store.js';
import { FakeCloudApi } from '../test/fakes/whatsapp-cloud-api.js';
import { MemoryStore } from '../test/helpers/memory-store.js';
import { metaJson } from '../test/helpers/messenger.js';
import { body, messageFrom, PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY } from '../test/helpers/whatsapp.js';
import { pairBench } from './whatsapp-pair-bench.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string' }, messages: { type: 'string' }, memory: { type: 'boolean' },
    // Meta's limits as production keeps them (80 requests/s for the number, bursts of 30 to a
    // person) unless set: --rate 100000 --burst 100000 measures the bot alone, not the limits.
    rate: { type: 'string' }, burst: { type: 'string' },
    // --pair: replies under the pair rate limit instead (bench/whatsapp-pair-bench.ts).
    pair: { type: 'boolean' }, spammers: { type: 'string' }, others: { type: 'string' }, seconds: { type: 'string' }, 'pair-seconds': { type: 'string' },
  },
});
if (values.pair) {
  const result = await pairBench({ spammers: Number(values.spammers ?? 5), others: Number(values.others ?? 20), seconds: Number(values.seconds ?? 20), pairSeconds: Number(values['pair-seconds'] ?? 6) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
const participants = Number(values.participants ?? 50);
const total = Number(values.messages ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'icssi-whatsapp-bench-'));
const store = values.memory ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
const api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
const env: NodeJS.ProcessEnv = {
  WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY, WHATSAPP_API_ROOT: api.url,
  ...(values.rate ? { WHATSAPP_MESSAGES_PER_SECOND: values.rate } : {}),
  ...(values.burst ? { WHATSAPP_PAIR_BURST: values.burst } : {}),
};
const runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' }), { store, logger: silentLogger, env });
const { adapters } = await runtime.connect();
const server = new HttpServer({ routes: adapters.flatMap((a) => a.routes?.() ?? []), databaseReachable: async () => true, metrics: runtime.app.dispatcher.metrics, logger: silentLogger });
const { port } = await server.listen(0, '127.0.0.1');
for (const a of adapters) await a.start?.();
const post = (b: unknown) => {
  const raw = metaJson(b);
  return fetch(`http://127.0.0.1:${port}/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(Buffer.from(raw), WA_APP_SECRET) }, body: raw });
};

const who = (i: number) => ({ bsuid: `IQ.${8_000_000_000_000_000 + i}`, phone: `96477${String(i).padStart(8, '0')}` });
const typed = (i: number, t: string) => body([messageFrom(new Date(), { type: 'text', text: { body: t } }, who(i))], [], who(i));
const pressed = (i: number, id: string, title: string) => body([messageFrom(new Date(), { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }, who(i))], [], who(i));
// Each person: hello (English, consent asked), consent, Send a contribution, topic, name, skips, then text.
const script = (i: number, n: number) => {
  const steps = [
    () => typed(i, 'hello'),
    () => pressed(i, 'consent:yes', 'I agree'),
    () => pressed(i, 'menu:submit', 'Send a contribution'),
    () => pressed(i, 'topic:1', '1'),
    () => typed(i, 'Bench participant'),
    () => pressed(i, 'skip:organisation', 'Skip'),
    () => pressed(i, 'skip:country', 'Skip'),
    () => pressed(i, 'skip:email', 'Skip'),
  ];
  return n < steps.length ? steps[n]!() : typed(i, 'Civil society in Iraq grows through patient work in every city.');
};

const latencies: number[] = [];
let sent = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: participants }, async (_, i) => {
    // One person's messages one after another, as WhatsApp delivers them; people in parallel.
    for (let n = 0; sent < total; n++) {
      sent++;
      const t0 = performance.now();
      const res = await post(script(i, n));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
const result = {
  storage: values.memory ? 'memory' : 'sqlite',
  // The number's limit the run was held to (requests per second; a message costs a reply or two and a read mark).
  numberLimitPerSecond: Number(values.rate ?? 80),
  participants,
  messages: latencies.length,
  messagesPerSecond: Math.round(latencies.length / seconds),
  p50Ms: Number(pct(50)),
  p99Ms: Number(pct(99)),
  cloudApiRequests: api.requests,
  refusals: api.refusals.length,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const a of adapters) await a.stop?.();
await runtime.app.dispatcher.drain();
await server.close();
await api.close();
await runtime.close();
rmSync(dir, { recursive: true, force: true });
