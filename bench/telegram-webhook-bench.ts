/**
 * npm run bench:telegram [-- --participants 50 --messages 3000 --runs 3 --store sqlite|memory]
 *
 * Updates per second through the whole Telegram path: HTTP POST /telegram on the project's server
 * (secret check, JSON), parse, dispatcher, flow, storage, then every reply sent with sendMessage
 * over HTTP to the fake Bot API (test/fakes), which runs with the posting people in a child
 * process (bench/telegram-side.ts), as Telegram is not in the bot's process in production. Each simulated person posts their next update when
 * the webhook has answered the last one, as Telegram does per chat. Beside it, in the same run, the
 * in-process flow: the same updates, parsed by the adapter's parser, handed straight to a
 * dispatcher on the same kind of store (no HTTP in, no reply sent). Prints the median of the runs
 * of each and the webhook's share of the in-process flow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { fork, type Serializable } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseUpdate } from '../adapters/telegram/parse.js';
import type { Update } from 'grammy/types';
import { readConfig } from '../src/config/env.js';
import { buildRuntime, type Runtime } from '../src/runtime.js';
import { silentLogger } from '../src/core/log.js';
import type { BotStore } from '../src/core/ports.js';
import { HttpServer } from '../src/server/http-server.js';
import { MemoryStore } from '../test/helpers/memory-store.js';
import { openStore } from '../src/storage/open-store.js';
import { script, WEBHOOK_SECRET } from './telegram-script.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '50' },
    messages: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '3' },
    store: { type: 'string', default: 'sqlite' },
  },
});
const PARTICIPANTS = Number(values.participants);
const MESSAGES = Number(values.messages);

/** Telegram's side (the fake Bot API and the people posting) runs in a child process: bench/telegram-side.ts. */
const side = fork(fileURLToPath(new URL('./telegram-side.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx/esm'] });
function ask<T>(cmd: unknown, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { kind: string; message?: string }) => {
      if (m.kind !== answer && m.kind !== 'failed') return;
      side.off('message', on);
      if (m.kind === 'failed') reject(new Error(`Telegram's side failed: ${m.message}`));
      else resolve(m as T);
    };
    side.on('message', on);
    side.send(cmd as Serializable);
  });
}
const telegram = await ask<{ apiRoot: string; token: string }>({ kind: 'start' }, 'started');

/** The bot process's CPU time (user + system) since `from`, in ms: what each path costs the bot, whatever the waits. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/**
 * The bot as production assembles it (src/runtime.ts, adapters/connect.ts): with `telegram`, the
 * Telegram adapter configured from the environment as `npm start` reads it, talking to the fake
 * Bot API in the child process — so the benchmark runs production's sender, retries and pacing.
 */
async function botRuntime(store: BotStore, telegramConfigured: boolean): Promise<Runtime> {
  const env: NodeJS.ProcessEnv = telegramConfigured
    ? { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: telegram.apiRoot }
    : {};
  const config = readConfig({ ICSSI_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'silent' });
  return buildRuntime(config, { store, logger: silentLogger, env });
}

async function run(messages = MESSAGES): Promise<{ perSecond: number; sends: number; cpuMsPerUpdate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'icssi-tg-bench-'));
  const store: BotStore = values.store === 'memory' ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
  const runtime = await botRuntime(store, true);
  const [adapter] = (await runtime.connect()).adapters;
  if (!adapter) throw new Error('Telegram is not configured');
  const server = new HttpServer({ routes: adapter.routes?.() ?? [], databaseReachable: async () => true, metrics: runtime.app.dispatcher.metrics, logger: silentLogger });
  const { port } = await server.listen(0, '127.0.0.1');
  await adapter.start?.();
  const perPerson = Math.ceil(messages / PARTICIPANTS);
  const cpu = process.cpuUsage();
  const ran = await ask<{ posted: number; seconds: number; sends: number }>({ kind: 'run', url: `http://127.0.0.1:${port}/telegram`, participants: PARTICIPANTS, perPerson }, 'ran');
  await adapter.stop?.();
  await server.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: ran.posted / ran.seconds, sends: ran.sends, cpuMsPerUpdate: cpuMs(cpu) / ran.posted };
}

/**
 * The same people and updates straight into a dispatcher: what the webhook path adds is measured
 * against this. With `sending`, replies go to the fake Bot API through the adapter's sender as in
 * the webhook run (only the inbound HTTP and the answers to button presses are left out), which
 * splits the webhook path's extra cost into receiving and sending.
 */
async function runInProcess(messages = MESSAGES, sending = false): Promise<{ perSecond: number; cpuMsPerUpdate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'icssi-tg-bench-'));
  const store: BotStore = values.store === 'memory' ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
  const runtime = await botRuntime(store, sending);
  const { dispatcher } = runtime.app;
  // Without sending, a Telegram that takes every reply and sends nothing.
  const [adapter] = sending ? (await runtime.connect()).adapters : runtime.connectAdapters([{ name: 'telegram', capabilities: { pacing: { ratePerSecond: 1000, perChatMs: 0 } }, send: async () => undefined }]).adapters;
  const perPerson = Math.ceil(messages / PARTICIPANTS);
  const now = () => new Date();
  const people = Array.from({ length: PARTICIPANTS }, (_, i) => script(9_000_000 + i, perPerson));
  const started = performance.now();
  const cpu = process.cpuUsage();
  let handled = 0;
  await Promise.all(people.map(async (updates) => {
    for (const u of updates) {
      const parsed = parseUpdate(u as Update, { botUsername: 'bench_bot', now });
      if (parsed.type !== 'event') throw new Error(`update not parsed as an event: ${parsed.type}`);
      await dispatcher.handle(parsed.event);
      handled++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await adapter?.stop?.();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: handled / seconds, cpuMsPerUpdate: cpuMs(cpu) / handled };
}

const results: { perSecond: number; sends: number; cpuMsPerUpdate: number }[] = [];
const inProcess: { perSecond: number; cpuMsPerUpdate: number }[] = [];
const inProcessSending: { perSecond: number; cpuMsPerUpdate: number }[] = [];
// Untimed, small: both paths compiled and warm before either is measured.
await run(Math.min(MESSAGES, 10 * PARTICIPANTS));
await runInProcess(Math.min(MESSAGES, 10 * PARTICIPANTS));
await runInProcess(Math.min(MESSAGES, 10 * PARTICIPANTS), true);
for (let i = 0; i < Number(values.runs); i++) {
  results.push(await run());
  inProcess.push(await runInProcess());
  inProcessSending.push(await runInProcess(MESSAGES, true));
}
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const median = medianOf(results.map((r) => r.perSecond));
const flowMedian = medianOf(inProcess.map((r) => r.perSecond));
const round2 = (x: number) => Math.round(x * 100) / 100;
const cpuWebhook = round2(medianOf(results.map((r) => r.cpuMsPerUpdate)));
const cpuInProcess = round2(medianOf(inProcess.map((r) => r.cpuMsPerUpdate)));
const sendingMedian = medianOf(inProcessSending.map((r) => r.perSecond));
const cpuInProcessSending = round2(medianOf(inProcessSending.map((r) => r.cpuMsPerUpdate)));
const summary = {
  store: values.store, participants: PARTICIPANTS, updates: MESSAGES, runs: results.length,
  updatesPerSecondMedian: Math.round(median), runsPerSecond: results.map((r) => Math.round(r.perSecond)), sendMessagePerRun: results[0]!.sends,
  inProcessPerSecondMedian: Math.round(flowMedian), inProcessRunsPerSecond: inProcess.map((r) => Math.round(r.perSecond)),
  inProcessSendingPerSecondMedian: Math.round(sendingMedian),
  botCpuMsPerUpdate: { webhook: cpuWebhook, inProcessSending: cpuInProcessSending, inProcess: cpuInProcess },
  ofInProcess: `${Math.round((100 * median) / flowMedian)} %`,
};
process.stdout.write(`Telegram webhook → fake Bot API (${summary.store}): median ${summary.updatesPerSecondMedian} updates/s over ${summary.runs} runs ` +
  `(${summary.runsPerSecond.join(', ')}), ${summary.sendMessagePerRun} sendMessage calls per run\n` +
  `In-process flow, same updates: median ${summary.inProcessPerSecondMedian} updates/s (${summary.inProcessRunsPerSecond.join(', ')}); ` +
  `the webhook path reaches ${summary.ofInProcess} of it\n` +
  `In-process flow with its replies sent to the Bot API: median ${summary.inProcessSendingPerSecondMedian} updates/s\n` +
  `The bot process's CPU per update (median): ${cpuWebhook} ms through the webhook, ${cpuInProcessSending} ms in process with replies sent, ${cpuInProcess} ms in process\n${JSON.stringify(summary)}\n`);
await ask({ kind: 'stop' }, 'stopped');
