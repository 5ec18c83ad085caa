/**
 * npm run bench:stats [-- --contributions 100000 --backends sqlite,postgresql --runs 5]
 *
 * Seeds a temporary database with that many contributions (and as many participants), then
 * times the organisers' statistics (loadStats: what the CLI, Telegram's /stats and Slack's
 * /icssi stats run) several times and prints the median and the slowest, the figures themselves
 * and peak RSS, as a table and as JSON. Each backend runs in a process of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw, type RawTarget } from '../src/storage/raw-connection.js';
import { seedCall } from '../test/helpers/seed.js';

const { values } = parseArgs({
  options: {
    contributions: { type: 'string', default: '100000' },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    runs: { type: 'string', default: '5' },
    pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    child: { type: 'boolean', default: false },
    /** Internal: seed this database (JSON target) in a process of its own, so its memory is not counted. */
    'seed-target': { type: 'string' },
  },
});
const N = Number(values.contributions);
const RUNS = Math.max(1, Number(values.runs));

async function seed(target: RawTarget) {
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const store = await openStore(target.provider === 'sqlite' ? `file:${target.file}` : target.url);
  await store.close();
  const raw = await connectRaw(target);
  await seedCall(raw, target.provider, { callId: call.id, participants: N, contributions: N });
  await raw.close();
}

async function measure(backend: string, target: RawTarget) {
  const seedStarted = performance.now();
  execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--seed-target', JSON.stringify(target), '--contributions', values.contributions], { stdio: 'inherit' });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  // The organisers' statistics as every surface asks for them: the reports of the composition root's app.
  const url = target.provider === 'sqlite' ? `file:${target.file}` : target.url;
  const runtime = await buildRuntime(readConfig({ DATABASE_URL: url, ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' }), { logger: silentLogger, env: {} });
  const { reports } = runtime.app;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const times: number[] = [];
  const cpu: number[] = [];
  let stats = await reports.figures(); // warm: prepared statements, caches
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    stats = await reports.figures();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await runtime.close();
  times.sort((a, b) => a - b);
  return {
    backend,
    contributions: stats.contributions.total,
    active: stats.contributions.active,
    days: Object.keys(stats.contributions.byDay).length,
    medianWords: stats.medianWords,
    started: stats.participants.started,
    submitted: stats.participants.submitted,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    statsMedianMs: Number(times[times.length >> 1]!.toFixed(1)),
    statsMaxMs: Number(times.at(-1)!.toFixed(1)),
    // This process's CPU per run (SQLite runs in-process; PostgreSQL's work is in the server).
    statsCpuMedianMs: Number(cpu[cpu.length >> 1]!.toFixed(1)),
    peakRssMB: Math.round(peakRss / 1024 / 1024),
  };
}

async function child(backend: string) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'icssi-stats-bench-'));
    try {
      return await measure('sqlite (WAL)', { provider: 'sqlite', file: join(dir, 'stats.db') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const admin = new pg.Client({ connectionString: values.pg, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    process.stderr.write('PostgreSQL is not reachable: skipping it\n');
    return null;
  }
  const db = `icssi_stats_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${db}`);
  try {
    const url = new URL(values.pg);
    url.pathname = `/${db}`;
    return await measure('postgresql', { provider: 'postgresql', url: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

async function main() {
  const backends = values.backends.split(',');
  if (values['seed-target']) {
    await seed(JSON.parse(values['seed-target']) as RawTarget);
    return;
  }
  if (values.child) {
    console.log(JSON.stringify({ result: await child(backends[0]!) }));
    return;
  }
  const results = backends.flatMap((backend) => {
    const args = [...process.execArgv, process.argv[1]!, '--child', '--backends', backend, '--contributions', values.contributions, '--runs', values.runs, '--pg', values.pg];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    const { result } = JSON.parse(out.slice(out.indexOf('{'))) as { result: Record<string, unknown> | null };
    return result ? [result] : [];
  });
  console.table(results);
  console.log(JSON.stringify({ node: process.version, cores: availableParallelism(), runs: RUNS, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
