/**
 * Graph API failures → the project's PlatformError. Decided on the numeric error code, subcode
 * and HTTP status only, never on the message text (Meta rewords messages; codes are documented).
 * The error keeps no cause: the SDK's error carries the request URL (with the access token) and
 * the request body (a person's message), and neither may reach a log.
 */
import { PlatformError, type Refusal } from '../../src/core/index.js';

/** What a failed Graph call told us. `status` is null when no HTTP answer came at all. */
export interface GraphFailure {
  status: number | null;
  code?: number;
  subcode?: number;
}

/** Graph error codes for "too many calls": 4 (app), 17 (user), 32 (page), 613 (this API), 80006 (Messenger). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80006]);
/** Code 1 (unknown) and 2 (service temporarily unavailable) are Graph's own hiccups: worth a retry. */
const TRANSIENT_CODES = new Set([1, 2]);
/** The person cannot be reached: 551 (unavailable), subcode 2018108/2018109 (no such user / blocked). */
const UNREACHABLE_PERSON_CODES = new Set([551]);
export const OUTSIDE_WINDOW = { code: 10, subcode: 2018278 } as const;
/** Graph gives no Retry-After for rate limits; its limits are counted over about a minute. */
const RATE_LIMIT_WAIT_MS = 60_000;

export type GraphErrorKind = 'network' | 'server' | 'rate-limited' | 'outside-window' | 'person-unreachable' | 'auth' | 'invalid';

/**
 * Which failures are refusals for good (the outbox dead-letters them, never retrying every 30 s):
 * outside the 24-hour window or the person unavailable — nothing reaches them until they write
 * again; an invalid request — this message will never pass. A bad token (auth) is ours to fix, so
 * it is retried (up to the outbox's cap) like a network failure.
 */
const REFUSAL: Partial<Record<GraphErrorKind, Refusal>> = {
  'outside-window': 'recipient',
  'person-unreachable': 'recipient',
  invalid: 'message',
};

export class GraphError extends PlatformError {
  readonly kind: GraphErrorKind;
  readonly graphCode?: number;
  readonly graphSubcode?: number;
  readonly httpStatus: number | null;
  constructor(kind: GraphErrorKind, f: GraphFailure) {
    const code = kind === 'network' || kind === 'server' || kind === 'rate-limited' ? 'PLATFORM_UNREACHABLE' : 'PLATFORM_REFUSED';
    super(code, 'messenger', `graph ${kind} (status ${f.status ?? 'none'}, code ${f.code ?? '-'}, subcode ${f.subcode ?? '-'})`, {
      retryAfterMs: kind === 'rate-limited' ? RATE_LIMIT_WAIT_MS : undefined,
      refusal: REFUSAL[kind],
      reason: f.code === undefined ? `messenger:${kind}` : `messenger:${f.code}${f.subcode !== undefined ? `/${f.subcode}` : ''}`,
    });
    this.name = 'GraphError';
    this.kind = kind;
    this.graphCode = f.code;
    this.graphSubcode = f.subcode;
    this.httpStatus = f.status;
  }

  /** Worth trying again at once: the network or Graph itself failed, not our request. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'server';
  }
}

export function classify(f: GraphFailure): GraphError {
  if (f.status === null) return new GraphError('network', f);
  if (f.code !== undefined && RATE_LIMIT_CODES.has(f.code)) return new GraphError('rate-limited', f);
  if (f.code === OUTSIDE_WINDOW.code && f.subcode === OUTSIDE_WINDOW.subcode) return new GraphError('outside-window', f);
  if ((f.code !== undefined && UNREACHABLE_PERSON_CODES.has(f.code)) || f.subcode === 2018108 || f.subcode === 2018109) {
    return new GraphError('person-unreachable', f);
  }
  if (f.code === 190 || f.status === 401) return new GraphError('auth', f);
  if (f.status >= 500 || (f.code !== undefined && TRANSIENT_CODES.has(f.code))) return new GraphError('server', f);
  return new GraphError('invalid', f);
}
