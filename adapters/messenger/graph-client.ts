/**
 * The one module that touches facebook-nodejs-business-sdk: every Graph call of the Messenger
 * adapter goes through FacebookAdsApi#call. Everything else in the adapter sees `GraphClient`.
 *
 * Two things about the SDK shape this file:
 * - `new FacebookAdsApi(token, locale, crash_log)`: crash_log defaults to true, which installs a
 *   process-wide `uncaughtException` handler that rethrows from a promise (changing how the
 *   process dies) and posts stack traces to Facebook. It is always constructed with false.
 * - `call(method, path, params, files, multipart, urlOverride)`: with an array path it builds
 *   `<urlOverride || GRAPH>/<FacebookAdsApi.VERSION>/<path>` — urlOverride swaps only the host and
 *   VERSION is the SDK's own fixed one (v24.0 in 24.0.1). To make both the base URL (a test fake)
 *   and the version configurable, we pass a full URL string, which the SDK uses verbatim.
 */
import sdk from 'facebook-nodejs-business-sdk';
import { classify, GraphError, type GraphFailure } from './graph-errors.js';
import { realSleep, withRetry, type Sleep } from '../../src/core/index.js';


export interface GraphClientOptions {
  token: string;
  graphUrl: string;
  version: string;
  /** Retries after a network failure or a 5xx (default 2, so at most 3 attempts). */
  retries?: number;
  /** First pause between attempts, doubled each time (default 300 ms). */
  backoffMs?: number;
  /** One call's time limit (default 15 s); the webhook must still answer Meta in time. */
  timeoutMs?: number;
  sleep?: Sleep;
  /** Aborted when the adapter stops: no further attempt, and a pause in progress ends. */
  signal?: AbortSignal;
}

/** The SDK's FacebookRequestError, as far as we read it (status and the Graph error object). */
interface SdkRequestError {
  name: string;
  status: number | null;
  response: { code?: unknown; error_subcode?: unknown } | null;
}

function isSdkRequestError(err: unknown): err is SdkRequestError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'FacebookRequestError';
}

function failureOf(err: unknown): GraphFailure {
  if (!isSdkRequestError(err)) {
    // The SDK throws a SyntaxError of its own when an error answer is not JSON (a proxy's 502
    // page): treat it like a network failure, worth a retry.
    return { status: null };
  }
  const body = err.response;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return { status: err.status ?? null, code: num(body?.code), subcode: num(body?.error_subcode) };
}

class Timeout extends Error {}

export class GraphClient {
  private readonly api: InstanceType<typeof sdk.FacebookAdsApi>;
  private readonly sleep: Sleep;

  constructor(private readonly opts: GraphClientOptions) {
    // crash_log = false: see the top of this file.
    this.api = new sdk.FacebookAdsApi(opts.token, 'en_US', false);
    this.sleep = opts.sleep ?? realSleep;
  }

  /** POST <graph>/<version>/<path> with a JSON body; retried on network failures and 5xx. */
  async post(path: string, body: Record<string, unknown>, opts: { retries?: number; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    return withRetry(
      () =>
        this.once('POST', path, body, opts.timeoutMs ?? this.opts.timeoutMs ?? 15_000).catch((err: unknown) => {
          throw err instanceof Timeout ? new GraphError('network', { status: null }) : classify(failureOf(err));
        }),
      {
        attempts: (opts.retries ?? this.opts.retries ?? 2) + 1,
        backoffMs: this.opts.backoffMs ?? 300,
        sleep: this.sleep,
        signal: this.opts.signal,
        // Only the network or Graph itself failing is retried here; a rate limit names a wait of
        // about a minute, which the core's outbox keeps (it is not held in place).
        decide: (err) => ({ retry: err instanceof GraphError && err.retryable }),
      },
    );
  }

  private once(method: string, path: string, body: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    // The token goes in the query string, as Meta documents the Send API; this URL is never logged
    // (GraphError keeps no cause for that reason).
    const url = `${this.opts.graphUrl}/${this.opts.version}/${path}?access_token=${encodeURIComponent(this.opts.token)}`;
    const call = this.api.call(method, url, body) as Promise<Record<string, unknown>>;
    // The SDK takes no abort signal: after the time limit we stop waiting (the request may still
    // complete; a retry could then deliver a message twice, which beats never delivering it).
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout()), timeoutMs);
    });
    return Promise.race([call, limit]).finally(() => clearTimeout(timer));
  }
}
