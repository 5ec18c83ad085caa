/**
 * A platform out of reach at start (the Telegram Bot API refusing connections, or accepting them
 * and never answering) holds up nothing: the bot, started as `npm start` starts it, answers
 * /livez at once, /readyz names the platform (503), its webhook is answered 503 at once (Telegram
 * delivers again), another platform (Messenger) works, a warning is logged, and SIGTERM ends it
 * with code 0. When the Bot API comes up, Telegram starts and /readyz turns 200.
 * Everything over real HTTP on 127.0.0.1; the Bot API and the Graph API are the project's fakes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHub } from '../adapters/messenger/signatures.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { FakeGraphApi } from './fakes/graph-api.js';
import { APP_SECRET, PAGE_TOKEN, PSID, VERIFY_TOKEN, metaJson, postbackFrom } from './helpers/messenger.js';
import { RUN_TS } from './helpers/run-ts.js';

const HOOK_SECRET = 'platform-down-hook_secret';
const dir = mkdtempSync(join(tmpdir(), 'icssi-platform-down-'));
const graph = new FakeGraphApi(PAGE_TOKEN);
beforeAll(() => graph.start());
afterAll(async () => {
  await graph.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port that accepts connections and never answers (a Bot API behind a black hole). */
async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on: connections are refused. */
async function refusingPort(): Promise<number> {
  const hole = await blackHole();
  await hole.close();
  return hole.port;
}

function startBot(apiPort: number, name: string) {
  const child = spawn(process.execPath, [...RUN_TS, 'src/main.ts'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, `${name}.db`)}`, ICSSI_SECRET: 'platform-down-secret-0123456789',
      TELEGRAM_BOT_TOKEN: '7000000001:AAF-fake-token_for-tests-0123456789', TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: HOOK_SECRET, TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`,
      MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN, MESSENGER_APP_SECRET: APP_SECRET, MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
      MESSENGER_GRAPH_URL: graph.url,
    },
  });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const m = log.split('\n').map((l) => re.exec(l)).find(Boolean);
        if (m) {
          child.stderr.off('data', look);
          resolve(m);
        }
      };
      child.stderr.on('data', look);
      look();
      void exited.then(() => reject(new Error(`exited before ${re}:\n${log}`)));
    });
  child.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
  return { child, exited, waitFor, log: () => log };
}

/** Answers within 5 s or fails (the Bot API's own request timeout is 10 s: no waiting on it). */
const get = (url: string, init: RequestInit = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(5000) });

const update = {
  update_id: 910000001,
  message: { message_id: 1, from: { id: 5550002, is_bot: false, first_name: 'P', language_code: 'en' }, chat: { id: 5550002, type: 'private' }, date: 1764147600, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
};
const postUpdate = (base: string) => get(`${base}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': HOOK_SECRET }, body: JSON.stringify(update) });

describe('the Telegram Bot API out of reach at start', () => {
  it('refusing connections: routes answer, readiness names telegram, Messenger works, SIGTERM exits 0', async () => {
    const bot = startBot(await refusingPort(), 'refused');
    const port = Number((await bot.waitFor(/"port":(\d+).*"msg":"listening"/))[1]);
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/livez`)).status).toBe(200);
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'reachable', platformsNotReady: ['telegram'] });
    const hook = await postUpdate(base);
    expect(hook.status).toBe(503);
    expect(hook.headers.get('retry-after')).toBe('10');
    // Messenger does not wait for Telegram: its update is stored and answered.
    const raw = metaJson(postbackFrom(PSID, 'get_started', new Date()));
    const m = await get(`${base}/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHub(raw, APP_SECRET) }, body: raw });
    expect(m.status).toBe(200);
    expect(graph.textsTo(PSID).length).toBeGreaterThan(0);
    const warn = JSON.parse((await bot.waitFor(/^.*"msg":"platform not reachable at start; trying again".*$/))[0]) as Record<string, unknown>;
    expect(warn).toMatchObject({ level: 'warn', platform: 'telegram', attempt: 1, retryInMs: 1000 });
    expect(bot.log()).toMatch(/"platform":"telegram".*"msg":"webhook answered 503: the platform has not started yet"/);
    // A fresh database: the migrations this start applied are in the log.
    expect(bot.log()).toMatch(/"migrations":\["\d+_init".*"msg":"database migrations applied"/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it('never answering, then coming up: readiness turns 200 and the update is answered', async () => {
    const hole = await blackHole();
    const bot = startBot(hole.port, 'black-hole');
    const port = Number((await bot.waitFor(/"port":(\d+).*"msg":"listening"/))[1]);
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/livez`)).status).toBe(200);
    expect(await (await get(`${base}/readyz`)).json()).toMatchObject({ platformsNotReady: ['telegram'] });
    // Answered at once, while the bot's getMe hangs.
    expect((await postUpdate(base)).status).toBe(503);

    // The Bot API comes up on the same port: the hanging request fails, the next one succeeds.
    await hole.close();
    const api = new FakeBotApi();
    await api.start(hole.port);
    try {
      await bot.waitFor(/"platform":"telegram".*"msg":"platform started"/);
      const ready = await get(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', database: 'reachable' });
      // Telegram's redelivery of the update is now processed.
      expect((await postUpdate(base)).status).toBe(200);
      expect(api.messages(5550002).length).toBeGreaterThan(0);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('a token the Bot API refuses is not retried: the process exits 1 saying which variable to check', async () => {
    const api = new FakeBotApi('7000000002:AAF-another-bots-token_0123456789');
    await api.start();
    try {
      const bot = startBot(Number(new URL(api.apiRoot).port), 'refused-token');
      expect(await bot.exited).toBe(1);
      expect(bot.log()).toContain('Telegram did not accept TELEGRAM_BOT_TOKEN (getMe: 401). Check the token, or TELEGRAM_API_ROOT.');
    } finally {
      await api.close();
    }
  }, 60_000);

  it('a SIGTERM while the platform is still out of reach ends the process with 0', async () => {
    const hole = await blackHole();
    try {
      const bot = startBot(hole.port, 'stopped');
      await bot.waitFor(/"msg":"listening"/);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.log()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    } finally {
      await hole.close();
    }
  }, 60_000);
});
