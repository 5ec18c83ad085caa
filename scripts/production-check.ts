/**
 * What the Dockerfile does, proven without Docker (which cannot build images on our machines):
 * in a clean temporary folder (named with a space and an Arabic letter), the builder stage
 * (`npm ci`, `npm run build`), then the final stage (`npm ci --omit=dev --legacy-peer-deps` on a fresh folder with
 * only dist/ and the assets), then the production start (`node dist/src/main.js`) with Telegram
 * configured against the fake Bot API: /livez and /readyz answer, an update gets its reply,
 * /metrics answers, and SIGTERM ends the process with code 0. Then the commands docs/deploy.md
 * gives an operator, run as written on that install: migrate, stats, backup (and a restore from
 * it), copy-to a fresh PostgreSQL database on 127.0.0.1:5432 with the same figures there.
 * It also measures what the production install carries (node_modules, against a ceiling) and
 * checks that the personal data on disk is readable by its owner only.
 *
 *   node --import tsx/esm scripts/production-check.ts [--runs N]
 *
 * With --runs N the production start is repeated N times and the medians of the start-up time
 * (spawn → /readyz 200) and of the idle RSS (/proc, 3 s after ready) are printed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, keep: { type: 'boolean' } } });
const runs = Math.max(1, Number(values.runs));
/**
 * The most node_modules of a production install may weigh (MiB, as du counts it). It was 522 MiB
 * while the Prisma CLI (and the ~130 packages only it needs) and TypeScript came along; about
 * 250 MiB without them. A dependency that brings back something of that size fails the check.
 */
const NODE_MODULES_CEILING_MIB = 300;
/** The PostgreSQL server the tests use (trust authentication). */
const POSTGRES = 'postgresql://postgres@127.0.0.1:5432';
// A login shell's usual umask: the bot, not the operator's umask, must keep its files private.
process.umask(0o022);
const repo = path.resolve(import.meta.dirname, '..');
const base = mkdtempSync(path.join(tmpdir(), 'icssi-production-'));
const builder = path.join(base, 'build stage ع');
const app = path.join(base, 'app ع');
const checkStarted = performance.now();
let passed = 0;
let failed = 0;

function check(what: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}\n`);
}

function npm(cwd: string, args: string[]): void {
  process.stdout.write(`$ npm ${args.join(' ')}   (in ${path.relative(base, cwd)})\n`);
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: undefined } });
}

/** The files of the repository (tracked, and new ones not ignored): what a clean clone holds. */
function copySources(to: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(path.join(repo, f))) continue;
    mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    copyFileSync(path.join(repo, f), path.join(to, f));
  }
}

function copyTree(from: string, to: string): void {
  execFileSync('cp', ['-R', from, to]);
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function waitReady(port: () => number | null, exited: () => boolean): Promise<void> {
  for (;;) {
    if (exited()) throw new Error('the bot exited before it was ready');
    const p = port();
    if (p) {
      const r = await fetch(`http://127.0.0.1:${p}/readyz`).catch(() => null);
      if (r?.status === 200) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One production start; returns its start-up time (ms) and idle RSS (KiB). */
async function productionStart(api: FakeBotApi, first: boolean): Promise<{ ms: number; rss: number }> {
  const secret = 'prod-check-secret_0123456789';
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: app,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0',
      ICSSI_SECRET: 'production-check-secret-0123456789', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: api.apiRoot,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let port: number | null = null;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
  child.stderr.on('data', (c: Buffer) => {
    log += c.toString('utf8');
    const line = log.split('\n').find((l) => l.includes('"msg":"listening"'));
    const m = line && /"port":(\d+)/.exec(line);
    if (m) port = Number(m[1]);
  });
  try {
    await waitReady(() => port, () => exitCode !== undefined);
  } catch (err) {
    process.stdout.write(log);
    throw err;
  }
  const ms = performance.now() - started;
  const url = `http://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 3000));
  const rss = rssKiB(child.pid!);
  if (first) {
    check('the logs are JSON lines', log.trim().split('\n').every((l) => l.startsWith('{') && JSON.parse(l)));
    check('/livez answers 200', (await fetch(`${url}/livez`)).status === 200);
    const ready = await fetch(`${url}/readyz`);
    check('/readyz answers 200 with the database reachable', ready.status === 200 && ((await ready.json()) as { database?: string }).database === 'reachable');
    // The organisers' desk is served from the build too: its templates and files are in desk/.
    const desk = await fetch(`${url}/desk/`, { redirect: 'manual' });
    check('/desk/ sends a visitor to sign in, and serves its CSS', desk.status === 303 && (await fetch(`${url}/desk/static/desk.css`)).status === 200);
    const update = {
      update_id: 900000001,
      message: { message_id: 1, from: { id: 5550001, is_bot: false, first_name: 'P', language_code: 'en' }, chat: { id: 5550001, type: 'private' }, date: 1764147600, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
    };
    const hook = await fetch(`${url}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });
    check('a Telegram update is accepted', hook.status === 200, `status ${hook.status}`);
    check('the bot replied through the Bot API', api.messages(5550001).some((m) => m.text.includes('automated')));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    check('/metrics counts the event', /icssi_events_total\{platform="telegram",outcome="processed"\} 1/.test(metrics));
    check('the logs hold no token', !log.includes(api.token.split(':')[1]!));
    check('a .docx is read by the document worker of the build', await documentRead(url, secret, api));
  }
  child.kill('SIGTERM');
  const code = await exited;
  if (first) check('SIGTERM ends the process with code 0', code === 0, `exit code ${code}`);
  return { ms, rss };
}

/** A command as docs/deploy.md writes it, run in the production install; its exit code and output. */
function run(cmd: string, args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  // Secrets are named, not printed: CI logs are read by more people than the bot's .env.
  const shown = Object.entries(env).map(([k, v]) => `${k}=${/SECRET/.test(k) ? '…' : v}`);
  process.stdout.write(`$ ${[...shown, cmd, ...args].join(' ')}\n`);
  try {
    const out = execFileSync(cmd, args, {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn', LANG: 'C.UTF-8', ...env },
    });
    return { code: 0, out, err: '' };
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string };
    process.stdout.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    return { code: e.status ?? 1, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}

const mode = (file: string) => (statSync(path.join(app, file)).mode & 0o777).toString(8).padStart(3, '0');

/** The figures of `stats --json`, without the moment they were taken at. */
function figures(out: string): string {
  return JSON.stringify(JSON.parse(out, (key, value: unknown) => (/^(at|now|generatedAt|asOf)$/.test(key) ? undefined : value)));
}

/** The operator's commands of docs/deploy.md and the README, on the production install. */
async function operatorCommands(): Promise<void> {
  const migrate = run('npm', ['run', '--silent', 'icssi:prod', '--', 'migrate']);
  check('npm run icssi:prod -- migrate', migrate.code === 0, `exit ${migrate.code}`);
  const stats = run('npm', ['run', '--silent', 'icssi:prod', '--', 'stats', '--json']);
  check('npm run icssi:prod -- stats', stats.code === 0 && /"started": [1-9]/.test(stats.out), `exit ${stats.code}`);
  const backupFile = `backups/icssi-${new Date().toISOString().slice(0, 10)}.db`;
  const backup = run('node', ['dist/src/cli/main.js', 'backup', backupFile]);
  check('node dist/src/cli/main.js backup backups/…', backup.code === 0 && existsSync(path.join(app, backupFile)), `exit ${backup.code}`);

  // Personal data: the folder 0700, the database, its secret and the backup 0600, under umask 022.
  check('data/ is 0700', mode('data') === '700', mode('data'));
  for (const f of ['data/icssi.db', 'data/secret.key', backupFile]) check(`${f} is 0600`, mode(f) === '600', mode(f));
  check('backups/ is 0700', mode('backups') === '700', mode('backups'));

  // Restore as the guide says: the bot stopped, the copy put back, the -wal/-shm removed.
  for (const f of ['data/icssi.db', 'data/icssi.db-wal', 'data/icssi.db-shm']) rmSync(path.join(app, f), { force: true });
  copyFileSync(path.join(app, backupFile), path.join(app, 'data/icssi.db'));
  const restored = run('node', ['dist/src/cli/main.js', 'stats', '--json']);
  check('the restored backup holds the same figures', restored.code === 0 && figures(restored.out) === figures(stats.out));

  // copy-to: into an empty PostgreSQL database; the same figures read from there.
  const db = `icssi_production_check_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${db}`);
    const url = `${POSTGRES}/${db}`;
    const copy = run('npm', ['run', '--silent', 'icssi:prod', '--', 'copy-to', url]);
    check('npm run icssi:prod -- copy-to postgresql://…', copy.code === 0, `exit ${copy.code}`);
    const secret = readFileSync(path.join(app, 'data/secret.key'), 'utf8').trim();
    const there = run('node', ['dist/src/cli/main.js', 'stats', '--json'], { DATABASE_URL: url, ICSSI_SECRET: secret });
    check('PostgreSQL holds the same figures after copy-to', there.code === 0 && figures(there.out) === figures(stats.out));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * A person reaches the text step and sends a .docx: its text is read in the extraction worker
 * (dist/adapters/shared/document-worker.js), which must load with production packages only.
 */
async function documentRead(url: string, secret: string, api: FakeBotApi): Promise<boolean> {
  const from = { id: 5550002, is_bot: false, first_name: 'P', language_code: 'en' };
  const chat = { id: 5550002, type: 'private' };
  let id = 900000100;
  const post = (u: Record<string, unknown>) =>
    fetch(`${url}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify({ update_id: id++, ...u }) });
  const press = (data: string) => post({ callback_query: { id: `q${id}`, from, chat_instance: '1', data, message: { message_id: 1, date: 1764147600, chat } } });
  const say = (text: string) => post({ message: { message_id: id, from, chat, date: 1764147600, text } });
  await say('hello');
  for (const data of ['lang:en', 'consent:yes', 'menu:submit', 'topic:1']) await press(data);
  await say('Kawa');
  for (const data of ['skip:organisation', 'skip:country', 'skip:email']) await press(data);
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('Civil society in Iraq grew through protest and patient work.')] })] }] }));
  api.addFile('prod-check-docx', docx, 'documents/prod-check.docx');
  await post({ message: { message_id: id, from, chat, date: 1764147600, document: { file_id: 'prod-check-docx', file_unique_id: 'u1', file_name: 'part.docx', file_size: docx.length, mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } } });
  return api.messages(5550002).some((m) => m.text.startsWith('I read the text of'));
}

async function main(): Promise<void> {
  // Builder stage: everything installed, compiled to dist/.
  mkdirSync(builder, { recursive: true });
  copySources(builder);
  npm(builder, ['ci', '--no-audit', '--no-fund', '--prefer-offline']);
  npm(builder, ['run', 'build']);
  check('npm run build wrote dist/src/main.js', existsSync(path.join(builder, 'dist/src/main.js')));

  // Final stage: the lockfile, dist/ and the assets; production dependencies only.
  mkdirSync(app, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(builder, f), path.join(app, f));
  for (const d of ['scripts', 'prisma', 'locales', 'config', 'desk', 'dist']) copyTree(path.join(builder, d), path.join(app, d));
  // --legacy-peer-deps: optional peers (the Prisma CLI and TypeScript, of @prisma/client and
  // i18next) are otherwise installed because the lockfile holds them for development.
  npm(app, ['ci', '--omit=dev', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefer-offline']);
  check('the build compiled the Prisma clients into dist/', existsSync(path.join(app, 'dist/generated/prisma-sqlite/client.js')) && existsSync(path.join(app, 'dist/generated/prisma-postgresql/client.js')));
  for (const pkg of ['tsx', 'prisma', 'typescript', '@prisma/dev', '@prisma/engines'])
    check(`${pkg} is not installed in production`, !existsSync(path.join(app, 'node_modules', pkg)));
  check('nothing generated at install (the compiled client in dist/ runs)', !existsSync(path.join(app, 'generated')));
  const mib = Number(execFileSync('du', ['-sk', path.join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]) / 1024;
  process.stdout.write(`production install: node_modules ${mib.toFixed(0)} MiB (ceiling ${NODE_MODULES_CEILING_MIB} MiB)\n`);
  check(`node_modules stays under ${NODE_MODULES_CEILING_MIB} MiB`, mib < NODE_MODULES_CEILING_MIB, `${mib.toFixed(0)} MiB`);

  const api = new FakeBotApi();
  await api.start();
  try {
    const samples: { ms: number; rss: number }[] = [];
    for (let i = 0; i < runs; i++) samples.push(await productionStart(api, i === 0));
    const ms = samples.map((s) => s.ms);
    const rss = samples.map((s) => s.rss);
    process.stdout.write(
      `production start (node dist/src/main.js, Telegram webhook, SQLite), ${runs} run(s): ` +
        `start-up to /readyz 200 median ${median(ms).toFixed(0)} ms (${ms.map((x) => x.toFixed(0)).join(', ')}); ` +
        `idle RSS median ${(median(rss) / 1024).toFixed(1)} MiB (${rss.map((x) => (x / 1024).toFixed(1)).join(', ')})\n`,
    );
    await operatorCommands();
  } finally {
    await api.close();
    if (!values.keep) rmSync(base, { recursive: true, force: true });
  }
  process.stdout.write(`production check: ${passed} passed, ${failed} failed, in ${((performance.now() - checkStarted) / 1000).toFixed(0)} s\n`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`production check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (!values.keep) rmSync(base, { recursive: true, force: true });
  process.exit(1);
});
