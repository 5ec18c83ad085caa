/**
 * Messenger's configuration from the environment (documented in .env.example). Messenger is
 * configured when the Page access token, the app secret and the verify token are all set: without
 * the secret no webhook could be verified, without the verify token Meta could not subscribe it.
 */
import { AppError } from '../../src/core/index.js';

export interface MessengerConfig {
  /** The Page access token the Send API and the Messenger Profile API are called with. */
  pageAccessToken: string;
  /** Signs every webhook (X-Hub-Signature-256) and every data-deletion signed_request. */
  appSecret: string;
  /** Chosen by us and typed into the app dashboard; Meta echoes it in the GET verification. */
  verifyToken: string;
  /** Where the Graph API lives (a test fake can stand in), without a trailing slash. */
  graphUrl: string;
  /** The Graph API version in every path, e.g. v26.0. */
  graphVersion: string;
  /** The bot's public https origin, for the data-deletion status URL; else taken from the request. */
  publicUrl: string | undefined;
}

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
// v26.0 is current (2026); v25.0 stays supported until 2028-07. Set MESSENGER_GRAPH_VERSION to move.
export const DEFAULT_GRAPH_VERSION = 'v26.0';

function invalid(message: string): AppError {
  return new AppError('CONFIG_INVALID', message);
}

/** Null when Messenger is not configured. Messages never quote a token or a secret. */
export function readMessengerConfig(env: NodeJS.ProcessEnv = process.env): MessengerConfig | null {
  const pageAccessToken = env.MESSENGER_PAGE_ACCESS_TOKEN?.trim() ?? '';
  const appSecret = env.MESSENGER_APP_SECRET?.trim() ?? '';
  const verifyToken = env.MESSENGER_VERIFY_TOKEN?.trim() ?? '';
  const set = [pageAccessToken, appSecret, verifyToken].filter(Boolean).length;
  if (set === 0) return null;
  if (set < 3) {
    // Half a configuration is a mistake worth stopping for, not a silently missing platform.
    throw invalid('Messenger needs MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN together');
  }
  if (/\s/.test(pageAccessToken)) throw invalid('MESSENGER_PAGE_ACCESS_TOKEN contains a space (a pasted line break?)');

  const graphUrl = (env.MESSENGER_GRAPH_URL?.trim() || DEFAULT_GRAPH_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(graphUrl)) throw invalid('MESSENGER_GRAPH_URL must be an http(s) origin such as https://graph.facebook.com');
  const graphVersion = env.MESSENGER_GRAPH_VERSION?.trim() || DEFAULT_GRAPH_VERSION;
  if (!/^v\d+\.\d+$/.test(graphVersion)) throw invalid(`MESSENGER_GRAPH_VERSION must look like v26.0, not "${graphVersion}"`);

  const publicUrl = env.MESSENGER_PUBLIC_URL?.trim().replace(/\/+$/, '') || undefined;
  // Meta accepts only https status URLs for the data-deletion callback.
  if (publicUrl && !/^https:\/\/[^/]+/.test(publicUrl)) throw invalid('MESSENGER_PUBLIC_URL must be an https:// URL');

  return { pageAccessToken, appSecret, verifyToken, graphUrl, graphVersion, publicUrl };
}
