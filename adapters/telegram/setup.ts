/**
 * `npm run icssi -- telegram:setup`: tells Telegram where to deliver updates (setWebhook with the
 * secret token, or no webhook for long polling), and sets the command menu, the description and
 * the short description in each language. Safe to run again: every call replaces what was set.
 */
import type { Api } from 'grammy';
import type { BotCommand, LanguageCode } from 'grammy/types';
import type { i18n as I18n } from 'i18next';
import { AppError, type Locale, type Sleep } from '../../src/core/index.js';
import { createBot } from './api.js';
import type { TelegramConfig } from './config.js';
import { ALLOWED_UPDATES } from './polling.js';

/** The commands in the menu, in this order. /stats is for organisers only and stays unlisted. */
// /about is the core's About command: the flow shows About and returns to the step.
export const MENU_COMMANDS = ['start', 'about', 'help', 'lang', 'status', 'stop', 'cancel', 'delete'] as const;

/**
 * Telegram's language codes are two-letter ISO 639-1: there is no code for Sorani, so the Sorani
 * texts go to `ku` (Kurdish), the closest. No code at all is the default, for every other language.
 */
const TELEGRAM_LANGUAGES: { code: LanguageCode | undefined; lng: Locale; label: string }[] = [
  { code: undefined, lng: 'en', label: 'default (en)' },
  { code: 'ar', lng: 'ar', label: 'ar' },
  { code: 'ku', lng: 'ckb', label: 'ku (ckb)' },
];

// Limits of setMyDescription and setMyShortDescription; checked here to name the text at fault.
const MAX_DESCRIPTION = 512;
const MAX_SHORT_DESCRIPTION = 120;

export interface SetupOptions {
  config: TelegramConfig | null;
  i18n: I18n;
  /** The language of the lines printed for the organiser. */
  lng: Locale;
  /** The call's word target, quoted in the descriptions (a number from the call, never typed in a text). */
  target: number;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Used instead of a new client (tests may pass one). */
  api?: Api;
}

function commandsFor(i18n: I18n, lng: Locale): BotCommand[] {
  return MENU_COMMANDS.map((command) => ({ command, description: i18n.t(`telegram:commands.${command}`, { lng }) }));
}

function descriptions(i18n: I18n, lng: Locale, target: number): { description: string; short_description: string } {
  const description = i18n.t('telegram:description', { lng, target });
  const short = i18n.t('telegram:shortDescription', { lng, target });
  if (description.length > MAX_DESCRIPTION) throw new AppError('CONFIG_INVALID', `telegram:description (${lng}) is ${description.length} characters; Telegram takes at most ${MAX_DESCRIPTION}`);
  if (short.length > MAX_SHORT_DESCRIPTION) throw new AppError('CONFIG_INVALID', `telegram:shortDescription (${lng}) is ${short.length} characters; Telegram takes at most ${MAX_SHORT_DESCRIPTION}`);
  return { description, short_description: short };
}

/** Returns the lines to print: what was set. */
export async function telegramSetup(opts: SetupOptions): Promise<string[]> {
  const { config, i18n } = opts;
  const t = i18n.getFixedT(opts.lng);
  if (!config) throw new AppError('CONFIG_INVALID', t('telegram:setup.noToken'));
  const api = opts.api ?? createBot({ token: config.token, apiRoot: config.apiRoot, fetch: opts.fetch, sleep: opts.sleep }).api;
  const lines: string[] = [];

  if (config.mode === 'webhook') {
    if (!config.webhookUrl) throw new AppError('CONFIG_INVALID', t('telegram:setup.noUrl'));
    await api.setWebhook(config.webhookUrl, {
      // Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; the webhook refuses requests without it.
      secret_token: config.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
      // Updates that waited while the bot was being set up are still wanted.
      drop_pending_updates: false,
    });
    lines.push(t('telegram:setup.webhook', { url: config.webhookUrl, updates: ALLOWED_UPDATES.join(', ') }));
  } else {
    await api.deleteWebhook({ drop_pending_updates: false });
    lines.push(t('telegram:setup.polling'));
  }

  const labels = TELEGRAM_LANGUAGES.map((l) => l.label).join(', ');
  for (const { code, lng } of TELEGRAM_LANGUAGES) {
    await api.setMyCommands(commandsFor(i18n, lng), code ? { language_code: code } : undefined);
  }
  lines.push(t('telegram:setup.commands', { languages: labels }));

  for (const { code, lng } of TELEGRAM_LANGUAGES) {
    const d = descriptions(i18n, lng, opts.target);
    await api.setMyDescription(d.description, code ? { language_code: code } : undefined);
    await api.setMyShortDescription(d.short_description, code ? { language_code: code } : undefined);
  }
  lines.push(t('telegram:setup.descriptions', { languages: labels }));
  return lines;
}
