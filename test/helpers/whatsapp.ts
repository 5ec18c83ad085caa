/**
 * The WhatsApp adapter on the common rig (test/helpers/rig.ts), talking to the fake Cloud API.
 * Webhook bodies are built as Meta sends them — BSUIDs, contacts, batches — and posted as raw
 * bytes with non-ASCII escaped, signed with the app secret.
 */
import type { Dispatcher } from '../../src/core/dispatcher.js';
import { coreApi } from '../../src/core/bot-core.js';
import type { BotStore } from '../../src/core/ports.js';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import type { WhatsAppConfig } from '../../adapters/whatsapp/config.js';
import { DEFAULT_PACING } from '../../adapters/whatsapp/pacing-config.js';
import { signHub as sign } from '../../adapters/shared/meta-webhook.js';
import { FakeCloudApi } from '../fakes/whatsapp-cloud-api.js';
import { TEST_SECRET } from './harness.js';
import { metaJson } from './messenger.js';
import { buildRig, type RigOptions } from './rig.js';

export const WA_APP_SECRET = 'wa-app-secret-for-tests-0123456789';
export const WA_TOKEN = 'EAAWhatsAppFakeToken123';
export const WA_VERIFY = 'wa-verify-me';
export const PHONE_NUMBER_ID = '106540352242922';
/** A business-scoped user id (2026): country code, a dot, digits. */
export const BSUID = 'IQ.1029384756102938475';
export const PHONE = '9647701234567';

export interface WhatsAppRig {
  api: FakeCloudApi;
  adapter: WhatsAppAdapter;
  dispatcher: Dispatcher;
  store: BotStore;
  clock: { now: Date };
  base: string;
  logs: string[];
  /** Pauses the Cloud API client asked for between retries (ms); none of them is waited. */
  sleeps: number[];
  postRaw(raw: Buffer | string, signature?: string | null): Promise<Response>;
  /** Serialises the body as Meta does (non-ASCII escaped) and signs it. */
  post(body: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function whatsappRig(store?: BotStore, opts: Pick<RigOptions, 'now'> & { config?: Partial<WhatsAppConfig> } = {}): Promise<WhatsAppRig> {
  const api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
  const rig = await buildRig({ ...opts, store }, async ({ dispatcher, logger, sleep }) => {
    const config: WhatsAppConfig = {
      token: WA_TOKEN, phoneNumberId: PHONE_NUMBER_ID, appSecret: WA_APP_SECRET, verifyToken: WA_VERIFY, apiRoot: api.url, version: 'v26.0', templates: {}, soraniTemplateLang: 'ar', ...opts.config,
    };
    // The rig's clock stands still, so a reply held for the pair limit would never be due: its
    // people may write as fast as the tests go. The limits are tested on the real clock
    // (test/whatsapp-pacing.test.ts).
    const pacing = { ...DEFAULT_PACING, pairBurst: 100_000 };
    const adapter = new WhatsAppAdapter({ config, core: coreApi(dispatcher), secret: TEST_SECRET, logger, sleep, pacing });
    return { adapter, close: () => api.close() };
  });
  api.now = () => rig.clock.now.getTime();
  const postRaw = (raw: Buffer | string, signature: string | null = sign(Buffer.from(raw), WA_APP_SECRET)) =>
    fetch(`${rig.base}/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw });
  return {
    api, adapter: rig.adapter, dispatcher: rig.dispatcher, store: rig.store, clock: rig.clock, base: rig.base, logs: rig.logs, sleeps: rig.sleeps, postRaw,
    post: (body) => postRaw(metaJson(body)),
    close: rig.close,
  };
}

let ids = 0;
export const nextId = () => `wamid.HBgMOTY0NzcwMTIzNDU2NxUCABIYFjNFQjA${++ids}`;

/** One message from a person; `phone` false: a person with a username, who comes with no phone. */
export function messageFrom(at: Date, message: Record<string, unknown>, who: { bsuid?: string; phone?: string | false } = {}): Record<string, unknown> {
  const bsuid = who.bsuid ?? BSUID;
  const phone = who.phone === false ? undefined : (who.phone ?? PHONE);
  return { ...(phone ? { from: phone } : {}), from_user_id: bsuid, id: nextId(), timestamp: String(Math.floor(at.getTime() / 1000)), ...message };
}

/** The webhook body: one entry, one change, these messages (and statuses). */
export function body(messages: Record<string, unknown>[], statuses: Record<string, unknown>[] = [], who: { bsuid?: string; phone?: string | false } = {}): Record<string, unknown> {
  const bsuid = who.bsuid ?? BSUID;
  const phone = who.phone === false ? undefined : (who.phone ?? PHONE);
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '9647700000000', phone_number_id: PHONE_NUMBER_ID },
          ...(messages.length ? { contacts: [{ profile: { name: 'ليلى' }, ...(phone ? { wa_id: phone } : {}), user_id: bsuid }] } : {}),
          ...(messages.length ? { messages } : {}),
          ...(statuses.length ? { statuses } : {}),
        },
      }],
    }],
  };
}

export const text = (at: Date, t: string, who?: { bsuid?: string; phone?: string | false }) => body([messageFrom(at, { type: 'text', text: { body: t } }, who)], [], who);
export const buttonReply = (at: Date, id: string, title = id) => body([messageFrom(at, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } })]);
export const listReply = (at: Date, id: string, title = id) => body([messageFrom(at, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title, description: '' } } })]);
