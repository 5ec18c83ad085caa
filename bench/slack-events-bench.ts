/**
 * Events per second through /slack/events: signed message.im requests over real HTTP into the
 * project's server, through Bolt and the core (MemoryStore), replies posted to the fake Web API.
 * Pacing is virtual here (the fake has no rate limit), so this measures the bot, not Slack.
 *   npm run bench:slack -- --events 2000 --users 100 --concurrency 20
 */
import { dm, startSlack } from '../test/helpers/slack.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const events = arg('events', 2000);
const users = arg('users', 100);
const concurrency = arg('concurrency', 20);
const rig = await startSlack();
const latencies: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < events) {
    const i = next++;
    const t0 = performance.now();
    const r = await rig.event(dm(i < users ? 'hello' : 'About the conference', `U0USER${i % users}`));
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    latencies.push(performance.now() - t0);
  }
}));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
const result = { events, users, concurrency, eventsPerSecond: Math.round(events / seconds), p50ms: pct(0.5), p99ms: pct(0.99), postMessages: rig.api.callsTo('chat.postMessage').length, rssMB: Math.round(process.memoryUsage().rss / 1048576) };
await rig.close();
console.log(JSON.stringify(result));
