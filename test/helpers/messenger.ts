/**
 * The Messenger adapter on the common rig (test/helpers/rig.ts: a real Dispatcher on a given store
 * with a settable clock, the project's HTTP server), talking to the fake Graph API. Webhook bodies are posted as Meta
 * posts them: raw bytes signed with the app secret.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from '../../src/core/dispatcher.js';
import { coreApi } from '../../src/core/bot-core.js';
import type { BotStore } from '../../src/core/ports.js';
import { MessengerAdapter } from '../../adapters/messenger/adapter.js';
import type { MessengerConfig } from '../../adapters/messenger/config.js';
import { makeSignedRequest, signHub } from '../../adapters/messenger/signatures.js';
import { FakeGraphApi } from '../fakes/graph-api.js';
import { TEST_SECRET } from './harness.js';
import { buildRig, type RigOptions } from './rig.js';
import { textOf } from './texts.js';

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
  /** Every log line written (adapter, dispatcher, server). */
  logs: string[];
  /** Pauses the Graph client asked for between retries (ms); none of them is waited. */
  sleeps: number[];
  /** Posts raw bytes; `signature` null sends no header. */
  postRaw(raw: Buffer | string, signature?: string | null): Promise<Response>;
  /** Serialises the body as Meta does (non-ASCII escaped) and signs it. */
  post(body: unknown): Promise<Response>;
  /** A text (with the quick reply pressed, if given) from PSID, stamped with the rig's clock. */
  say(text: string, quickReply?: string): Promise<Response>;
  /** Meta's data-deletion callback with this signed_request (null: a body without one). */
  deletion(signed: string | null): Promise<Response>;
  close(): Promise<void>;
}

/** JSON as Meta sends webhook bodies: every non-ASCII character written \uXXXX, and "/" as "\/". */
export function metaJson(body: unknown): string {
  return JSON.stringify(body)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function messengerRig(store?: BotStore, opts: Pick<RigOptions, 'now' | 'pause'> & { fetch?: typeof fetch } = {}): Promise<MessengerRig> {
  const graph = await new FakeGraphApi(PAGE_TOKEN).start();
  const rig = await buildRig({ ...opts, store }, async ({ dispatcher, logger, sleep }) => {
    const config: MessengerConfig = {
      pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphUrl: graph.url, graphVersion: 'v26.0', publicUrl: 'https://bot.example.org',
    };
    const adapter = new MessengerAdapter({
      config, core: coreApi(dispatcher), secret: TEST_SECRET, logger, fetch: opts.fetch, sleep,
    });
    return { adapter, close: () => graph.close() };
  });
  const { base } = rig;
  const postRaw = (raw: Buffer | string, signature: string | null = signHub(Buffer.from(raw), APP_SECRET)) =>
    fetch(`${base}/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw });
  return {
    graph, adapter: rig.adapter, dispatcher: rig.dispatcher, store: rig.store, clock: rig.clock, base, logs: rig.logs, sleeps: rig.sleeps, postRaw,
    post: (body) => postRaw(metaJson(body)),
    say: (text, quickReply) => postRaw(metaJson(textFrom(PSID, text, rig.clock.now, quickReply))),
    deletion: (signed) =>
      fetch(`${base}/messenger/data-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: signed === null ? 'other=1' : new URLSearchParams({ signed_request: signed }).toString(),
      }),
    close: rig.close,
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

/** A signed_request for the data-deletion callback, signed with the app secret, for `psid`. */
export function signedDeletion(psid = PSID): string {
  return makeSignedRequest({ algorithm: 'HMAC-SHA256', expires: 1_800_000_000, issued_at: 1_795_000_000, user_id: psid }, APP_SECRET);
}

/** PSID sends a contribution in English from "Get Started" to the receipt; returns its code. */
export async function submitted(r: MessengerRig): Promise<string> {
  const body = fixture('postback-get-started');
  (body.entry[0]!.messaging[0]! as { timestamp: number }).timestamp = r.clock.now.getTime();
  await r.post(body);
  await r.post(postbackFrom(PSID, 'lang:en', r.clock.now));
  await r.say('I agree', 'consent:yes');
  await r.say('Send a contribution', 'menu:submit');
  await r.say('Solidarity', 'topic:3');
  await r.say('Noor');
  for (const f of ['organisation', 'country', 'email']) await r.say('Skip', `skip:${f}`);
  await r.say(textOf('en', 200));
  await r.say('Done', 'body:done');
  await r.say('Send', 'review:confirm');
  return r.graph.textsTo(PSID).join('\n').match(/ICS-[A-Z0-9]{6}/)![0];
}
