/**
 * The grammY Bot that talks to the Bot API, with the retries the platform asks for:
 * - a 429 waits exactly `parameters.retry_after` seconds, up to a cap so a webhook still answers
 *   within Telegram's 60 seconds (the same bounded loop as below, with the same injectable sleep:
 *   @grammyjs/auto-retry waits on a timer of its own that no test can stand in for);
 * - a network failure, a timeout or a 5xx is retried a bounded number of times (auto-retry would
 *   retry a network failure forever), with an injectable sleep so tests wait for nothing;
 * - then the error is thrown: the dispatcher keeps the reply in its outbox.
 */
import { Api, Bot, GrammyError, HttpError, type Transformer } from 'grammy';
import { PlatformError, realSleep, withRetry, type Sleep } from '../../src/core/index.js';


export interface ApiOptions {
  token: string;
  apiRoot: string;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Attempts in all for a network failure or a 5xx (default 3). */
  attempts?: number;
  /** First pause between those attempts, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** One request's time limit, getUpdates' long poll excepted (default 10 s). */
  requestTimeoutMs?: number;
  /** The longest retry_after honoured in place (default 15 s); a longer one fails the send. */
  maxRetryAfterSeconds?: number;
}

/** getUpdates' long-poll timeout; grammY's own request timeout must be longer. */
export const LONG_POLL_SECONDS = 25;

/** A 5xx answer, thrown inside the retry loop so that it is retried like a failed request. */
class ServerAnswer extends Error {
  constructor(readonly res: { ok: false; error_code: number }) {
    super(`Bot API answered ${res.error_code}`);
  }
}

/** A Bot API answer that names a wait (`parameters.retry_after`, a 429), thrown to be retried. */
class RetryAfter extends Error {
  constructor(readonly res: { ok: false; error_code: number; parameters: { retry_after: number } }) {
    super(`Bot API asked to wait ${res.parameters.retry_after} s`);
  }
}

/**
 * Honours retry_after exactly (src/core/retry.ts): a few attempts, and a wait longer than the cap
 * is not kept in place — the answer goes back as it is, and the outbox sends again after it.
 */
export function honourRetryAfter(opts: { attempts: number; maxRetryAfterSeconds: number; sleep: Sleep }): Transformer {
  return async (prev, method, payload, signal) => {
    const stop = signal as unknown as AbortSignal | undefined;
    try {
      return await withRetry(
        async () => {
          const res = await prev(method, payload, signal);
          if (!res.ok && typeof res.parameters?.retry_after === 'number') throw new RetryAfter(res as RetryAfter['res']);
          return res;
        },
        {
          attempts: opts.attempts,
          backoffMs: 0,
          maxWaitMs: opts.maxRetryAfterSeconds * 1000,
          sleep: opts.sleep,
          signal: stop,
          decide: (err) => (err instanceof RetryAfter ? { retry: true, waitMs: err.res.parameters.retry_after * 1000 } : { retry: false }),
        },
      );
    } catch (err) {
      if (err instanceof RetryAfter) return err.res as Awaited<ReturnType<typeof prev>>;
      throw err;
    }
  };
}

/** Bounded retries of network failures, timeouts and 5xx answers (src/core/retry.ts). */
export function boundedRetry(opts: { attempts: number; backoffMs: number; requestTimeoutMs: number; sleep: Sleep }): Transformer {
  return async (prev, method, payload, signal) => {
    // getUpdates is a long poll with the runner's own retry loop and stop signal.
    if (method === 'getUpdates') return prev(method, payload, signal);
    // grammY's node types name the abort-controller polyfill's signal; a native one works alike.
    const stop = signal as unknown as AbortSignal | undefined;
    try {
      return await withRetry(
        async () => {
          const timeout = AbortSignal.timeout(opts.requestTimeoutMs);
          const limited = (stop ? AbortSignal.any([stop, timeout]) : timeout) as unknown as typeof signal;
          const res = await prev(method, payload, limited);
          if (!res.ok && res.error_code >= 500) throw new ServerAnswer(res);
          return res;
        },
        {
          attempts: opts.attempts,
          backoffMs: opts.backoffMs,
          sleep: opts.sleep,
          signal: stop,
          // Only a failed request (HttpError) or a 5xx is retried; a stop (the caller's signal) is not.
          decide: (err) => ({ retry: err instanceof ServerAnswer || err instanceof HttpError }),
        },
      );
    } catch (err) {
      // The last 5xx goes back to grammY as the answer it is (a GrammyError for the caller).
      if (err instanceof ServerAnswer) return err.res as Awaited<ReturnType<typeof prev>>;
      throw err;
    }
  };
}

export function createBot(opts: ApiOptions): Bot {
  const bot = new Bot(opts.token, {
    client: {
      apiRoot: opts.apiRoot,
      fetch: opts.fetch,
      // Longer than the long poll; other requests are limited by boundedRetry's own timeout.
      timeoutSeconds: LONG_POLL_SECONDS + 15,
    },
  });
  const sleep = opts.sleep ?? realSleep;
  // Installed first, so it runs inside boundedRetry: every attempt honours retry_after.
  // A first try and three more, as @grammyjs/auto-retry's maxRetryAttempts: 3 did.
  bot.api.config.use(honourRetryAfter({ attempts: 4, maxRetryAfterSeconds: opts.maxRetryAfterSeconds ?? 15, sleep }));
  bot.api.config.use(
    boundedRetry({
      attempts: opts.attempts ?? 3,
      backoffMs: opts.backoffMs ?? 500,
      requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
      sleep,
    }),
  );
  return bot;
}

/**
 * The Bot API for a sender that a pacer drives (announcements): one attempt per call, with the
 * same time limit, and no wait inside it — a 429 comes back at once as the GrammyError with its
 * retry_after (which the pacer honours for the whole bot: Telegram's limit is per bot, and a wait
 * kept inside one request lets every other send carry on into the flood window), and so does a
 * 5xx or a network failure, retried through the pacer's slots.
 */
export function createPacedApi(opts: Pick<ApiOptions, 'token' | 'apiRoot' | 'fetch' | 'requestTimeoutMs'>): Api {
  const api = new Api(opts.token, { apiRoot: opts.apiRoot, fetch: opts.fetch, timeoutSeconds: LONG_POLL_SECONDS + 15 });
  api.config.use(boundedRetry({ attempts: 1, backoffMs: 0, requestTimeoutMs: opts.requestTimeoutMs ?? 10_000, sleep: realSleep }));
  return api;
}

/**
 * A Bot API failure as the project's error, decided by error_code only (descriptions change):
 * - 403: the person blocked the bot, deleted their account or never started it — refused for good
 *   for this recipient (the core marks them unreachable until they write again);
 * - 400: Telegram will never accept this message as it is — refused, this message only;
 * - 429 (with retry_after beyond what we wait in place), 5xx, a network failure, and 401/404 (the
 *   token or the API root being fixed) pass: retried later by the outbox, up to its cap.
 */
export function toPlatformError(err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  if (err instanceof GrammyError) {
    const retryAfter = err.parameters?.retry_after;
    const status = err.error_code;
    const code = status >= 500 || status === 429 ? 'PLATFORM_UNREACHABLE' : 'PLATFORM_REFUSED';
    const refusal = status === 403 ? 'recipient' : status === 400 ? 'message' : undefined;
    // The message names the method and the code; never the payload (message text).
    return new PlatformError(code, 'telegram', `${err.method} failed: ${status}`, {
      cause: err,
      refusal,
      reason: `telegram:${status}`,
      retryAfterMs: typeof retryAfter === 'number' ? retryAfter * 1000 : undefined,
    });
  }
  return new PlatformError('PLATFORM_UNREACHABLE', 'telegram', 'Bot API unreachable', { cause: err, reason: 'telegram:network' });
}
