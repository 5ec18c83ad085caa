/**
 * `telegram:setup` against the fake Bot API, the Telegram configuration, and the registry entry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { i18n as I18n } from 'i18next';
import { readTelegramConfig, type TelegramConfig } from '../adapters/telegram/config.js';
import { telegramSetup } from '../adapters/telegram/setup.js';
import { telegramAdapter } from '../adapters/telegram/index.js';
import { createI18n } from '../src/config/i18n.js';
import type { AdapterHost } from '../src/core/index.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';

let api: FakeBotApi;
let i18n: I18n;
beforeEach(async () => {
  api = new FakeBotApi();
  await api.start();
  i18n = await createI18n();
});
afterEach(() => api.close());

const config = (over: Partial<TelegramConfig> = {}): TelegramConfig => ({
  token: api.token, mode: 'webhook', webhookSecret: 'the-secret_42', webhookUrl: 'https://bot.example.org/telegram',
  adminIds: new Set(), apiRoot: api.apiRoot, ...over,
});

describe('telegram:setup', () => {
  it('sets the webhook with the secret and the allowed updates, keeping pending updates', async () => {
    const lines = await telegramSetup({ config: config(), i18n, lng: 'en', target: 250 });
    const [hook] = api.callsOf('setWebhook');
    expect(hook!.params).toEqual({
      url: 'https://bot.example.org/telegram',
      secret_token: 'the-secret_42',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: false,
    });
    expect(lines[0]).toBe('Webhook set: https://bot.example.org/telegram (with the secret token; updates: message, edited_message, callback_query, my_chat_member).');
    expect(lines.join('\n')).not.toContain('the-secret_42');
  });

  it('sets the command menu for default, ar and ku, each in its language', async () => {
    await telegramSetup({ config: config(), i18n, lng: 'en', target: 250 });
    const menus = api.callsOf('setMyCommands');
    expect(menus.map((c) => c.params.language_code)).toEqual([undefined, 'ar', 'ku']);
    for (const m of menus) {
      expect((m.params.commands as { command: string }[]).map((c) => c.command)).toEqual(['start', 'about', 'help', 'lang', 'status', 'stop', 'cancel', 'delete']);
      expect(m.status).toBe(200);
    }
    const description = (i: number, n = 2) => (menus[i]!.params.commands as { description: string }[])[n]!.description;
    // /about in the menu in all three languages.
    expect([0, 1, 2].map((i) => description(i, 1))).toEqual(['About the conference', 'عن المؤتمر', 'دەربارەی کۆنفرانس']);
    expect(description(0)).toBe('What I can do');
    expect(description(1)).toMatch(/^[\u0600-\u06FF\s]+$/);
    // Sorani for `ku`: Kurdish letters (ێ, ە, ۆ…), not the Arabic text.
    expect(description(2)).toMatch(/[\u06CE\u06D5\u06C6\u06B5\u0695]/);
  });

  it('sets a description and a short description in each language, within Telegram’s limits', async () => {
    await telegramSetup({ config: config(), i18n, lng: 'ar', target: 250 });
    const long = api.callsOf('setMyDescription');
    const short = api.callsOf('setMyShortDescription');
    expect(long.map((c) => c.params.language_code)).toEqual([undefined, 'ar', 'ku']);
    expect(short.map((c) => c.params.language_code)).toEqual([undefined, 'ar', 'ku']);
    // The fake answers 400 over 512 / 120 characters, as Telegram does.
    expect([...long, ...short].map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(long[0]!.params.description).toContain('automated');
    expect(long[1]!.params.description).toContain('آلي');
    expect(short[2]!.params.short_description).toContain('کۆنفرانسی ICSSI');
    // The word target comes from the call, in each language's digits.
    expect(short[0]!.params.short_description).toContain('about 250 words');
    expect(short[2]!.params.short_description).toContain('٢٥٠');
  });

  it('in polling mode removes the webhook instead', async () => {
    await telegramSetup({ config: config({ mode: 'polling', webhookSecret: undefined, webhookUrl: undefined }), i18n, lng: 'en', target: 250 });
    expect(api.callsOf('setWebhook')).toEqual([]);
    expect(api.callsOf('deleteWebhook')[0]!.params.drop_pending_updates).toBe(false);
  });

  it('says what is missing: no token, or no public URL for a webhook', async () => {
    await expect(telegramSetup({ config: null, i18n, lng: 'en', target: 250 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('TELEGRAM_BOT_TOKEN') });
    await expect(telegramSetup({ config: config({ webhookUrl: undefined }), i18n, lng: 'en', target: 250 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('TELEGRAM_WEBHOOK_URL') });
    expect(api.calls).toEqual([]);
  });
});

describe('Telegram configuration', () => {
  const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

  it('is off without a token and refuses a webhook without a secret', () => {
    expect(readTelegramConfig({})).toBeNull();
    expect(() => readTelegramConfig({ TELEGRAM_BOT_TOKEN: token })).toThrow(/TELEGRAM_WEBHOOK_SECRET is required/);
    expect(() => readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'has space' })).toThrow(/letters, digits/);
    expect(readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling' })!.mode).toBe('polling');
  });

  it('reads admin ids, the API root, and never quotes the token in an error', () => {
    const c = readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 's3cret', TELEGRAM_ADMIN_IDS: '111, 222', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' })!;
    expect([...c.adminIds]).toEqual(['111', '222']);
    expect(c.apiRoot).toBe('http://127.0.0.1:8081');
    expect(readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling' })!.apiRoot).toBe('https://api.telegram.org');
    expect(() => readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling', TELEGRAM_ADMIN_IDS: '@layla' })).toThrow(/numeric/);
    expect(() => readTelegramConfig({ TELEGRAM_BOT_TOKEN: `"${token}"`, TELEGRAM_MODE: 'polling' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('AAHdq') }));
  });

  it('the registry builds the adapter only when a token is set', () => {
    const host = { core: { metrics: { inc() {} } }, secret: 'x'.repeat(20) } as unknown as AdapterHost;
    expect(telegramAdapter(host, {})).toBeNull();
    const adapter = telegramAdapter(host, { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 's3cret' })!;
    expect(adapter.routes().map((r) => r.path)).toEqual(['/telegram']);
    expect(telegramAdapter(host, { TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling' })!.routes()).toEqual([]);
  });
});
