/**
 * The registry's entry for Telegram: an adapter when TELEGRAM_BOT_TOKEN is set, else none.
 * readTelegramConfig throws CONFIG_INVALID for a webhook without TELEGRAM_WEBHOOK_SECRET.
 */
import type { AdapterHost } from '../../src/core/index.js';
import { TelegramAdapter } from './adapter.js';
import { readTelegramConfig } from './config.js';

export function telegramAdapter(host: AdapterHost, env: NodeJS.ProcessEnv = process.env): TelegramAdapter | null {
  const config = readTelegramConfig(env);
  if (!config) return null;
  return new TelegramAdapter({
    config,
    core: host.core,
    reports: host.reports,
    desk: host.desk,
    logger: host.logger,
  });
}
