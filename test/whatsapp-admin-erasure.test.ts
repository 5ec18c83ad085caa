/**
 * A WhatsApp person's contribution is posted in the organisers' Slack admin channel (posts come
 * from every platform); when they type "/delete" on WhatsApp and confirm, that post is rewritten
 * to say only that it was erased, with none of their details or text left. One dispatcher serves
 * both platforms, as in production: Slack over its signed Events API against the fake Web API,
 * WhatsApp over its signed webhook against the fake Cloud API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coreApi } from '../src/core/bot-core.js';
import { createLogger } from '../src/core/log.js';
import { HttpServer } from '../src/server/http-server.js';
import { WhatsAppAdapter } from '../adapters/whatsapp/adapter.js';
import { DEFAULT_PACING } from '../adapters/whatsapp/pacing-config.js';
import { signHub } from '../adapters/shared/meta-webhook.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { TEST_SECRET } from './helpers/harness.js';
import { metaJson } from './helpers/messenger.js';
import { ADMIN_CHANNEL, buttonsOf, startSlack, type SlackRig } from './helpers/slack.js';
import { PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY, type WhatsAppRig } from './helpers/whatsapp.js';
import { WaPerson } from './helpers/whatsapp-person.js';
import { textOf } from './helpers/texts.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** The WhatsApp adapter on the Slack rig's dispatcher, its webhook on a server of its own. */
async function withWhatsApp(slack: SlackRig): Promise<WhatsAppRig> {
  const { dispatcher, store, clock } = slack.bot;
  const logger = createLogger('debug', (line) => slack.logs.push(line));
  const api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
  const adapter = new WhatsAppAdapter({
    config: { token: WA_TOKEN, phoneNumberId: PHONE_NUMBER_ID, appSecret: WA_APP_SECRET, verifyToken: WA_VERIFY, apiRoot: api.url, version: 'v26.0', templates: {}, soraniTemplateLang: 'ar' },
    core: coreApi(dispatcher), secret: TEST_SECRET, logger, sleep: async () => undefined,
    // The rig's clock stands still while the person writes the whole call: no pair limit here
    // (it is tested on the real clock in test/whatsapp-pacing.test.ts).
    pacing: { ...DEFAULT_PACING, pairBurst: 100_000 },
  });
  dispatcher.registerSender('whatsapp', (ref, m) => adapter.send(ref, m));
  const server = new HttpServer({ routes: adapter.routes(), databaseReachable: async () => true, metrics: dispatcher.metrics, logger });
  const base = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
  api.now = () => clock.now.getTime();
  const postRaw = (raw: Buffer | string, signature: string | null = signHub(Buffer.from(raw), WA_APP_SECRET)) =>
    fetch(`${base}/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw });
  const close = async () => {
    await adapter.stop();
    await server.close();
    await api.close();
  };
  closers.push(close);
  return { api, adapter, dispatcher, store, clock, base, logs: slack.logs, sleeps: slack.sleeps, postRaw, post: (b) => postRaw(metaJson(b)), close };
}

describe('erasure on WhatsApp rewrites the Slack admin channel', () => {
  it('the post about a WhatsApp contribution keeps nothing of its author after "/delete" typed on WhatsApp', async () => {
    const slack = await startSlack();
    closers.push(() => slack.close());
    const wa = await withWhatsApp(slack);
    const p = new WaPerson(wa, { bsuid: 'IQ.4400000000000000044', phone: '9647744556677' });
    const sentence = 'The bakers of Qalat Dizeh shared flour with every displaced family.';
    const code = await p.submits({ name: 'Hawre Dizayi-Private', organisation: 'Dizeh Bakers Circle', country: 'Iraq', email: 'hawre.private@example.org', text: `${sentence} ${textOf('en', 200)}` });
    // Posted once the step is stored, off the webhook's path.
    await slack.adapter.idle();
    const post = slack.api.messages.get(ADMIN_CHANNEL)!.at(-1)!;
    expect(JSON.stringify(post)).toContain('Hawre Dizayi-Private');
    expect(JSON.stringify(post)).toContain(code);
    // The organisers never see the person's WhatsApp ids, not even before the erasure.
    for (const id of ['IQ.44', '4400000000000000044', '9647744556677']) expect(JSON.stringify(post)).not.toContain(id);

    await p.say('/delete');
    await p.tap('delete:yes');
    expect(p.texts().at(-1)).toMatch(/Your data is erased/);
    await slack.adapter.idle();

    const now = slack.api.message(ADMIN_CHANNEL, post.ts)!;
    expect(now.edited).toBe(true);
    expect(now.text).toBe(`Contribution ${code} was erased at its author's request. Nothing of it or of its author is kept here.`);
    const everything = JSON.stringify(now);
    for (const s of ['Hawre', 'Dizeh', 'hawre.private', 'Qalat', 'IQ.44', '9647744556677']) expect(everything).not.toContain(s);
    expect(buttonsOf(now.blocks)).toEqual([]);
    expect(await slack.bot.store.postsToRedact('slack', 10)).toEqual([]);
  });
});
