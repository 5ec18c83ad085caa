/**
 * One error family with a string code. Callers branch on `code`, never on the message text.
 */
export type AppErrorCode =
  | 'CALL_DEFINITION_INVALID'
  | 'STORAGE_UNAVAILABLE'
  | 'STATE_CONFLICT'
  | 'CODE_TAKEN'
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

/** An error from a platform API: refused (4xx) or unreachable (network, 5xx). */
export class PlatformError extends AppError {
  readonly platform: string;
  /** How long the platform asked us to wait before retrying (a 429), if it said. */
  readonly retryAfterMs?: number;
  constructor(
    code: 'PLATFORM_REFUSED' | 'PLATFORM_UNREACHABLE',
    platform: string,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(code, message, options);
    this.name = 'PlatformError';
    this.platform = platform;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export function isAppError(err: unknown, code?: AppErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
