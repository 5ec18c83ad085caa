/**
 * The desk's configuration (documented in .env.example): where it is reached from outside (the
 * sign-in links), how long a session lasts, and whether a proxy in front says who the client is.
 */
import { AppError } from '../core/errors.js';

export const DESK_PATH = '/desk';

export interface DeskConfig {
  /** The public address of the desk, e.g. https://bot.example.org/desk (no trailing slash). */
  publicUrl: string;
  /** Cookies get Secure (and the __Host-/__Secure- rules) when the public address is https. */
  secure: boolean;
  sessionHours: number;
  inviteHours: number;
  /** Take the client's address from X-Forwarded-For (set it only behind a proxy that sets it, as Caddy does). */
  trustProxy: boolean;
}

export function readDeskConfig(env: NodeJS.ProcessEnv, server: { host: string; port: number }): DeskConfig {
  const given = env.DESK_PUBLIC_URL?.trim();
  const publicUrl = (given || `http://${server.host}:${server.port}${DESK_PATH}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new AppError('CONFIG_INVALID', 'DESK_PUBLIC_URL must be an http(s) address, e.g. https://bot.example.org/desk');
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || !parsed.pathname.endsWith(DESK_PATH)) {
    throw new AppError('CONFIG_INVALID', `DESK_PUBLIC_URL must be an http(s) address ending in ${DESK_PATH}, e.g. https://bot.example.org${DESK_PATH}`);
  }
  const hours = Number(env.DESK_SESSION_HOURS?.trim() || 12);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) throw new AppError('CONFIG_INVALID', 'DESK_SESSION_HOURS must be a number of hours from 1 to 720');
  return {
    publicUrl,
    secure: parsed.protocol === 'https:',
    sessionHours: hours,
    inviteHours: 24,
    trustProxy: ['1', 'true', 'yes'].includes(env.DESK_TRUST_PROXY?.trim().toLowerCase() ?? ''),
  };
}
