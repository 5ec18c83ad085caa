/**
 * The Telegram adapter on a real dispatcher and the project's HTTP server, talking over real HTTP
 * on 127.0.0.1 to the fake Bot API; Update objects are made from the fixtures.
 */
import { readFileSync } from 'node:fs';
import type { Update } from 'grammy/types';
import type { i18n as I18n } from 'i18next';
import { TelegramAdapter } from '../../adapters/telegram/adapter.js';
import type { TelegramConfig } from '../../adapters/telegram/config.js';
import { SECRET_HEADER, WEBHOOK_PATH } from '../../adapters/telegram/webhook.js';
import type { Dispatcher } from '../../src/core/dispatcher.js';
import { coreApi } from '../../src/core/bot-core.js';
import { organiserReports } from '../../src/organisers/reports.js';
import type { BotStore } from '../../src/core/ports.js';
import { FakeBotApi } from '../fakes/telegram-bot-api.js';
import { TEST_SECRET } from './harness.js';
import { buildRig, type RigOptions } from './rig.js';

export const WEBHOOK_SECRET = 'webhook-secret_0123456789-abc';

const FIXTURES = new URL('../fixtures/telegram/', import.meta.url);

/** A fixture as a fresh object. */
export function fixture(name: string): Update {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Update;
}

let nextUpdateId = 800_000_000;

/** Updates from one person in a private chat, built from the fixtures (ids and language replaced). */
export class Person {
  constructor(
    readonly id: number,
    readonly languageCode = 'en',
  ) {}

  private own(u: Update, updateId?: number): Update {
    const anyU = u as unknown as Record<string, Record<string, unknown>>;
    u.update_id = updateId ?? nextUpdateId++;
    for (const key of ['message', 'edited_message', 'callback_query', 'my_chat_member']) {
      const part = anyU[key];
      if (!part) continue;
      const from = (part.from as Record<string, unknown> | undefined) ?? undefined;
      if (from) Object.assign(from, { id: this.id, language_code: this.languageCode });
      const chat = (part.chat ?? (part.message as Record<string, unknown> | undefined)?.chat) as Record<string, unknown> | undefined;
      if (chat) chat.id = this.id;
    }
    return u;
  }

  text(text: string, updateId?: number): Update {
    const u = fixture('message-text');
    u.message!.text = text;
    return this.own(u, updateId);
  }

  command(command: string, args = ''): Update {
    const u = fixture('message-command');
    const head = `/${command}`;
    u.message!.text = args ? `${head} ${args}` : head;
    u.message!.entities = [{ type: 'bot_command', offset: 0, length: head.length }];
    return this.own(u);
  }

  press(data: string): Update {
    const u = fixture('callback-query');
    u.callback_query!.data = data;
    u.callback_query!.id = `cq-${nextUpdateId}`;
    return this.own(u);
  }

  document(fileId: string, fileName: string, fileSize: number, mimeType?: string): Update {
    const u = fixture('document');
    Object.assign(u.message!.document!, { file_id: fileId, file_name: fileName, file_size: fileSize, mime_type: mimeType });
    return this.own(u);
  }

  fixture(name: string): Update {
    return this.own(fixture(name));
  }
}

export interface TelegramTestOptions extends RigOptions {
  mode?: 'webhook' | 'polling';
  adminIds?: string[];
  /** A fake Bot API shared with another bot (two instances of the bot); closed by its owner. */
  api?: FakeBotApi;
  /** Passed to the adapter (0: every 429 is thrown with its wait). */
  maxRetryAfterSeconds?: number;
}

export interface TelegramTestBot {
  api: FakeBotApi;
  adapter: TelegramAdapter;
  dispatcher: Dispatcher;
  store: BotStore;
  i18n: I18n;
  /** Pauses the adapter asked for between retries (ms); none of them is waited. */
  sleeps: number[];
  /** Every log line written. */
  logs: string[];
  /** The webhook's address. */
  url: string;
  /** The dispatcher's and adapter's clock: set `now` to move time on. */
  clock: { now: Date };
  /** Posts an update to the webhook, with the right secret unless told otherwise. */
  post(update: Update | string, secret?: string | null): Promise<Response>;
  close(): Promise<void>;
}

export async function startTelegram(opts: TelegramTestOptions = {}): Promise<TelegramTestBot> {
  const api = opts.api ?? new FakeBotApi();
  if (!opts.api) await api.start();
  const rig = await buildRig(opts, async ({ dispatcher, store, logger, now, sleep }) => {
    const config: TelegramConfig = {
      token: api.token,
      mode: opts.mode ?? 'webhook',
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: 'https://bot.example.org/telegram',
      adminIds: new Set(opts.adminIds ?? []),
      apiRoot: api.apiRoot,
    };
    const core = coreApi(dispatcher);
    const adapter = new TelegramAdapter({
      config, core, reports: organiserReports({ store, core, secret: TEST_SECRET }), logger, now, sleep, maxRetryAfterSeconds: opts.maxRetryAfterSeconds,
    });
    return { adapter, close: async () => (opts.api ? undefined : api.close()) };
  });
  const url = `${rig.base}${WEBHOOK_PATH}`;
  return {
    api, adapter: rig.adapter, dispatcher: rig.dispatcher, store: rig.store, i18n: rig.i18n, sleeps: rig.sleeps, logs: rig.logs, url, clock: rig.clock,
    post: async (update, secret = WEBHOOK_SECRET) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers[SECRET_HEADER] = secret;
      const r = await fetch(url, { method: 'POST', headers, body: typeof update === 'string' ? update : JSON.stringify(update) });
      // As Telegram does: a method in the 200's body (a button press's answer) is performed.
      await api.performWebhookAnswer(r.status, await r.clone().text());
      return r;
    },
    close: rig.close,
  };
}

/** Every callback_data on the inline keyboards the bot has sent. */
export function callbackData(api: FakeBotApi): string[] {
  return api.messages().flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data));
}
