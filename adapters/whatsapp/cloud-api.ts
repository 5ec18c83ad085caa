/**
 * The WhatsApp Cloud API over fetch, and its failures → the project's PlatformError. Decided on
 * the numeric error code and HTTP status only, never on the message text. The bearer token goes
 * in the Authorization header; no URL, body or media id reaches an error or a log line.
 */
import { PlatformError, realSleep, withRetry, type Refusal, type Sleep } from '../../src/core/index.js';

/** Error codes, as Meta documents them for the Cloud API. */
export const CODES = {
  /** Outside the 24-hour customer service window: only a template may go. */
  outsideWindow: 131047,
  /** The message could not be delivered (the person is not on WhatsApp, or unreachable). */
  undeliverable: 131026,
  /** Too many messages to one person in a short time (about one per 6 s). */
  pairRate: 131056,
  /** The number's throughput (80 messages per second) exceeded. */
  throughput: 130429,
  /** The access token expired or was revoked: the operator must act. */
  token: 190,
  /** The account is temporarily blocked for a policy violation: sending pauses. */
  blocked: 368,
  /**
   * A BSUID (`recipient`) is not accepted for this message (at Meta: authentication templates,
   * which need a phone number). Sending by phone instead is not possible: the phone is kept only
   * as a keyed hash (an alias). So it is a refusal of this message, never retried.
   */
  bsuidUnsupported: 131062,
  /**
   * "Spam rate limit hit": restrictions on how many messages this number may send. Announcements
   * read it on a template as the daily messaging limit reached (capabilities.ts).
   */
  spamRate: 131048,
} as const;

const RATE_CODES = new Set<number>([CODES.pairRate, CODES.throughput, 4, 80007, CODES.spamRate]);
/** Meta names no Retry-After: one chat's allowance returns after about 6 s, the number's after a second. */
const WAIT_MS: Record<number, number> = { [CODES.pairRate]: 6_000, [CODES.throughput]: 1_000 };

/** 'paced': never sent — our own pacer says the person's next message must wait (send-gate.ts). */
export type CloudErrorKind = 'network' | 'server' | 'rate-limited' | 'paced' | 'outside-window' | 'person-unreachable' | 'auth' | 'blocked' | 'invalid';

const REFUSAL: Partial<Record<CloudErrorKind, Refusal>> = {
  'outside-window': 'recipient',
  'person-unreachable': 'recipient',
  invalid: 'message',
};

export class CloudError extends PlatformError {
  /** `waitMs`: the wait to give instead of the code's own (a pause already decided: sending-pause.ts). */
  constructor(readonly kind: CloudErrorKind, readonly httpStatus: number | null, readonly waCode?: number, waitMs?: number) {
    const unreachable = kind === 'network' || kind === 'server' || kind === 'rate-limited' || kind === 'paced' || kind === 'blocked';
    super(unreachable ? 'PLATFORM_UNREACHABLE' : 'PLATFORM_REFUSED', 'whatsapp', `cloud api ${kind} (status ${httpStatus ?? 'none'}, code ${waCode ?? '-'})`, {
      retryAfterMs: waitMs ?? (kind === 'rate-limited' ? (WAIT_MS[waCode ?? 0] ?? 60_000) : kind === 'blocked' ? 3_600_000 : undefined),
      refusal: REFUSAL[kind],
      reason: waCode === undefined ? `whatsapp:${kind}` : `whatsapp:${waCode}`,
    });
    this.name = 'CloudError';
  }

  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'server';
  }
}

export function classify(status: number | null, code?: number): CloudError {
  if (status === null) return new CloudError('network', null);
  if (code !== undefined && RATE_CODES.has(code)) return new CloudError('rate-limited', status, code);
  if (code === CODES.outsideWindow) return new CloudError('outside-window', status, code);
  if (code === CODES.undeliverable || code === 131030 || code === 131021) return new CloudError('person-unreachable', status, code);
  if (code === CODES.token || status === 401) return new CloudError('auth', status, code);
  if (code === CODES.blocked) return new CloudError('blocked', status, code);
  if (code === CODES.bsuidUnsupported) return new CloudError('invalid', status, code);
  if (status === 429) return new CloudError('rate-limited', status, code);
  if (status >= 500 || code === 1 || code === 2 || code === 131000) return new CloudError('server', status, code);
  return new CloudError('invalid', status, code);
}

export interface CloudApiOptions {
  token: string;
  apiRoot: string;
  version: string;
  phoneNumberId: string;
  fetch?: typeof fetch;
  sleep?: Sleep;
  backoffMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The number's throughput limit: every POST to /messages (each try) waits for its turn. */
  limiter?: { acquire(opts?: { bulk?: boolean }): Promise<() => void> };
}

export class CloudApi {
  private readonly fetch: typeof fetch;
  constructor(private readonly opts: CloudApiOptions) {
    this.fetch = opts.fetch ?? fetch;
  }

  private get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.opts.token}` };
  }

  /** POST /{version}/{phone-number-id}/messages; retried on network failures and 5xx. */
  /** `bulk`: an announcement copy, which gives way to replies under the number's limit. */
  async messages(body: Record<string, unknown>, opts: { retries?: number; bulk?: boolean } = {}): Promise<Record<string, unknown>> {
    const url = `${this.opts.apiRoot}/${this.opts.version}/${this.opts.phoneNumberId}/messages`;
    const once = async () => {
      const done = await this.opts.limiter?.acquire({ bulk: opts.bulk });
      try {
        return await this.json('POST', url, { messaging_product: 'whatsapp', ...body });
      } finally {
        done?.();
      }
    };
    return withRetry(once, {
      attempts: (opts.retries ?? 2) + 1,
      backoffMs: this.opts.backoffMs ?? 300,
      sleep: this.opts.sleep ?? realSleep,
      signal: this.opts.signal,
      decide: (err) => ({ retry: err instanceof CloudError && err.retryable }),
    });
  }

  /** GET /{version}/{path} (the phone number's details, a media object). */
  get(path: string): Promise<Record<string, unknown>> {
    return this.json('GET', `${this.opts.apiRoot}/${this.opts.version}/${path}`);
  }

  /** POST /{version}/{path} with no body (subscribing the app to a WABA's webhooks). */
  post(path: string): Promise<Record<string, unknown>> {
    return this.json('POST', `${this.opts.apiRoot}/${this.opts.version}/${path}`);
  }

  /**
   * A media file: GET /{media-id} gives a URL valid about 5 minutes, fetched with the same bearer
   * token. The response is returned for a bounded read; neither URL nor id is ever logged.
   */
  async media(mediaId: string, timeoutMs = 20_000): Promise<Response> {
    const meta = await this.get(encodeURIComponent(mediaId));
    if (typeof meta.url !== 'string') throw new CloudError('invalid', 200);
    return this.fetch(meta.url, { headers: this.auth, signal: AbortSignal.timeout(timeoutMs) });
  }

  private async json(method: string, url: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.fetch(url, {
        method,
        headers: { ...this.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch {
      throw new CloudError('network', null);
    }
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch {
      parsed = undefined;
    }
    const obj = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (!res.ok) {
      const err = obj.error as { code?: unknown } | undefined;
      throw classify(res.status, typeof err?.code === 'number' ? err.code : undefined);
    }
    return obj;
  }
}
