/**
 * Events per second through /slack/events: signed message.im requests over real HTTP into the
 * project's server, through Bolt and the bot as production assembles it (src/runtime.ts: Slack
 * configured from the environment and connected by adapters/connect.ts; a MemoryStore), replies
 * posted to the fake Web API with production's pacing — real waits (about one message a second per
 * conversation, as Slack asks), so fewer users than events measure the pacing as much as the bot.
 *   npm run bench:slack -- --events 2000 --users 100 --concurrency 20
 */
import { signSlackRequest } from '../adapters/slack/verify.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';
import { HttpServer } from '../src/server/http-server.js';
import { FAKE_BOT_TOKEN, FakeSlackApi } from '../test/fakes/slack-api.js';
import { MemoryStore } from '../test/helpers/memory-store.js';
import { ADMIN_CHANNEL, dm, ORGANISER, SIGNING_SECRET } from '../test/helpers/slack.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const events = arg('events', 2000);
const users = arg('users', 100);
const concurrency = arg('concurrency', 20);
const api = new FakeSlackApi();
await api.start();
const env: NodeJS.ProcessEnv = {
  SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.apiUrl,
  SLACK_ADMIN_CHANNEL: ADMIN_CHANNEL, SLACK_ADMIN_USERS: ORGANISER, SLACK_BOT_ID: 'BBOT', SLACK_BOT_USER_ID: 'UBOT',
};
const runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' }), { store: new MemoryStore(), logger: silentLogger, env });
const { adapters } = await runtime.connect();
const server = new HttpServer({ routes: adapters.flatMap((a) => a.routes?.() ?? []), databaseReachable: async () => true, metrics: runtime.app.dispatcher.metrics, logger: silentLogger });
const { port } = await server.listen(0, '127.0.0.1');
for (const a of adapters) await a.start?.();
const post = (body: Record<string, unknown>) => {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SIGNING_SECRET, ts, raw) },
    body: raw,
  });
};
const latencies: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < events) {
    const i = next++;
    const t0 = performance.now();
    const r = await post(dm(i < users ? 'hello' : 'About the conference', `U0USER${i % users}`));
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    latencies.push(performance.now() - t0);
  }
}));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
// Replies still being paced are counted once the dispatcher has finished them.
await runtime.app.dispatcher.drain();
const result = { events, users, concurrency, eventsPerSecond: Math.round(events / seconds), p50ms: pct(0.5), p99ms: pct(0.99), postMessages: api.callsTo('chat.postMessage').length, rssMB: Math.round(process.memoryUsage().rss / 1048576) };
for (const a of adapters) await a.stop?.();
await server.close();
await api.stop();
await runtime.close();
console.log(JSON.stringify(result));
