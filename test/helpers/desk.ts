/**
 * The bot's server as `npm start` assembles it (the composition root, src/runtime.ts: the app, the
 * configured adapters, the announcements; the HTTP server with the desk mounted), on a real SQLite file, with Telegram configured against the fake Bot API.
 * Authors write to the bot through Telegram's webhook; organisers use the desk over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_HEADER, WEBHOOK_PATH } from '../../adapters/telegram/webhook.js';
import type { App } from '../../src/app.js';
import { deskStoreOf } from '../../src/app-desk.js';
import { buildRuntime } from '../../src/runtime.js';
import { readConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/core/log.js';
import type { DeskRole } from '../../src/core/desk-ports.js';
import { HttpServer } from '../../src/server/http-server.js';
import { FakeBotApi } from '../fakes/telegram-bot-api.js';
import { Person } from './telegram.js';
import { textOf } from './texts.js';
import type { Locale } from '../../src/domain/records.js';

const WEBHOOK_SECRET = 'desk-webhook-secret_0123456789';
/** A Telegram user in TELEGRAM_ADMIN_IDS: /desk sends them a link. */
export const DESK_ADMIN_TELEGRAM_ID = 9_900_001;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface DeskServer {
  app: App;
  api: FakeBotApi;
  /** http://127.0.0.1:PORT/desk */
  base: string;
  /** The environment the server was configured from (the CLI run against the same database uses it). */
  env: NodeJS.ProcessEnv;
  invite(name: string, role?: DeskRole): Promise<string>;
  revoke(name: string): Promise<number>;
  /** An update posted to the Telegram webhook, as Telegram does (the 200's method performed). */
  telegram(update: unknown): Promise<void>;
  /** An author on Telegram sends a contribution through the webhook; its receipt code. */
  contribute(person: Person, lng: Locale, topic: number, text?: string): Promise<string>;
  close(): Promise<void>;
}

/** `overrides`: more environment (e.g. an https DESK_PUBLIC_URL); the server still listens on plain HTTP. */
export async function startDeskServer(overrides: NodeJS.ProcessEnv = {}): Promise<DeskServer> {
  const dir = mkdtempSync(join(tmpdir(), 'icssi-desk-'));
  const api = new FakeBotApi();
  await api.start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/desk`;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: `file:${join(dir, 'desk.db')}`,
    ICSSI_SECRET: 'desk-test-secret-0123456789',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_ADMIN_IDS: String(DESK_ADMIN_TELEGRAM_ID),
    DESK_PUBLIC_URL: base,
    ...overrides,
  };
  const runtime = await buildRuntime(readConfig(env), { logger: createLogger('silent'), env });
  const { app } = runtime;
  const { adapters } = await runtime.connect();
  const announcements = await runtime.announcements({ listen: true });
  const server = new HttpServer({
    routes: adapters.flatMap((a) => a.routes?.() ?? []),
    mounts: [runtime.desk({ announcements: () => announcements })],
    databaseReachable: async () => true,
    metrics: app.dispatcher.metrics,
    logger: app.logger,
  });
  await server.listen(port, '127.0.0.1');
  const invites = runtime.deskInvites();
  const post = async (update: unknown) => {
    const r = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
      method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: WEBHOOK_SECRET }, body: JSON.stringify(update),
    });
    await api.performWebhookAnswer(r.status, await r.text());
  };
  return {
    app, api, base, env,
    telegram: post,
    invite: async (name, role = 'organiser') => (await invites.invite({ name, role, by: 'test' })).link,
    revoke: (name) => invites.revoke({ name, by: 'test' }),
    async contribute(person, lng, topic, text) {
      const before = api.calls.length;
      await post(person.command('start'));
      for (const choice of [`lang:${lng}`, 'consent:yes', 'menu:submit', `topic:${topic}`]) await post(person.press(choice));
      await post(person.text(lng === 'en' ? 'Sam' : 'سلام'));
      for (const skip of ['organisation', 'country', 'email']) await post(person.press(`skip:${skip}`));
      await post(person.text(text ?? textOf(lng, 220)));
      await post(person.press('body:done'));
      await post(person.press('review:confirm'));
      const sent = api.calls.slice(before).map((c) => String(c.params.text ?? '')).join('\n');
      const code = /ICS-[A-Z0-9]{6}/.exec(sent)?.[0];
      if (!code) throw new Error('no receipt');
      return code;
    },
    async close() {
      await server.close();
      await app.dispatcher.drain();
      await runtime.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { deskStoreOf, Person };
