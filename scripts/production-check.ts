/**
 * What the Dockerfile does, proven without Docker (which cannot build images on our machines):
 * in a clean temporary folder (named with a space and an Arabic letter), the builder stage
 * (`npm ci`, `npm run build`), then the final stage (`npm ci --omit=dev` on a fresh folder with
 * only dist/ and the assets), then the production start (`node dist/src/main.js`) with Telegram
 * configured against the fake Bot API: /livez and /readyz answer, an update gets its reply,
 * /metrics answers, and SIGTERM ends the process with code 0.
 *
 *   node --import tsx/esm scripts/production-check.ts [--runs N]
 *
 * With --runs N the production start is repeated N times and the medians of the start-up time
 * (spawn → /readyz 200) and of the idle RSS (/proc, 3 s after ready) are printed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, keep: { type: 'boolean' } } });
const runs = Math.max(1, Number(values.runs));
const repo = path.resolve(import.meta.dirname, '..');
const base = mkdtempSync(path.join(tmpdir(), 'icssi-production-'));
const builder = path.join(base, 'build stage ع');
const app = path.join(base, 'app ع');
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
  for (const d of ['scripts', 'prisma', 'locales', 'config', 'dist']) copyTree(path.join(builder, d), path.join(app, d));
  npm(app, ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline']);
  check('the production install generated the Prisma clients', existsSync(path.join(app, 'generated/prisma-sqlite/client.ts')) && existsSync(path.join(app, 'generated/prisma-postgresql/client.ts')));
  check('tsx is not installed in production', !existsSync(path.join(app, 'node_modules/tsx')));

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
  } finally {
    await api.close();
    if (!values.keep) rmSync(base, { recursive: true, force: true });
  }
  process.stdout.write(`production check: ${passed} passed, ${failed} failed\n`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`production check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (!values.keep) rmSync(base, { recursive: true, force: true });
  process.exit(1);
});
