/**
 * The registry's entry for Telegram: an adapter when TELEGRAM_BOT_TOKEN is set, else none.
 * readTelegramConfig throws CONFIG_INVALID for a webhook without TELEGRAM_WEBHOOK_SECRET.
 */
import type { App } from '../../src/app.js';
import { TelegramAdapter } from './adapter.js';
import { readTelegramConfig } from './config.js';
import { deskInvitesFor } from '../../src/app-desk.js';

export function telegramAdapter(app: App, env: NodeJS.ProcessEnv = process.env): TelegramAdapter | null {
  const config = readTelegramConfig(env);
  if (!config) return null;
  return new TelegramAdapter({
    config,
    core: app.core,
    reports: app.reports,
    desk: deskInvitesFor(app, env),
    logger: app.logger,
  });
}
