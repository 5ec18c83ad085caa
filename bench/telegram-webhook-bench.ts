/**
 * npm run bench:telegram [-- --participants 50 --messages 3000 --runs 3 --store sqlite|memory]
 *
 * Updates per second through the whole Telegram path: HTTP POST /telegram on the project's server
 * (secret check, JSON), parse, dispatcher, flow, storage, then every reply sent with sendMessage
 * over HTTP to the fake Bot API (test/fakes). Each simulated person posts their next update when
 * the webhook has answered the last one, as Telegram does per chat. Beside it, in the same run, the
 * in-process flow: the same updates, parsed by the adapter's parser, handed straight to a
 * dispatcher on the same kind of store (no HTTP in, no reply sent). Prints the median of the runs
 * of each and the webhook's share of the in-process flow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TelegramAdapter } from '../adapters/telegram/adapter.js';
import { parseUpdate } from '../adapters/telegram/parse.js';
import { SECRET_HEADER } from '../adapters/telegram/webhook.js';
import type { Update } from 'grammy/types';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { coreApi } from '../src/core/bot-core.js';
import { organiserReports } from '../src/organisers/reports.js';
import { silentLogger } from '../src/core/log.js';
import type { BotStore } from '../src/core/ports.js';
import { HttpServer } from '../src/server/http-server.js';
import { MemoryStore } from '../test/helpers/memory-store.js';
import { openStore } from '../src/storage/open-store.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';

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
const SECRET = 'bench-webhook-secret';
const WORDS = 'Civil society in Iraq has grown through protest and patient work in every city'.split(' ');

let updateId = 1;
function update(user: number, kind: 'text' | 'command' | 'press', value: string): unknown {
  const from = { id: user, is_bot: false, first_name: 'P', language_code: 'en' };
  const chat = { id: user, first_name: 'P', type: 'private' };
  if (kind === 'press') return { update_id: updateId++, callback_query: { id: `q${updateId}`, from, chat_instance: '1', data: value, message: { message_id: 1, date: 1, chat } } };
  const entities = kind === 'command' ? [{ type: 'bot_command', offset: 0, length: value.split(' ')[0]!.length }] : undefined;
  return { update_id: updateId++, message: { message_id: updateId, from, chat, date: 1764147600, text: value, entities } };
}

/** A person's updates: start, language, consent, then a contribution typed in 20 messages. */
function script(user: number, budget: number): unknown[] {
  const out = [update(user, 'command', '/start'), update(user, 'press', 'lang:en'), update(user, 'press', 'consent:yes')];
  for (let topic = 1; topic <= 3 && out.length < budget; topic++) {
    out.push(update(user, 'press', 'menu:submit'), update(user, 'press', `topic:${topic}`), update(user, 'text', `Person ${user}`),
      update(user, 'press', 'skip:organisation'), update(user, 'press', 'skip:country'), update(user, 'press', 'skip:email'));
    for (let i = 0; i < 20; i++) out.push(update(user, 'text', Array.from({ length: 12 }, (_, j) => WORDS[(i + j) % WORDS.length]).join(' ')));
    out.push(update(user, 'press', 'body:done'), update(user, 'press', 'review:confirm'));
  }
  while (out.length < budget) out.push(update(user, 'command', '/status'));
  return out.slice(0, budget);
}

/**
 * Telegram's side of the webhook, kept lean: node:http on kept-alive connections. This process
 * plays Telegram and the bot at once, and global fetch (undici) measured three times the CPU per
 * request, which the bot would be charged for.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SECRET_HEADER]: SECRET } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(messages = MESSAGES): Promise<{ perSecond: number; sends: number }> {
  const api = new FakeBotApi();
  await api.start();
  const dir = mkdtempSync(join(tmpdir(), 'icssi-tg-bench-'));
  const store: BotStore = values.store === 'memory' ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const dispatcher = new Dispatcher({ store, i18n, call, secret: 'bench-secret-0123456789' });
  const core = coreApi(dispatcher);
  const adapter = new TelegramAdapter({
    config: { token: api.token, mode: 'webhook', webhookSecret: SECRET, webhookUrl: undefined, adminIds: new Set(), apiRoot: api.apiRoot },
    core, reports: organiserReports({ store, core, secret: 'bench-secret-0123456789' }), secret: 'bench-secret-0123456789', logger: silentLogger,
  });
  dispatcher.registerSender('telegram', (ref, m) => adapter.send(ref, m));
  const server = new HttpServer({ routes: adapter.routes(), databaseReachable: async () => true, metrics: dispatcher.metrics, logger: silentLogger });
  const { port } = await server.listen(0, '127.0.0.1');
  await adapter.start();
  const url = `http://127.0.0.1:${port}/telegram`;
  const perPerson = Math.ceil(messages / PARTICIPANTS);
  const people = Array.from({ length: PARTICIPANTS }, (_, i) => script(9_000_000 + i, perPerson));
  const started = performance.now();
  let posted = 0;
  await Promise.all(people.map(async (updates) => {
    for (const u of updates) {
      const status = await post(url, JSON.stringify(u));
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      posted++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const sends = api.callsOf('sendMessage').length;
  await adapter.stop();
  await server.close();
  await api.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: posted / seconds, sends };
}

/** The same people and updates straight into a dispatcher: what the webhook path adds is measured against this. */
async function runInProcess(messages = MESSAGES): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'icssi-tg-bench-'));
  const store: BotStore = values.store === 'memory' ? new MemoryStore() : await openStore(`file:${join(dir, 'bench.db')}`);
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const dispatcher = new Dispatcher({ store, i18n, call, secret: 'bench-secret-0123456789' });
  dispatcher.registerSender('telegram', async () => undefined);
  const perPerson = Math.ceil(messages / PARTICIPANTS);
  const now = () => new Date();
  const people = Array.from({ length: PARTICIPANTS }, (_, i) => script(9_000_000 + i, perPerson));
  const started = performance.now();
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
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return handled / seconds;
}

const results: { perSecond: number; sends: number }[] = [];
const inProcess: number[] = [];
// Untimed, small: both paths compiled and warm before either is measured.
await run(Math.min(MESSAGES, 10 * PARTICIPANTS));
await runInProcess(Math.min(MESSAGES, 10 * PARTICIPANTS));
for (let i = 0; i < Number(values.runs); i++) {
  results.push(await run());
  inProcess.push(await runInProcess());
}
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const median = medianOf(results.map((r) => r.perSecond));
const flowMedian = medianOf(inProcess);
const summary = {
  store: values.store, participants: PARTICIPANTS, updates: MESSAGES, runs: results.length,
  updatesPerSecondMedian: Math.round(median), runsPerSecond: results.map((r) => Math.round(r.perSecond)), sendMessagePerRun: results[0]!.sends,
  inProcessPerSecondMedian: Math.round(flowMedian), inProcessRunsPerSecond: inProcess.map(Math.round),
  ofInProcess: `${Math.round((100 * median) / flowMedian)} %`,
};
process.stdout.write(`Telegram webhook → fake Bot API (${summary.store}): median ${summary.updatesPerSecondMedian} updates/s over ${summary.runs} runs ` +
  `(${summary.runsPerSecond.join(', ')}), ${summary.sendMessagePerRun} sendMessage calls per run\n` +
  `In-process flow, same updates: median ${summary.inProcessPerSecondMedian} updates/s (${summary.inProcessRunsPerSecond.join(', ')}); ` +
  `the webhook path reaches ${summary.ofInProcess} of it\n${JSON.stringify(summary)}\n`);
