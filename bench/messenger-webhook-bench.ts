/**
 * Messages per second through the Messenger webhook: signed POSTs to /messenger on 127.0.0.1, the
 * bot as production assembles it (src/runtime.ts: Messenger configured from the environment and
 * connected by adapters/connect.ts), replies sent to the fake Graph API. Storage: SQLite in a temp
 * file (default) or in memory (--memory). Bounded: it stops after --messages.
 *   npm run bench:messenger -- --participants 50 --messages 2000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signHub } from '../adapters/messenger/signatures.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';
import { HttpServer } from '../src/server/http-server.js';
import { openStore } from '../src/storage/open-store.js';
import { FakeGraphApi } from '../test/fakes/graph-api.js';
import { MemoryStore } from '../test/helpers/memory-store.js';
import { APP_SECRET, metaJson, PAGE_TOKEN, postbackFrom, textFrom, VERIFY_TOKEN, type Body } from '../test/helpers/messenger.js';

const { values } = parseArgs({ options: { participants: { type: 'string' }, messages: { type: 'string' }, memory: { type: 'boolean' } } });
const participants = Number(values.participants ?? 50);
const total = Number(values.messages ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'icssi-messenger-bench-'));
const store = values.memory ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
const graph = await new FakeGraphApi(PAGE_TOKEN).start();
const env: NodeJS.ProcessEnv = {
  MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN, MESSENGER_APP_SECRET: APP_SECRET, MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
  MESSENGER_GRAPH_URL: graph.url, MESSENGER_PUBLIC_URL: 'https://bot.example.org',
};
const runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' }), { store, logger: silentLogger, env });
const { adapters } = await runtime.connect();
const server = new HttpServer({ routes: adapters.flatMap((a) => a.routes?.() ?? []), databaseReachable: async () => true, metrics: runtime.app.dispatcher.metrics, logger: silentLogger });
const { port } = await server.listen(0, '127.0.0.1');
for (const a of adapters) await a.start?.();
const post = (body: Body) => {
  const raw = metaJson(body);
  return fetch(`http://127.0.0.1:${port}/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHub(Buffer.from(raw), APP_SECRET) }, body: raw });
};

const psid = (i: number) => String(7_000_000_000_000_000 + i);
// Each person: Get Started, English, consent, Send a contribution, topic, name, then text messages.
const script = (i: number, n: number) => {
  const at = new Date();
  const steps = [
    () => postbackFrom(psid(i), 'GET_STARTED', at),
    () => postbackFrom(psid(i), 'lang:en', at),
    () => textFrom(psid(i), 'I agree', at, 'consent:yes'),
    () => textFrom(psid(i), 'Send a contribution', at, 'menu:submit'),
    () => textFrom(psid(i), '1', at, 'topic:1'),
    () => textFrom(psid(i), 'Bench participant', at),
    () => textFrom(psid(i), 'Skip', at, 'skip:organisation'),
    () => textFrom(psid(i), 'Skip', at, 'skip:country'),
    () => textFrom(psid(i), 'Skip', at, 'skip:email'),
  ];
  return n < steps.length ? steps[n]!() : textFrom(psid(i), 'Civil society in Iraq grows through patient work in every city.', at);
};

const latencies: number[] = [];
let sent = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: participants }, async (_, i) => {
    // One person's messages one after another, as Messenger delivers them; people in parallel.
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
  participants,
  messages: latencies.length,
  messagesPerSecond: Math.round(latencies.length / seconds),
  p50Ms: Number(pct(50)),
  p99Ms: Number(pct(99)),
  graphRequests: graph.requests,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const a of adapters) await a.stop?.();
await runtime.app.dispatcher.drain();
await server.close();
await graph.close();
await runtime.close();
rmSync(dir, { recursive: true, force: true });
