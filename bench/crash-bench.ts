/**
 * npm run bench:crash [-- --people 50 --backends sqlite,postgresql --scenarios held,traffic --deadline 150]
 *
 * `held`: kill -9 while every person's replies are on their way (the fake Bot API holds
 * sendMessage), then a restart (test/helpers/crash-run.ts, the scenario of
 * test/crash-resume.test.ts). Prints per backend: the replies stored at the kill, how long after
 * the restart (spawn) the last of them arrived and the server listened, how many were lost, out
 * of order, or received twice, and the share repeated among every reply of the run. `--deadline`
 * (seconds) bounds the wait: a reply still missing then counts as lost and the time prints as NaN.
 *
 * `traffic`: kill -9 in the middle of ordinary traffic, everyone going through a whole
 * contribution (bench/crash-traffic.ts); prints who finished, what was lost or repeated, the
 * "earlier message" notices sent, the buttons pressed again, and the longest wait for a reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectRaw, type RawTarget } from '../src/storage/raw-connection.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';
import { crashRun, type CrashRunResult } from '../test/helpers/crash-run.js';
import { trafficCrashRun } from './crash-traffic.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50' },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    deadline: { type: 'string', default: '150' },
    scenarios: { type: 'string', default: 'held,traffic' },
  },
});
const PEOPLE = Number(values.people);
const DEADLINE_MS = Number(values.deadline) * 1000;

function report(backend: string, r: CrashRunResult): Record<string, unknown> {
  const stored = [...r.stored.values()].flat().length;
  return {
    backend, people: PEOPLE, storedAtKill: stored,
    lastDeliveredAfterRestartMs: Math.round(r.deliveredMs), listeningAfterRestartMs: Math.round(r.listeningMs),
    lost: r.lost, wrongOrder: r.wrong.length, repeated: r.repeated, sends: r.sends,
    repeatedShare: `${((100 * r.repeated) / r.sends).toFixed(2)} %`,
  };
}

type Target = { databaseUrl: string; target: RawTarget };

/** A fresh database of the backend for one run, removed afterwards. */
async function withDatabase<T>(backend: string, fn: (t: Target) => Promise<T>): Promise<T> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'icssi-crash-bench-'));
    try {
      const file = join(dir, 'crash.db');
      return await fn({ databaseUrl: `file:${file}`, target: { provider: 'sqlite', file } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const admin = await connectRaw({ provider: 'postgresql', url: values.pg });
  const name = `icssi_crash_bench_${Date.now()}`;
  await admin.exec(`CREATE DATABASE "${name}"`);
  try {
    const url = new URL(values.pg);
    url.pathname = `/${name}`;
    return await fn({ databaseUrl: url.toString(), target: { provider: 'postgresql', url: url.toString() } });
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.close();
  }
}

async function main(): Promise<void> {
  const backends = values.backends.split(',');
  const scenarios = values.scenarios.split(',');
  const api = new FakeBotApi();
  await api.start();
  let firstId = 6600000001;
  try {
    for (const backend of backends) {
      if (scenarios.includes('held')) {
        const r = await withDatabase(backend, (t) => crashRun({ api, ...t, people: PEOPLE, firstId, deadlineMs: DEADLINE_MS }));
        console.log(JSON.stringify({ scenario: 'held', ...report(backend, r) }));
        firstId += 10_000;
      }
      if (scenarios.includes('traffic')) {
        const r = await withDatabase(backend, (t) => trafficCrashRun({ api, ...t, people: PEOPLE, firstId, killAtShare: 0.4 }));
        console.log(JSON.stringify({ scenario: 'traffic', backend, ...r, repeatedShare: `${((100 * r.repeated) / r.sends).toFixed(2)} %` }));
        firstId += 10_000;
      }
    }
  } finally {
    await api.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
