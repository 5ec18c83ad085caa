/**
 * The Messenger adapter on the project's HTTP server (127.0.0.1, random port), a real Dispatcher on
 * a given store with a settable clock, and the fake Graph API. Webhook bodies are posted as Meta
 * posts them: raw bytes signed with the app secret.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createI18n } from '../../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../../src/config/load-call.js';
import { Dispatcher } from '../../src/core/dispatcher.js';
import { coreApi } from '../../src/core/bot-core.js';
import { silentLogger, type Logger } from '../../src/core/log.js';
import type { BotStore } from '../../src/core/ports.js';
import { HttpServer } from '../../src/server/http-server.js';
import { MessengerAdapter } from '../../adapters/messenger/adapter.js';
import type { MessengerConfig } from '../../adapters/messenger/config.js';
import { signHub } from '../../adapters/messenger/signatures.js';
import { FakeGraphApi } from '../fakes/graph-api.js';
import { seeded, TEST_SECRET } from './harness.js';

export const APP_SECRET = 'app-secret-for-tests-0123456789abcdef';
export const PAGE_TOKEN = 'EAAGm0PX4ZCpsBAFakePageToken123';
export const VERIFY_TOKEN = 'verify-me-please';
export const PSID = '6543210987654321';

const FIXTURES = fileURLToPath(new URL('../fixtures/messenger/', import.meta.url));

export type Body = { object: string; entry: { id: string; time: number; messaging: Record<string, unknown>[] }[] };

export function fixture(name: string): Body {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as Body;
}

export interface MessengerRig {
  graph: FakeGraphApi;
  adapter: MessengerAdapter;
  dispatcher: Dispatcher;
  store: BotStore;
  clock: { now: Date };
  base: string;
  /** Posts raw bytes; `signature` null sends no header. */
  postRaw(raw: Buffer | string, signature?: string | null): Promise<Response>;
  /** Serialises the body as Meta does (non-ASCII escaped) and signs it. */
  post(body: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** JSON as Meta sends webhook bodies: every non-ASCII character written \uXXXX, and "/" as "\/". */
export function metaJson(body: unknown): string {
  return JSON.stringify(body)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function messengerRig(store: BotStore, opts: { now?: Date; fetch?: typeof fetch; logger?: Logger } = {}): Promise<MessengerRig> {
  const logger = opts.logger ?? silentLogger;
  const graph = await new FakeGraphApi(PAGE_TOKEN).start();
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const clock = { now: opts.now ?? new Date('2026-11-26T09:00:00Z') };
  const dispatcher = new Dispatcher({ store, i18n, call, secret: TEST_SECRET, clock: () => clock.now, random: seeded(7) });
  const config: MessengerConfig = {
    pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphUrl: graph.url, graphVersion: 'v26.0', publicUrl: 'https://bot.example.org',
  };
  const adapter = new MessengerAdapter({
    config, core: coreApi(dispatcher), secret: TEST_SECRET, logger, fetch: opts.fetch,
    sleep: async () => undefined,
  });
  dispatcher.registerSender('messenger', (ref, m) => adapter.send(ref, m));
  const server = new HttpServer({ routes: adapter.routes(), databaseReachable: async () => true, metrics: dispatcher.metrics, logger });
  const addr = await server.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${addr.port}`;
  const postRaw = (raw: Buffer | string, signature: string | null = signHub(Buffer.from(raw), APP_SECRET)) =>
    fetch(`${base}/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw });
  return {
    graph, adapter, dispatcher, store, clock, base, postRaw,
    post: (body) => postRaw(metaJson(body)),
    close: async () => {
      await server.close();
      await adapter.stop();
      await graph.close();
    },
  };
}

let mids = 0;

/** One messaging item from a person, stamped with the rig's clock. */
export function textFrom(psid: string, text: string, at: Date, quickReply?: string): Body {
  const body = fixture('text');
  const item = body.entry[0]!.messaging[0]! as { sender: { id: string }; timestamp: number; message: Record<string, unknown> };
  item.sender.id = psid;
  item.timestamp = at.getTime();
  item.message = { mid: `m_test_${++mids}`, text, ...(quickReply ? { quick_reply: { payload: quickReply } } : {}) };
  return body;
}

export function postbackFrom(psid: string, payload: string, at: Date): Body {
  const body = fixture('postback-get-started');
  const item = body.entry[0]!.messaging[0]! as { sender: { id: string }; timestamp: number; postback: Record<string, unknown> };
  item.sender.id = psid;
  item.timestamp = at.getTime();
  item.postback = { mid: `m_test_${++mids}`, title: payload, payload };
  return body;
}
