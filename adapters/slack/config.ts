/**
 * Slack's configuration from the environment. Every variable is documented in .env.example.
 * Slack is configured when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both set.
 */
import { AppError, LOCALES, type Locale } from '../../src/core/index.js';

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set (xapp-…): no public URL, /slack/events is not mounted. */
  appToken: string | undefined;
  /** Where the Web API lives (a test fake stands in); ends with a slash, as @slack/web-api expects. */
  apiUrl: string;
  /** Channel id (C…) where new, edited and withdrawn contributions are posted. */
  adminChannel: string | undefined;
  /** User ids (U…/W…) allowed the organiser commands and decision buttons. */
  adminUsers: ReadonlySet<string>;
  /** Language of the admin channel's messages (a channel has no language of its own). */
  adminLocale: Locale;
  /** Given, Bolt skips its auth.test call at start. */
  botId: string | undefined;
  botUserId: string | undefined;
}

export const DEFAULT_API_URL = 'https://slack.com/api/';

function invalid(message: string): AppError {
  return new AppError('CONFIG_INVALID', message);
}

/** Null when Slack is not configured. Messages never quote a token: they would end up in a log. */
export function readSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig | null {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  if (!botToken && !signingSecret) return null;
  if (!botToken || !signingSecret) throw invalid('Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
  if (!/^xoxb-[A-Za-z0-9-]+$/.test(botToken)) throw invalid('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  if (appToken && !/^xapp-[A-Za-z0-9-]+$/.test(appToken)) throw invalid('SLACK_APP_TOKEN must be an app-level token (xapp-…)');

  let apiUrl = env.SLACK_API_URL?.trim() || DEFAULT_API_URL;
  if (!/^https?:\/\//.test(apiUrl)) throw invalid('SLACK_API_URL must be an http(s) URL');
  if (!apiUrl.endsWith('/')) apiUrl += '/';

  const adminChannel = env.SLACK_ADMIN_CHANNEL?.trim() || undefined;
  if (adminChannel && !/^[CG][A-Z0-9]{2,}$/.test(adminChannel)) {
    throw invalid('SLACK_ADMIN_CHANNEL must be a channel id such as C0123ABCD (not its #name)');
  }
  const adminUsers = new Set<string>();
  for (const part of (env.SLACK_ADMIN_USERS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(part)) throw invalid(`SLACK_ADMIN_USERS must be Slack user ids (U…) separated by commas ("${part}" is not)`);
    adminUsers.add(part);
  }
  const adminLocale = (env.SLACK_ADMIN_LOCALE?.trim() || 'en') as Locale;
  if (!LOCALES.includes(adminLocale)) throw invalid(`SLACK_ADMIN_LOCALE must be one of ${LOCALES.join(', ')}`);

  return {
    botToken, signingSecret, appToken, apiUrl, adminChannel, adminUsers, adminLocale,
    botId: env.SLACK_BOT_ID?.trim() || undefined,
    botUserId: env.SLACK_BOT_USER_ID?.trim() || undefined,
  };
}
