/**
 * Telegram's configuration from the environment. Every variable is documented in .env.example.
 * Telegram is configured when TELEGRAM_BOT_TOKEN is set; a webhook without a secret is refused.
 */
import { AppError } from '../../src/core/index.js';

export type TelegramMode = 'webhook' | 'polling';

export interface TelegramConfig {
  token: string;
  mode: TelegramMode;
  /** Checked on every webhook request (X-Telegram-Bot-Api-Secret-Token); required for a webhook. */
  webhookSecret: string | undefined;
  /** The public https URL Telegram posts to (…/telegram); used by `telegram:setup`. */
  webhookUrl: string | undefined;
  /** Telegram user ids allowed to use /stats. */
  adminIds: ReadonlySet<string>;
  /** Where the Bot API lives; a local Bot API server or a test fake can stand in. */
  apiRoot: string;
}

export const DEFAULT_API_ROOT = 'https://api.telegram.org';

// setWebhook's secret_token: 1–256 characters, only A–Z, a–z, 0–9, _ and -.
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
// BotFather tokens are "<bot id>:<35 characters>"; checking the shape catches a pasted quote or space.
const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{20,}$/;

function invalid(message: string): AppError {
  return new AppError('CONFIG_INVALID', message);
}

/** Null when TELEGRAM_BOT_TOKEN is not set (Telegram is not configured). */
export function readTelegramConfig(env: NodeJS.ProcessEnv = process.env): TelegramConfig | null {
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  if (!token) return null;
  // The message never quotes the token itself: it would end up in a log.
  if (!TOKEN_PATTERN.test(token)) throw invalid('TELEGRAM_BOT_TOKEN does not look like a BotFather token (digits, a colon, then letters and digits)');

  const mode = (env.TELEGRAM_MODE?.trim() || 'webhook') as TelegramMode;
  if (mode !== 'webhook' && mode !== 'polling') throw invalid(`TELEGRAM_MODE must be webhook or polling, not "${env.TELEGRAM_MODE}"`);

  const webhookSecret = env.TELEGRAM_WEBHOOK_SECRET?.trim() || undefined;
  if (mode === 'webhook' && !webhookSecret) {
    // Without it anyone who finds the URL could post updates in any person's name.
    throw invalid('TELEGRAM_WEBHOOK_SECRET is required in webhook mode (1–256 characters: letters, digits, _ and -); or set TELEGRAM_MODE=polling');
  }
  if (webhookSecret && !SECRET_PATTERN.test(webhookSecret)) {
    throw invalid('TELEGRAM_WEBHOOK_SECRET may only hold letters, digits, _ and - (1–256 characters)');
  }

  const webhookUrl = env.TELEGRAM_WEBHOOK_URL?.trim() || undefined;
  if (webhookUrl && !/^https:\/\//.test(webhookUrl)) throw invalid('TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram posts only to https)');

  const adminIds = new Set<string>();
  for (const part of (env.TELEGRAM_ADMIN_IDS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!/^\d{1,20}$/.test(part)) throw invalid(`TELEGRAM_ADMIN_IDS must be numeric Telegram user ids separated by commas ("${part}" is not)`);
    adminIds.add(part);
  }

  const apiRoot = (env.TELEGRAM_API_ROOT?.trim() || DEFAULT_API_ROOT).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiRoot)) throw invalid('TELEGRAM_API_ROOT must be an http(s) URL');

  return { token, mode, webhookSecret, webhookUrl, adminIds, apiRoot };
}
