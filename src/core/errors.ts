/**
 * One error family with a string code. Callers branch on `code`, never on the message text.
 */
export type AppErrorCode =
  | 'CALL_DEFINITION_INVALID'
  | 'STORAGE_UNAVAILABLE'
  | 'STATE_CONFLICT'
  | 'STATE_UNREADABLE'
  | 'CONFIG_INVALID'
  | 'PLATFORM_REFUSED'
  | 'PLATFORM_UNREACHABLE';

export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/**
 * A refusal for good, decided by each adapter from its platform's documented codes:
 * - `recipient`: nothing can reach this person now (Telegram 403 blocked, Messenger outside the
 *   window or user unavailable, Slack channel_not_found…) — the person is marked unreachable;
 * - `message`: this message will never be accepted (a 400 on its content) — later ones may be.
 * Absent: the failure may pass (network, 5xx, 429, a token being fixed) and is retried.
 */
export type Refusal = 'recipient' | 'message';

/** An error from a platform API: refused (4xx) or unreachable (network, 5xx). */
export class PlatformError extends AppError {
  readonly platform: string;
  /** How long the platform asked us to wait before retrying (a 429), if it said. */
  readonly retryAfterMs?: number;
  readonly refusal?: Refusal;
  /** The platform's code, for dead letters and notices (`telegram:403`, `slack:is_archived`). Never message text. */
  readonly reason: string;
  /** Set by sendParts: how many parts of a split message were delivered before this failure. */
  partsSent?: number;
  constructor(
    code: 'PLATFORM_REFUSED' | 'PLATFORM_UNREACHABLE',
    platform: string,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number; refusal?: Refusal; reason?: string },
  ) {
    super(code, message, options);
    this.name = 'PlatformError';
    this.platform = platform;
    this.retryAfterMs = options?.retryAfterMs;
    this.refusal = options?.refusal;
    this.reason = options?.reason ?? `${platform}:${code === 'PLATFORM_REFUSED' ? 'refused' : 'unreachable'}`;
  }
}

/** How the outbox and the notifier treat a failed send. */
export type SendFailure =
  | { kind: 'refused'; refusal: Refusal; reason: string; partsSent: number }
  | { kind: 'transient'; reason: string; retryAfterMs?: number; partsSent: number };

export function classifySendFailure(err: unknown): SendFailure {
  if (err instanceof PlatformError) {
    const partsSent = err.partsSent ?? 0;
    if (err.refusal) return { kind: 'refused', refusal: err.refusal, reason: err.reason, partsSent };
    return { kind: 'transient', reason: err.reason, retryAfterMs: err.retryAfterMs, partsSent };
  }
  return { kind: 'transient', reason: 'unknown', partsSent: 0 };
}

/**
 * Sends the parts of one message (a long text split to the platform's limit) from `from` on. A
 * failure records how many parts went out, so the outbox resends only the rest.
 */
export async function sendParts<T>(parts: readonly T[], from: number, send: (part: T, index: number) => Promise<void>): Promise<void> {
  for (let i = Math.max(0, from); i < parts.length; i++) {
    try {
      await send(parts[i]!, i);
    } catch (err) {
      if (err instanceof PlatformError) err.partsSent = i;
      throw err;
    }
  }
}

export function isAppError(err: unknown, code?: AppErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
