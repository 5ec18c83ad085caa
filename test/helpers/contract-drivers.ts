/**
 * How the webhook contract suite (test/webhook-contract.test.ts) reaches each adapter: start it
 * on the project's HTTP server against its fake platform API, post raw bytes signed as the
 * platform signs them (or signed wrongly), and count what reached the platform API. The payloads
 * are fixtures in test/fixtures/<platform>/contract/. A new platform adds a driver here and its
 * fixtures; the suite itself does not change.
 */
import { readFileSync } from 'node:fs';
import { signHub } from '../../adapters/messenger/signatures.js';
import { slackRef } from '../../adapters/slack/parse.js';
import { signSlackRequest } from '../../adapters/slack/verify.js';
import type { ConversationRef } from '../../src/core/types.js';
import type { MemoryStore } from './memory-store.js';
import { APP_SECRET, messengerRig, metaJson } from './messenger.js';
import { SIGNING_SECRET, startSlack } from './slack.js';
import { startTelegram, WEBHOOK_SECRET } from './telegram.js';
import { signHub as signWhatsApp } from '../../adapters/shared/meta-webhook.js';
import { WA_APP_SECRET, whatsappRig } from './whatsapp.js';

export interface Posted {
  status: number;
  text: string;
}

export interface Running {
  url: string;
  /** Posts raw bytes; `sign: false` signs them with the wrong secret. */
  post(raw: string, opts?: { sign?: boolean; contentType?: string }): Promise<Posted>;
  /** Requests the platform API has received so far (anything a person could see, and more). */
  apiRequests(): number;
  /** Every log line written by the adapter. */
  logs: string[];
  close(): Promise<void>;
}

export interface MalformedCase {
  name: string;
  /** A JSON body (serialised as the platform does) or the raw bytes. */
  body?: unknown;
  raw?: string;
  contentType?: string;
}

export interface ContractDriver {
  platform: 'telegram' | 'messenger' | 'slack' | 'whatsapp';
  start(store: MemoryStore): Promise<Running>;
  /** The body bytes as the platform would send this JSON. */
  serialise(body: unknown): string;
  /** The conversation the `message` fixture belongs to. */
  messageRef: ConversationRef;
}

export function contractFixture<T = unknown>(platform: string, name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${platform}/contract/${name}.json`, import.meta.url), 'utf8')) as T;
}

async function asPosted(r: Response): Promise<Posted> {
  return { status: r.status, text: await r.text() };
}

const telegram: ContractDriver = {
  platform: 'telegram',
  serialise: (b) => JSON.stringify(b),
  messageRef: (() => {
    const u = contractFixture<{ message: { chat: { id: number }; from: { id: number } } }>('telegram', 'message');
    return { platform: 'telegram', chatId: String(u.message.chat.id), userId: String(u.message.from.id) };
  })(),
  async start(store) {
    const bot = await startTelegram({ store });
    return {
      url: bot.url,
      post: async (raw, opts = {}) => asPosted(await bot.post(raw, opts.sign === false ? 'not-the-secret' : WEBHOOK_SECRET)),
      // getMe at start is the bot learning its own name, not an answer to anyone.
      apiRequests: () => bot.api.calls.filter((c) => c.method !== 'getMe').length,
      logs: bot.logs,
      close: () => bot.close(),
    };
  },
};

const messenger: ContractDriver = {
  platform: 'messenger',
  serialise: metaJson,
  messageRef: (() => {
    const b = contractFixture<{ entry: { messaging: { sender: { id: string } }[] }[] }>('messenger', 'message');
    const psid = b.entry[0]!.messaging[0]!.sender.id;
    return { platform: 'messenger', chatId: psid, userId: psid };
  })(),
  async start(store) {
    const rig = await messengerRig(store);
    return {
      url: `${rig.base}/messenger`,
      post: async (raw, opts = {}) => asPosted(await rig.postRaw(raw, signHub(Buffer.from(raw), opts.sign === false ? 'not-the-app-secret' : APP_SECRET))),
      apiRequests: () => rig.graph.requests + rig.graph.subscriptions.length + rig.graph.profiles.length,
      logs: rig.logs,
      close: () => rig.close(),
    };
  },
};

const slack: ContractDriver = {
  platform: 'slack',
  serialise: (b) => JSON.stringify(b),
  messageRef: slackRef(contractFixture<{ event: { user: string } }>('slack', 'message').event.user),
  async start(store) {
    const rig = await startSlack({ store });
    return {
      url: rig.url,
      post: (raw, opts = {}) => {
        const ts = Math.floor(rig.bot.clock.now.getTime() / 1000);
        const signature = signSlackRequest(opts.sign === false ? 'not-the-signing-secret' : SIGNING_SECRET, ts, raw);
        return rig.post(raw, { ts, signature, contentType: opts.contentType });
      },
      apiRequests: () => rig.api.calls.length,
      logs: rig.logs,
      close: () => rig.close(),
    };
  },
};

const whatsapp: ContractDriver = {
  platform: 'whatsapp',
  serialise: metaJson,
  messageRef: (() => {
    const b = contractFixture<{ entry: { changes: { value: { messages: { from_user_id: string }[] } }[] }[] }>('whatsapp', 'message');
    const bsuid = b.entry[0]!.changes[0]!.value.messages[0]!.from_user_id;
    return { platform: 'whatsapp', chatId: bsuid, userId: bsuid };
  })(),
  async start(store) {
    const rig = await whatsappRig(store);
    return {
      url: `${rig.base}/whatsapp`,
      post: async (raw, opts = {}) => {
        const posted = await asPosted(await rig.postRaw(raw, signWhatsApp(Buffer.from(raw), opts.sign === false ? 'not-the-app-secret' : WA_APP_SECRET)));
        // Read marks go after the answer: counted once they are made.
        await rig.adapter.settled();
        return posted;
      },
      apiRequests: () => rig.api.requests,
      logs: rig.logs,
      close: () => rig.close(),
    };
  },
};

export const CONTRACT_DRIVERS: ContractDriver[] = [telegram, messenger, slack, whatsapp];
