/**
 * The logger: pino, one JSON object per line on stderr (or a readable format with
 * LOG_FORMAT=pretty in development). Callers pass only what is safe to keep: never tokens, message
 * bodies or raw platform user ids (use the conversation key). As a second line of defence, fields
 * with those names are redacted and token-shaped strings are masked, in errors too.
 *
 * Every line logged while an event is handled carries the event's platform, id and conversation
 * key (withLogContext, kept across awaits by AsyncLocalStorage), so one grep finds an event's story.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries `fields`. */
  child(fields: Record<string, unknown>): Logger;
}

const context = new AsyncLocalStorage<Record<string, unknown>>();

const CONTEXT_OF_ERROR = Symbol('log context');

/**
 * Marks an error with the current log context, so that whoever logs it later, outside the event
 * (an adapter answering its webhook), still names the event's platform, id and conversation.
 */
export function withErrorContext(err: unknown): unknown {
  const store = context.getStore();
  if (store && err instanceof Error && !(CONTEXT_OF_ERROR in err)) {
    Object.defineProperty(err, CONTEXT_OF_ERROR, { value: store, enumerable: false });
  }
  return err;
}

/** Runs `fn` with `fields` added to every line logged inside it (and in what it awaits). */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** Field names that must never reach a log with their value. */
const REDACT_KEYS = ['token', 'accessToken', 'botToken', 'secret', 'password', 'authorization', 'body', 'rawBody', 'text', 'userId', 'chatId', 'platformUserId', 'email'];
const REDACT_PATHS = [...REDACT_KEYS, ...REDACT_KEYS.map((k) => `*.${k}`), 'headers.authorization', 'headers.cookie'];

/**
 * Token shapes of the platforms (Telegram bot token, Slack xox*-/xapp- tokens, Meta access tokens)
 * and credentials in URLs: an error message from a library may quote a request URL.
 */
const SECRET_PATTERNS: RegExp[] = [/\bbot\d{5,}:[\w-]{20,}/g, /\b\d{5,}:[\w-]{30,}/g, /\bxox[abposr]-[\w-]+/g, /\bxapp-[\w-]+/g, /\bEAA[A-Za-z0-9]{20,}/g, /\/\/[^/\s:@]+:[^/\s@]+@/g];

export function scrub(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) out = out.replace(p, (m) => (m.startsWith('//') ? '//[redacted]@' : '[redacted]'));
  return out;
}

/** An error as a log value: type, message, code, stack and its chain of causes, scrubbed. */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrub(String(err)) };
  const out: Record<string, unknown> = { type: err.name, message: scrub(err.message) };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.stack) out.stack = scrub(err.stack);
  if (err.cause !== undefined && depth < 5) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

function prepare(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v instanceof Error) {
      out[k] = serializeError(v);
      const ctx = (v as Error & { [CONTEXT_OF_ERROR]?: Record<string, unknown> })[CONTEXT_OF_ERROR];
      if (ctx) for (const [ck, cv] of Object.entries(ctx)) if (!(ck in out) && !(fields && ck in fields)) out[ck] = cv;
    } else out[k] = v;
  }
  return out;
}

function wrap(p: Pino): Logger {
  return {
    debug: (m, f) => p.debug(prepare(f), m),
    info: (m, f) => p.info(prepare(f), m),
    warn: (m, f) => p.warn(prepare(f), m),
    error: (m, f) => p.error(prepare(f), m),
    child: (f) => wrap(p.child(prepare(f))),
  };
}

/** pino-pretty is a development dependency: without it (a production install) lines stay JSON. */
function prettyStream(): DestinationStream | null {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (o: object) => DestinationStream;
    return pretty({ destination: 2, sync: true, colorize: Boolean(process.stderr.isTTY), translateTime: 'SYS:HH:MM:ss.l' });
  } catch {
    return null;
  }
}

export function createLogger(level: LogLevel = 'info', write?: (line: string) => void, format: LogFormat = 'json'): Logger {
  const stream: DestinationStream = write
    ? { write: (s: string) => write(s.endsWith('\n') ? s.slice(0, -1) : s) }
    : ((format === 'pretty' ? prettyStream() : null) ?? pino.destination({ dest: 2, sync: true }));
  const p = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => context.getStore() ?? {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Errors are serialised (and scrubbed) by serializeError before they reach pino.
      serializers: { err: (v: unknown) => v },
    },
    stream,
  );
  return wrap(p);
}

export const silentLogger: Logger = createLogger('silent', () => undefined);
