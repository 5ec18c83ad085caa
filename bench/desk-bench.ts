/**
 * npm run bench:desk [-- --contributions 100000 --runs 7 --text-words 250]
 *
 * Seeds a temporary SQLite database with that many contributions (bench/stats-bench.ts's seeding,
 * then every text lengthened to about --text-words words, as real ones are), starts the desk as
 * `npm start` mounts it, signs in, and times each page on the server (from the request reaching
 * the desk to the last byte written): the contributions list unfiltered, with each filter, sorted,
 * a second page, searched, and one contribution. Prints the median and slowest per page, as a table
 * and as JSON. The goal is ≤ 100 ms for each at 100,000 contributions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deskStoreOf } from '../src/app-desk.js';
import { buildRuntime } from '../src/runtime.js';
import { readConfig } from '../src/config/env.js';
import { createLogger } from '../src/core/log.js';
import { hashToken, newToken } from '../src/desk/tokens.js';
import { HttpServer } from '../src/server/http-server.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { seedCall } from '../test/helpers/seed.js';

const { values } = parseArgs({
  options: {
    contributions: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '7' },
    'text-words': { type: 'string', default: '250' },
  },
});
const N = Number(values.contributions);
const RUNS = Math.max(1, Number(values.runs));
const WORDS = Math.max(0, Number(values['text-words']));

const CODE = 'ICS-7K4QM9';
const dir = mkdtempSync(join(tmpdir(), 'icssi-desk-bench-'));
const file = join(dir, 'desk.db');
const env: NodeJS.ProcessEnv = { DATABASE_URL: `file:${file}`, ICSSI_SECRET: 'desk-bench-secret-0123456789', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };

try {
  const seedStarted = performance.now();
  await (await openStore(env.DATABASE_URL)).close();
  const raw = await connectRaw({ provider: 'sqlite', file });
  await seedCall(raw, 'sqlite', { callId: 'icssi-2019', participants: N, contributions: N });
  if (WORDS > 0) {
    // Real texts are about 250 words: search reads them all when few match.
    const filler = Array.from({ length: WORDS }, (_, i) => ['civil', 'society', 'Baghdad', 'solidarity', 'المجتمع', 'المدني', 'کۆمەڵگەی', 'water'][i % 8]).join(' ');
    await raw.query(`UPDATE "ContributionRevision" SET "text" = "text" || ' ' || $1 WHERE "text" <> ''`, [filler]);
  }
  // Seeded codes are not receipt-shaped; the newest contribution gets a real one (the page and the search by code).
  const [newest] = await raw.query<{ id: string }>(`SELECT "id" FROM "Contribution" ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`);
  await raw.query(`UPDATE "Contribution" SET "code" = $1 WHERE "id" = $2`, [CODE, newest!.id]);
  await raw.close();
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const runtime = await buildRuntime(readConfig(env), { logger: createLogger('silent'), env: { ...env, DESK_PUBLIC_URL: 'http://127.0.0.1/desk' } });
  const { app } = runtime;
  const desk = runtime.desk();
  let lastMs = 0;
  const timed = {
    prefix: desk.prefix,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const t0 = performance.now();
      await desk.handle(req, res);
      lastMs = performance.now() - t0;
    },
  };
  const server = new HttpServer({ routes: [], mounts: [timed], databaseReachable: async () => true, metrics: app.dispatcher.metrics, logger: app.logger });
  const { port } = await server.listen(0, '127.0.0.1');
  const store = deskStoreOf(app);
  const token = newToken();
  const now = new Date();
  await store.createSession({ name: 'bench', role: 'organiser', tokenHash: hashToken(token), at: now, expiresAt: new Date(now.getTime() + 3600_000) });
  const base = `http://127.0.0.1:${port}/desk`;
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, { headers: { cookie: `desk_session=${token}` }, redirect: 'manual' });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return body;
  };
  const first = await get('/contributions');
  const next = /href="\/desk(\/contributions\?[^"]*after=[^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
  const code = CODE;
  if (!first.includes(CODE)) throw new Error('the newest contribution is not first');
  const pages: [string, string][] = [
    ['list, newest first', '/contributions'],
    ['list, state', '/contributions?state=accepted'],
    ['list, topic+language+platform', '/contributions?topic=2&language=ckb&platform=slack'],
    ['list, date range', '/contributions?from=2026-10-01&to=2026-10-07'],
    ['list, longest first', '/contributions?sort=words'],
    ['list, page 2', next ?? '/contributions'],
    ['list, all filters + oldest', '/contributions?state=submitted&topic=1&language=ar&platform=telegram&from=2026-10-01&to=2026-10-31&sort=oldest'],
    ['list, search (common word)', '/contributions?q=solidarity'],
    ['list, search (one text)', '/contributions?q=Seeded%20text%2054321.1'],
    ['list, search (a code)', `/contributions?q=${code}`],
    ['contribution page', `/c/${code}`],
  ];
  const results: { page: string; medianMs: number; maxMs: number }[] = [];
  for (const [name, path] of pages) {
    await get(path); // warm: statement cache, templates
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await get(path);
      times.push(lastMs);
    }
    times.sort((a, b) => a - b);
    results.push({ page: name, medianMs: Number(times[times.length >> 1]!.toFixed(1)), maxMs: Number(times.at(-1)!.toFixed(1)) });
  }
  await server.close();
  await runtime.close();
  const w = Math.max(...results.map((r) => r.page.length));
  process.stdout.write(`desk on SQLite, ${N} contributions (texts ~${WORDS} words; seeded in ${seedSeconds.toFixed(1)} s), ${RUNS} runs each, server time:\n`);
  for (const r of results) process.stdout.write(`  ${r.page.padEnd(w)}  median ${String(r.medianMs).padStart(7)} ms   max ${String(r.maxMs).padStart(7)} ms\n`);
  process.stdout.write(JSON.stringify({ contributions: N, textWords: WORDS, runs: RUNS, results }) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
