/**
 * npm run bench [-- --participants 100 --messages 20000 --backends sqlite,postgresql --seed 0]
 *
 * Simulated participants go through the whole flow in-process (dispatcher, flow, i18n, storage),
 * all at once: each sends its next message when the bot has answered the last one. Beside it, in
 * the same process and run, "floor B": per message the same storage work reduced to its bones
 * through Prisma — read the conversation ($queryRaw), then claim the event and write the state in
 * one array $transaction ($executeRaw) — the most the bot could do on Prisma. Prints messages per
 * second, p50/p99 latency per message, peak RSS, and the flow's share of floor B, as a table and
 * as JSON. `--seed N` first fills the database with N participants and N contributions (another
 * call's people), and measures an empty database too: both figures and their ratio are printed
 * (bench/seed-compare.ts).
 * PostgreSQL is measured when 127.0.0.1:5432 answers, in a database made for the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { readConfig } from '../src/config/env.js';
import type { BotStore } from '../src/core/ports.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';
import type { InboundEvent } from '../src/core/types.js';
import { createClient, openStore, parseDatabaseUrl } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { seedCall } from '../test/helpers/seed.js';
import { compareSeeded, settleAfterSeed } from './seed-compare.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '100' },
    seed: { type: 'string', default: '0' },
    messages: { type: 'string', default: '20000' },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    child: { type: 'boolean', default: false },
  },
});
const PARTICIPANTS = Number(values.participants);
const MESSAGES = Number(values.messages);
const SEED = Number(values.seed);

const WORDS = 'Civil society in Iraq has grown through protest and patient work in every city'.split(' ');
const part = (n: number) => Array.from({ length: n }, (_, i) => WORDS[i % WORDS.length]).join(' ');

/** One participant's messages: start, language, consent, then contributions on topics 1–3. */
function script(budget: number): string[] {
  const out = ['/start', '1', '1'];
  for (let topic = 1; topic <= 3 && out.length < budget; topic++) {
    out.push('2', String(topic), `Person ${topic}`, '1', 'Iraq', '1');
    for (let i = 0; i < 20; i++) out.push(part(12)); // 240 words in 20 messages, a count after each
    out.push('Done', '1');
  }
  while (out.length < budget) out.push('/status');
  return out.slice(0, budget);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(name: string, store: BotStore) {
  // The bot as production assembles it (src/runtime.ts), on the store opened above; replies go to
  // a console that only counts them.
  const config = readConfig({ ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' });
  const { app, connectAdapters } = await buildRuntime(config, { store, logger: silentLogger, env: {} });
  const { dispatcher, call } = app;
  let delivered = 0;
  connectAdapters([{ name: 'console', capabilities: { pacing: { ratePerSecond: 1000, perChatMs: 0 } }, send: async () => void delivered++ }]);
  const perParticipant = Math.floor(MESSAGES / PARTICIPANTS);
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARTICIPANTS }, async (_, p) => {
      const ref = { platform: 'console' as const, chatId: `bench-${p}`, userId: `bench-${p}` };
      for (const line of script(perParticipant)) {
        const cmd = /^\/(\w+)$/.exec(line);
        const base = { id: randomUUID(), platform: 'console' as const, conversation: ref, receivedAt: new Date(), raw: null };
        const event: InboundEvent = cmd ? { ...base, kind: 'command', command: cmd[1]!, args: '' } : { ...base, kind: 'message', text: line };
        const t0 = performance.now();
        await dispatcher.handle(event);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const contributions = (await store.statsAggregates(call.id, call.timezone)).groups.reduce((n, g) => n + g.count, 0);
  latencies.sort((a, b) => a - b);
  return {
    backend: name,
    handler: 'full flow',
    participants: PARTICIPANTS,
    messages: latencies.length,
    repliesSent: delivered,
    contributions,
    seconds: Number(seconds.toFixed(2)),
    messagesPerSecond: Math.round(latencies.length / seconds),
    p50ms: Number(percentile(latencies, 50).toFixed(2)),
    p99ms: Number(percentile(latencies, 99).toFixed(2)),
    peakRssMB: Math.round(peakRss / 1024 / 1024),
  };
}

/**
 * Floor B: per message, read the conversation, then claim the event and write the state in one
 * batch transaction — what any bot storing state and deduplicating events must do, on Prisma.
 */
async function floorB(name: string, url: string) {
  const db = await createClient(parseDatabaseUrl(url), { poolSize: 10 });
  const perParticipant = Math.floor(MESSAGES / PARTICIPANTS);
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const state = JSON.stringify({ v: 1, step: 'body', draft: { text: part(120) } });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARTICIPANTS }, async (_, p) => {
      const key = `floor-${p}`;
      for (let i = 0; i < perParticipant; i++) {
        const t0 = performance.now();
        const rows = await db.$queryRaw<{ version: number }[]>`SELECT "version" FROM "Conversation" WHERE "key" = ${key}`;
        const now = new Date();
        const version = Number(rows[0]?.version ?? 0);
        await db.$transaction([
          db.$executeRaw`INSERT INTO "ProcessedEvent" ("platform", "eventId", "processedAt") VALUES ('console', ${randomUUID()}, ${now})`,
          version === 0
            ? db.$executeRaw`INSERT INTO "Conversation" ("key", "state", "version", "pending", "createdAt", "updatedAt") VALUES (${key}, ${state}, 1, '[]', ${now}, ${now})`
            : db.$executeRaw`UPDATE "Conversation" SET "state" = ${state}, "version" = ${version + 1}, "updatedAt" = ${now} WHERE "key" = ${key} AND "version" = ${version}`,
        ]);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await db.$disconnect();
  latencies.sort((a, b) => a - b);
  return {
    backend: name,
    handler: 'floor B',
    participants: PARTICIPANTS,
    messages: latencies.length,
    seconds: Number(seconds.toFixed(2)),
    messagesPerSecond: Math.round(latencies.length / seconds),
    p50ms: Number(percentile(latencies, 50).toFixed(2)),
    p99ms: Number(percentile(latencies, 99).toFixed(2)),
    peakRssMB: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1024 / 1024),
  };
}

/** Opens the store, seeds it when asked, then measures floor B and the flow on the same database. */
async function measure(name: string, url: string) {
  const store = await openStore(url, { poolSize: 10 });
  try {
    if (SEED > 0) {
      const target = parseDatabaseUrl(url);
      const raw = await connectRaw(target);
      await seedCall(raw, target.provider, { callId: 'seeded-call', participants: SEED, contributions: SEED, userPrefix: 'seeded' });
      await settleAfterSeed(raw, target.provider);
      await raw.close();
    }
    const floor = await floorB(name, url);
    const flow = await run(name, store);
    return [floor, { ...flow, ofFloorB: `${Math.round((100 * flow.messagesPerSecond) / floor.messagesPerSecond)} %` }];
  } finally {
    await store.close();
  }
}

async function withPostgres<T>(base: string, fn: (url: string) => Promise<T>): Promise<T | null> {
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    process.stderr.write('PostgreSQL is not reachable: skipping it\n');
    return null;
  }
  const db = `icssi_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${db}`);
  try {
    const url = new URL(base);
    url.pathname = `/${db}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

/** Each backend runs in a process of its own, so one's peak RSS is not the other's. */
function inChild(backend: string, seed = values.seed): Record<string, unknown>[] {
  const args = [...process.execArgv, process.argv[1]!, '--child', '--backends', backend, '--participants', values.participants, '--messages', values.messages, '--seed', seed, '--pg', values.pg];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.slice(out.indexOf('{'))).results;
}

async function main() {
  const backends = values.backends.split(',');
  if (!values.child) {
    // With --seed, the same measurement on an empty database first, for the comparison.
    const empty = SEED > 0 ? backends.flatMap((b) => inChild(b, '0')) : [];
    const results = backends.flatMap((b) => inChild(b));
    const seedComparison = compareSeeded(empty, results);
    console.table(results);
    if (SEED > 0) console.table(seedComparison);
    console.log(JSON.stringify({ node: process.version, cores: availableParallelism(), seeded: SEED, results, ...(SEED > 0 ? { empty, seedComparison } : {}) }, null, 2));
    return;
  }
  const results = [];
  if (backends.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'icssi-bench-'));
    try {
      results.push(...(await measure('sqlite (WAL)', `file:${join(dir, 'bench.db')}`)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (backends.includes('postgresql')) {
    const r = await withPostgres(values.pg, (url) => measure('postgresql', url));
    if (r) results.push(...r);
  }
  console.log(JSON.stringify({ results }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
