/**
 * WhatsApp as production assembles it (src/runtime.ts: configured from the environment, connected
 * by adapters/connect.ts), on a real SQLite file, its webhook on the project's HttpServer on
 * 127.0.0.1, talking to the fake Cloud API. For the pacing tests and the pair benchmark: the real
 * clock, the real pauses, nothing injected but the environment.
 */
import type { Adapter } from '../../src/core/adapter.js';
import { readConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/core/log.js';
import { buildRuntime, type Runtime } from '../../src/runtime.js';
import { HttpServer } from '../../src/server/http-server.js';
import type { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { signHub as sign } from '../../adapters/shared/meta-webhook.js';
import { FakeCloudApi } from '../fakes/whatsapp-cloud-api.js';
import { sqliteStore } from './announce.js';
import { metaJson } from './messenger.js';
import { body, messageFrom, PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY } from './whatsapp.js';

export interface WhatsAppRuntime {
  api: FakeCloudApi;
  runtime: Runtime;
  adapter: WhatsAppAdapter;
  /** Every log line (debug and up). */
  logs: string[];
  /** A person's typed message, signed and posted to /whatsapp; resolves with the webhook's status. */
  say(who: Person, text: string): Promise<number>;
  close(): Promise<void>;
}

export interface Person {
  bsuid: string;
  phone?: string | false;
}

/** A person with a username (no phone): keyed and addressed by the BSUID alone. */
export const person = (i: number): Person => ({ bsuid: `IQ.${7_000_000_000_000_000 + i}`, phone: false });

/** `env`: WHATSAPP_PAIR_SECONDS and the like; `logs` false keeps no lines (the benchmark). */
export async function whatsappRuntime(env: NodeJS.ProcessEnv = {}, opts: { logs?: boolean } = {}): Promise<WhatsAppRuntime> {
  const api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
  const { store } = await sqliteStore();
  const logs: string[] = [];
  const logger = createLogger(opts.logs === false ? 'silent' : 'debug', (line) => logs.push(line));
  const runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'pacing-secret-0123456789abcdef' }), {
    store, logger,
    env: { WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY, WHATSAPP_API_ROOT: api.url, ...env },
  });
  const { adapters } = await runtime.connect();
  const server = new HttpServer({ routes: adapters.flatMap((a: Adapter) => a.routes?.() ?? []), databaseReachable: async () => true, metrics: runtime.app.dispatcher.metrics, logger });
  const { port } = await server.listen(0, '127.0.0.1');
  const adapter = adapters.find((a) => a.name === 'whatsapp') as WhatsAppAdapter;
  const say = async (who: Person, text: string) => {
    const raw = metaJson(body([messageFrom(new Date(), { type: 'text', text: { body: text } }, who)], [], who));
    const res = await fetch(`http://127.0.0.1:${port}/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(Buffer.from(raw), WA_APP_SECRET) }, body: raw });
    await res.arrayBuffer();
    return res.status;
  };
  return {
    api, runtime, adapter, logs, say,
    close: async () => {
      for (const a of adapters) await a.stop?.();
      await runtime.app.dispatcher.drain();
      await server.close();
      await api.close();
      await runtime.close();
    },
  };
}
