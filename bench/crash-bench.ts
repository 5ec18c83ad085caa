/**
 * npm run bench:crash [-- --people 50 --backends sqlite,postgresql --deadline 150]
 *
 * kill -9 while every person's replies are on their way (the fake Bot API holds sendMessage), then
 * a restart (test/helpers/crash-run.ts, the scenario of test/crash-resume.test.ts). Prints per
 * backend: the replies stored at the kill, how long after the restart (spawn) the last of them
 * arrived and the server listened, how many were lost, out of order, or received twice, and the
 * share repeated among every reply of the run. `--deadline` (seconds) bounds the wait: a reply
 * still missing then counts as lost and the time prints as NaN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectRaw } from '../src/storage/raw-connection.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';
import { crashRun, type CrashRunResult } from '../test/helpers/crash-run.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50' },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    deadline: { type: 'string', default: '150' },
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

async function main(): Promise<void> {
  const backends = values.backends.split(',');
  const results: Record<string, unknown>[] = [];
  const api = new FakeBotApi();
  await api.start();
  try {
    if (backends.includes('sqlite')) {
      const dir = mkdtempSync(join(tmpdir(), 'icssi-crash-bench-'));
      try {
        const file = join(dir, 'crash.db');
        results.push(report('sqlite', await crashRun({ api, databaseUrl: `file:${file}`, target: { provider: 'sqlite', file }, people: PEOPLE, firstId: 6600000001, deadlineMs: DEADLINE_MS })));
        console.log(JSON.stringify(results.at(-1)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (backends.includes('postgresql')) {
      const admin = await connectRaw({ provider: 'postgresql', url: values.pg });
      const name = `icssi_crash_bench_${Date.now()}`;
      await admin.exec(`CREATE DATABASE "${name}"`);
      try {
        const url = new URL(values.pg);
        url.pathname = `/${name}`;
        results.push(report('postgresql', await crashRun({ api, databaseUrl: url.toString(), target: { provider: 'postgresql', url: url.toString() }, people: PEOPLE, firstId: 6600100001, deadlineMs: DEADLINE_MS })));
        console.log(JSON.stringify(results.at(-1)));
      } finally {
        await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.close();
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
