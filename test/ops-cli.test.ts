/**
 * The operators' commands as real processes: `backup` gives a copy that restores to an identical
 * database; `copy-to` fills an empty PostgreSQL database (the real server) with the same rows,
 * verified by counts and by the organisers' figures; both stay quiet (no progress bar) when piped.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { makeBot } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { RUN_TS } from './helpers/run-ts.js';
import { pgUrl, siblingUrl } from './pg-helpers.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'icssi-ops-'));
const db = join(dir, 'bot.db');
const SECRET = 'ops-test-secret-0123456789';
const icssi = (args: string[], databaseUrl = `file:${db}`) =>
  run(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ICSSI_SECRET: SECRET, LANG: 'en_GB.UTF-8', LC_ALL: '' },
    maxBuffer: 16 * 1024 * 1024,
  });
const failing = (args: string[], databaseUrl?: string) =>
  icssi(args, databaseUrl).then(
    () => {
      throw new Error('expected a failure');
    },
    (err: { code: number; stderr: string; stdout: string }) => err,
  );

/** The organisers' figures, without the moment they were computed. */
async function stats(databaseUrl?: string): Promise<Record<string, unknown>> {
  const { generatedAt: _, ...figures } = JSON.parse((await icssi(['stats', '--json'], databaseUrl)).stdout) as Record<string, unknown>;
  return figures;
}

async function seed(store: Awaited<ReturnType<typeof openStore>>, users: string[], randomSeed = 1) {
  // Receipt codes come from the seeded random numbers: another seed, other codes.
  const bot = await makeBot(store, { seed: randomSeed });
  for (const [i, user] of users.entries()) {
    const lang = (['en', 'ar', 'ckb'] as const)[i % 3]!;
    await bot.say('/start', user);
    await bot.press(`lang:${lang}`, user);
    await bot.press('consent:yes', user);
    await bot.press('menu:submit', user);
    await bot.press(`topic:${(i % 3) + 1}`, user);
    await bot.say(`Person ${i}`, user);
    await bot.press('skip:organisation', user);
    await bot.press('skip:country', user);
    await bot.press('skip:email', user);
    await bot.say(textOf(lang, 200 + i), user);
    await bot.press('body:done', user);
    await bot.press('review:confirm', user);
  }
  await bot.say('/start', 'only-looked');
}

/** Every row of every table, in a stable order. */
function dump(file: string): Record<string, unknown[]> {
  const conn = new Database(file, { readonly: true });
  try {
    const tables = (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(tables.map((t) => [t, conn.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  const store = await openStore(`file:${db}`);
  await seed(store, ['u1', 'u2', 'u3', 'u4', 'u5']);
  await store.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run icssi -- backup', () => {
  it('writes a consistent copy that restores to an identical database, reminds of the secret, and draws no bar when piped', async () => {
    const file = join(dir, 'backups', 'icssi-backup.db');
    const { stdout, stderr } = await icssi(['backup', file]);
    expect(stdout).toContain(`Backup written: ${file}`);
    expect(stdout).toContain('ICSSI_SECRET');
    expect(stderr).not.toMatch(/[░█]|\d+%/);
    // Restore: the file put in place of a database, opened as the bot opens it.
    const restored = join(dir, 'restored.db');
    copyFileSync(file, restored);
    const store = await openStore(`file:${restored}`);
    await store.close();
    const original = dump(db);
    expect(Object.keys(original)).toContain('Contribution');
    expect(original.Contribution).toHaveLength(5);
    expect(dump(restored)).toEqual(original);
    // The organisers' figures are the same on both.
    const a = await stats();
    const b = await stats(`file:${restored}`);
    expect(b).toEqual(a);
  });

  it('reminds of data/secret.key when the secret lives there, and never overwrites a file', async () => {
    const file = join(dir, 'second.db');
    const env = { ...process.env, DATABASE_URL: `file:${db}`, ICSSI_SECRET: '', LANG: 'en_GB.UTF-8', LC_ALL: '' };
    // Run from another folder, where data/secret.key is made: the loader is named by its path.
    const loader = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', loader, join(process.cwd(), 'src/cli/main.ts'), 'backup', file], { env, cwd: dir });
    expect(stdout).toContain('Keep data/secret.key with it');
    const again = await failing(['backup', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect((await failing(['backup'])).stderr).toContain('Usage: npm run icssi -- backup <file>');
  });
});

describe('npm run icssi -- copy-to', () => {
  const name = `icssi_copy_${process.pid}_${Date.now()}`;
  let target = '';
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: pgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    target = siblingUrl(pgUrl(), name);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('migrates the empty target, copies every row, verifies the counts, and the bot carries on there', async () => {
    const { stdout, stderr } = await icssi(['copy-to', target]);
    expect(stderr).not.toMatch(/[░█]|\d+%/);
    const original = dump(db);
    for (const [table, rows] of Object.entries(original)) {
      if (table === '_prisma_migrations') continue;
      expect(stdout).toContain(`  ${table}: ${rows.length}\n`);
    }
    expect(stdout).toContain('every table has the same count on both sides');
    // Same figures from PostgreSQL (dates, numbers and texts came across as they were).
    const a = await stats();
    const b = await stats(target);
    expect(b).toEqual(a);
    const exportA = (await icssi(['export', '--format', 'json'])).stdout;
    const exportB = (await icssi(['export', '--format', 'json'], target)).stdout;
    expect(JSON.parse(exportB)).toEqual(JSON.parse(exportA));
    // The copied autoincrement ids do not collide with new rows: a new contribution is stored.
    const store = await openStore(target);
    await seed(store, ['after-copy'], 99);
    await store.close();
    const c = await stats(target);
    const submitted = (f: Record<string, unknown>) => (f.contributions as { byState: { submitted: number } }).byState.submitted;
    expect(submitted(c)).toBe(submitted(a) + 1);
  });

  it('refuses a target that holds data, and a URL that is not PostgreSQL', async () => {
    const again = await failing(['copy-to', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty: \w+ holds \d+ rows/);
    expect(again.stderr).not.toContain('at ');
    const wrong = await failing(['copy-to', 'file:other.db']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Usage: npm run icssi -- copy-to postgresql://');
  });
});
