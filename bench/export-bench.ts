/**
 * npm run bench:export [-- --rows 100000]
 *
 * Shows that the export streams: the peak RSS of exporting 10 contributions and of exporting
 * `--rows` (default 100,000) to CSV, each in a fresh process, on SQLite. The large database is made
 * by storing one contribution through the store and copying its rows in SQL (fast, and in exactly
 * the format the store writes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStore } from '../src/storage/open-store.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime } from '../src/runtime.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, child: { type: 'string' } } });

async function childExport(db: string): Promise<void> {
  // The export as every surface asks for it: the reports of the composition root's app (the
  // database is already migrated by the seed).
  const store = await openStore(`file:${db}`, { migrate: false });
  const runtime = await buildRuntime(readConfig({ DATABASE_URL: `file:${db}`, ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' }), { store, logger: silentLogger, env: {} });
  let bytes = 0;
  const sink = new Writable({ write(chunk, _enc, cb) { bytes += chunk.length; cb(); } });
  const started = performance.now();
  const rows = await runtime.app.reports.exportContributions('csv', sink);
  const seconds = (performance.now() - started) / 1000;
  await runtime.close();
  // maxRSS is in kilobytes.
  console.log(JSON.stringify({ rows, bytes, seconds: Number(seconds.toFixed(2)), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function seed(db: string, rows: number): Promise<void> {
  const store = await openStore(`file:${db}`);
  const ref = { platform: 'console' as const, chatId: 'seed', userId: 'seed' };
  const at = new Date('2026-11-26T09:00:00Z');
  await store.commit({
    event: { platform: 'console', id: 'seed-1' }, conversationKey: 'seed', ref, expectedVersion: null, state: { v: 1 }, pending: [], receivedAt: at,
    effects: [
      { type: 'participant.consent', locale: 'ar', at },
      { type: 'contribution.create', code: 'ICS-SEED00', callId: 'icssi-2019', topic: 2, language: 'ar', at,
        revision: { text: 'نما المجتمع المدني في العراق عبر الاحتجاج والعمل الصبور في كل مدينة. '.repeat(22), wordCount: 264,
          details: { name: 'Seed', organisation: 'Forum', country: 'Iraq', email: 'seed@example.org' } } },
    ],
  });
  await store.close();
  if (rows <= 1) return;
  const sql = new Database(db);
  sql.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows - 1})
    INSERT INTO "Contribution" (id, code, "callId", "participantId", topic, state, language, platform, revision, "createdAt", "updatedAt")
      SELECT c.id || '-' || i, 'ICS-' || i, c."callId", c."participantId", c.topic, c.state, c.language, c.platform, c.revision, c."createdAt", c."updatedAt"
      FROM n, "Contribution" c WHERE c.code = 'ICS-SEED00';
    INSERT INTO "ContributionRevision" ("contributionId", number, text, "wordCount", name, organisation, country, email, "createdAt")
      SELECT c.id, r.number, r.text, r."wordCount", r.name, r.organisation, r.country, r.email, r."createdAt"
      FROM "Contribution" c, "ContributionRevision" r JOIN "Contribution" s ON s.id = r."contributionId" AND s.code = 'ICS-SEED00'
      WHERE c.code <> 'ICS-SEED00';
  `);
  sql.close();
}

function measure(db: string): Record<string, number> {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child', db], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function main() {
  if (values.child) return childExport(values.child);
  const dir = mkdtempSync(join(tmpdir(), 'icssi-export-bench-'));
  try {
    const results = [];
    for (const rows of [10, Number(values.rows)]) {
      const db = join(dir, `export-${rows}.db`);
      await seed(db, rows);
      results.push(measure(db));
    }
    console.table(results);
    console.log(JSON.stringify({ node: process.version, results }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
