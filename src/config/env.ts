/**
 * Configuration from the environment (and .env, when present). Every variable is documented in
 * .env.example.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { makePrivateDir } from '../core/private-files.js';
import type { LogFormat, LogLevel } from '../core/log.js';
import { DEFAULT_CALL_FILE } from './load-call.js';

export interface AppConfig {
  databaseUrl: string | undefined;
  callFile: string;
  secret: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** json (default): one JSON object per line; pretty: readable lines, for development. */
  logFormat: LogFormat;
  /** Seconds to wait for messages in progress on SIGTERM. */
  shutdownGraceSeconds: number;
  /** Days an event claim is kept for recognising redeliveries (PROCESSED_EVENTS_MAX_AGE_DAYS). */
  processedEventsMaxAgeDays: number;
}

const SECRET_FILE = 'data/secret.key';

export function loadDotEnv(file = '.env'): void {
  // Node's own loader: values already in the environment win.
  if (existsSync(file)) process.loadEnvFile(file);
}

/**
 * ICSSI_SECRET keys the conversation hash and export pseudonyms. Several instances (PostgreSQL)
 * must share one, so it is required there; the embedded default makes one under data/ once.
 */
function resolveSecret(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): string {
  const given = env.ICSSI_SECRET?.trim();
  if (given) {
    if (given.length < 16) throw new AppError('CONFIG_INVALID', 'ICSSI_SECRET must be at least 16 characters long');
    return given;
  }
  if (databaseUrl && /^postgres(ql)?:/.test(databaseUrl)) {
    throw new AppError('CONFIG_INVALID', 'ICSSI_SECRET is required with a PostgreSQL DATABASE_URL (every instance must use the same one)');
  }
  if (existsSync(SECRET_FILE)) return readFileSync(SECRET_FILE, 'utf8').trim();
  makePrivateDir(dirname(SECRET_FILE));
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(SECRET_FILE, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * A whole number from the environment, or the default when the variable is absent. Set but empty
 * (`PORT=` left in .env) is refused rather than read as 0: Number('') is 0, which gave PORT a
 * random free port and SHUTDOWN_GRACE_SECONDS no grace at all, silently.
 */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, what: string): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') {
    throw new AppError('CONFIG_INVALID', `${name} is set but empty: give it ${what}, or remove the line to use ${fallback}`);
  }
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0) throw new AppError('CONFIG_INVALID', `${name} must be ${what}, not "${raw}"`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const port = wholeNumber(env, 'PORT', 3000, 'a port number from 1 to 65535 (e.g. 3000)');
  // 0 asks the system for any free port: for tests, never what a platform's webhook can find.
  if (port > 65535) throw new AppError('CONFIG_INVALID', `PORT must be a port number from 1 to 65535, not "${env.PORT}"`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new AppError('CONFIG_INVALID', 'LOG_LEVEL must be one of debug, info, warn, error, silent');
  }
  const logFormat = (env.LOG_FORMAT?.trim() || 'json') as LogFormat;
  if (!['json', 'pretty'].includes(logFormat)) throw new AppError('CONFIG_INVALID', 'LOG_FORMAT must be json or pretty');
  const grace = wholeNumber(env, 'SHUTDOWN_GRACE_SECONDS', 10, 'a number of seconds (e.g. 10)');
  const maxAge = Number(env.PROCESSED_EVENTS_MAX_AGE_DAYS?.trim() || 7);
  // Platforms redeliver within hours (Slack within minutes): less than a day would forget claims
  // that a late redelivery still needs.
  if (!Number.isFinite(maxAge) || maxAge < 1) {
    throw new AppError('CONFIG_INVALID', 'PROCESSED_EVENTS_MAX_AGE_DAYS must be a number of days, at least 1');
  }
  return {
    databaseUrl,
    callFile: env.CALL_DEFINITION?.trim() || DEFAULT_CALL_FILE,
    secret: resolveSecret(env, databaseUrl),
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    logLevel,
    logFormat,
    shutdownGraceSeconds: grace,
    processedEventsMaxAgeDays: maxAge,
  };
}
