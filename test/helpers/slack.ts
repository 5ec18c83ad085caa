/**
 * A Slack adapter on the common rig (test/helpers/rig.ts), talking to the fake Web API; `bot` is a
 * console conversation on the same dispatcher. Requests are signed as Slack signs them; pacing uses a
 * virtual clock whose pauses are recorded instead of waited.
 */
import { readFileSync } from 'node:fs';
import type { DeskInvites } from '../../src/desk/invites.js';
import { SlackAdapter } from '../../adapters/slack/adapter.js';
import { readSlackConfig } from '../../adapters/slack/config.js';
import { signSlackRequest } from '../../adapters/slack/verify.js';
import { coreApi } from '../../src/core/bot-core.js';
import { organiserReports } from '../../src/organisers/reports.js';
import type { HttpServer } from '../../src/server/http-server.js';
import { FAKE_BOT_TOKEN, FakeSlackApi, type Upload } from '../fakes/slack-api.js';
import { consoleBot, TEST_SECRET, type Bot } from './harness.js';
import { buildRig, type RigOptions } from './rig.js';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests';
export const ORGANISER = 'U0ORGANISER';
export const ADMIN_CHANNEL = 'C0ADMIN';

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface SlackRig {
  bot: Bot;
  api: FakeSlackApi;
  adapter: SlackAdapter;
  server: HttpServer;
  url: string;
  /** Pauses the pacing asked for (ms), in order. */
  sleeps: number[];
  logs: string[];
  /** Posts a body signed at `ts` (default: the bot's clock) and waits for the work it started. */
  post(body: string, opts?: { contentType?: string; ts?: number; signature?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  event(payload: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  command(fields: Record<string, string>): Promise<{ status: number; text: string }>;
  interact(payload: unknown): Promise<{ status: number; text: string }>;
  /** Files uploaded (files.uploadV2) to a channel. */
  uploadsTo(channel: string): Upload[];
  close(): Promise<void>;
}

export interface SlackRigOptions extends Pick<RigOptions, 'store' | 'pause'> {
  env?: Record<string, string>;
  /** The organisers' desk's invitations, for `/icssi desk` (over the same store). */
  desk?: DeskInvites;
}

export async function startSlack(opts: SlackRigOptions = {}): Promise<SlackRig> {
  const api = new FakeSlackApi();
  await api.start();
  let virtualMs = 0;
  const rig = await buildRig(opts, async ({ dispatcher, store, logger, now, sleep }) => {
    const config = readSlackConfig({
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.apiUrl,
      SLACK_ADMIN_CHANNEL: ADMIN_CHANNEL,
      SLACK_ADMIN_USERS: ORGANISER,
      SLACK_BOT_ID: 'BBOT',
      SLACK_BOT_USER_ID: 'UBOT',
      ...opts.env,
    })!;
    const core = coreApi(dispatcher);
    const adapter = new SlackAdapter({
      config, core, reports: organiserReports({ store, core, secret: TEST_SECRET }), logger, now, desk: opts.desk,
      nowMs: () => virtualMs,
      // The pacing's clock moves only by the pauses it asks for.
      sleep: (ms, signal) => {
        virtualMs += ms;
        return sleep(ms, signal);
      },
    });
    return { adapter, senderOptions: { commandPrefix: adapter.capabilities.commandPrefix }, close: () => api.stop() };
  });
  const { adapter, server, logs, sleeps } = rig;
  const bot = consoleBot(rig);
  const url = `${rig.base}/slack/events`;

  const post: SlackRig['post'] = async (body, o = {}) => {
    const ts = o.ts ?? Math.floor(bot.clock.now.getTime() / 1000);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': o.contentType ?? 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': o.signature ?? signSlackRequest(SIGNING_SECRET, ts, body),
        ...o.headers,
      },
      body,
    });
    const text = await res.text();
    await adapter.idle();
    return { status: res.status, text };
  };
  return {
    bot, api, adapter, server, url, sleeps, logs, post,
    event: (payload, headers) => post(JSON.stringify(payload), { headers }),
    command: (fields) => post(new URLSearchParams(fields).toString(), { contentType: 'application/x-www-form-urlencoded' }),
    uploadsTo: (channel) => api.uploads.filter((u) => u.channel === channel),
    interact: (payload) => post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { contentType: 'application/x-www-form-urlencoded' }),
    close: rig.close,
  };
}

let seq = 0;
/** A message.im event_callback from `user` with a fresh event_id. */
export function dm(text: string, user = 'U0PARTNER', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const f = fixture<{ event: Record<string, unknown> }>('event_callback_message_im');
  return { ...f, event_id: `Ev${Date.now()}${++seq}`, event: { ...f.event, user, channel: `D${user}`, text, ...extra } };
}

/** A block_actions payload pressing the button `choice` in the DM of `user`. */
export function press(choice: string, user = 'U0PARTNER', blockId = 'choices:0'): Record<string, unknown> {
  const f = fixture<Record<string, unknown> & { actions: Record<string, unknown>[] }>('block_actions');
  return { ...f, user: { id: user, team_id: 'T0001' }, trigger_id: `trig.${++seq}`, actions: [{ ...f.actions[0], action_id: choice, value: choice, block_id: blockId }] };
}

export function slash(text: string, user = 'U0PARTNER', channel = 'C0GENERAL'): Record<string, string> {
  return { ...fixture<Record<string, string>>('slash_command'), text, user_id: user, channel_id: channel, trigger_id: `trig.${++seq}` };
}

/** Every text the fake received in chat.postMessage to `channel`, blocks flattened. */
export function textsTo(api: FakeSlackApi, channel: string): string[] {
  return api.callsTo('chat.postMessage').filter((c) => c.channel === channel).map((c) => blockText(c.blocks));
}

type RichPart = { type: string; text?: string; url?: string; elements?: RichPart[] };

/** The literal text of a rich_text block (text.ts): its sections' texts and links, in order. */
export function richText(block: RichPart): string {
  return (block.elements ?? []).map((e) => (e.type === 'text' ? (e.text ?? '') : e.type === 'link' ? (e.text ?? e.url ?? '') : richText(e))).join('');
}

export function blockText(blocks: unknown): string {
  type Block = { type: string; text?: { text?: string }; elements?: { text?: string | { text?: string } }[] };
  return ((blocks as Block[] | undefined) ?? [])
    .map((b) => b.type === 'rich_text'
      ? richText(b as RichPart)
      : [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text?.text ?? ''))].join(' '))
    .join('\n');
}

export function buttonsOf(blocks: unknown): string[] {
  return ((blocks as { type: string; elements?: { action_id: string }[] }[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id));
}
