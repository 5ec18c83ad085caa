/**
 * Starts each configured platform in the background, so that one platform that cannot be reached
 * at start (the Bot API down, a DNS failure, a firewall) holds up nothing else: the HTTP server
 * already answers, the other platforms start, and the database work (the outbox flush, maintenance,
 * announcements) runs. A platform whose start fails is logged (warn) and tried again with a
 * doubling pause, up to a minute, until it starts or the process stops. Until then its webhook
 * answers 503 at once (see `gate`) and /readyz names it.
 *
 * A start refused for a configuration reason (a token the platform does not accept) is not
 * retried: `onFatal` gets it, and the process exits with the message, as it did before.
 */
import type { Adapter, WebhookRoute } from '../core/adapter.js';
import { isAppError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { realSleep, type Sleep } from '../core/retry.js';

export interface PlatformStartOptions {
  adapters: Pick<Adapter, 'name' | 'start' | 'stop'>[];
  logger: Logger;
  onFatal: (err: unknown) => void;
  sleep?: Sleep;
  /** The pause after the first failed start (default 1 s), doubled after each, at most maxBackoffMs. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/** A failure in a few words: the error's message and code, never a request's payload. */
function reasonOf(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { reason: String(err) };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  return { reason: err.message, code: (err as { code?: unknown }).code ?? cause?.code };
}

export class PlatformStarter {
  private readonly ready = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(private readonly opts: PlatformStartOptions) {}

  /** Starts every platform; returns at once. */
  start(): void {
    for (const adapter of this.opts.adapters) void this.startOne(adapter);
  }

  isReady(platform: string): boolean {
    return this.ready.has(platform);
  }

  /** The configured platforms that have not started yet, for /readyz. */
  notReady(): string[] {
    return this.opts.adapters.map((a) => a.name).filter((name) => !this.ready.has(name));
  }

  /** Stops the retries (a start in progress is abandoned; the process is about to exit). */
  stop(): void {
    this.stopping.abort();
  }

  /**
   * The platform's webhook, answering 503 at once while the platform has not started. Why not wait
   * for the start instead: it may take minutes, the request would hang (Telegram waits up to 60 s,
   * Slack 3 s) and hold a connection meanwhile; a 5xx makes the platform deliver the update again
   * later (Telegram keeps retrying for a day, Slack three times in about five minutes), and the
   * update could not be answered anyway while the platform's API is out of reach. Processing it
   * without the start would also lack the bot's own identity (its username for Telegram's
   * `/start@Bot`, its user id for ignoring its own Slack messages).
   */
  gate(platform: string, route: WebhookRoute): WebhookRoute {
    return {
      ...route,
      handle: async (req) => {
        if (this.ready.has(platform)) return route.handle(req);
        this.opts.logger.warn('webhook answered 503: the platform has not started yet', { platform, path: route.path });
        return { status: 503, headers: { 'retry-after': '10' } };
      },
    };
  }

  private async startOne(adapter: PlatformStartOptions['adapters'][number]): Promise<void> {
    const { logger } = this.opts;
    const sleep = this.opts.sleep ?? realSleep;
    let pause = this.opts.firstBackoffMs ?? 1000;
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await adapter.start?.();
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        if (isAppError(err, 'CONFIG_INVALID')) return this.opts.onFatal(err);
        logger.warn('platform not reachable at start; trying again', { platform: adapter.name, attempt, retryInMs: pause, ...reasonOf(err) });
        try {
          await sleep(pause, this.stopping.signal);
        } catch {
          return; // stopping
        }
        pause = Math.min(pause * 2, this.opts.maxBackoffMs ?? 60_000);
        continue;
      }
      if (this.stopping.signal.aborted) {
        // Started while the process was stopping: stop it again (a polling loop would go on).
        await adapter.stop?.().catch(() => undefined);
        return;
      }
      this.ready.add(adapter.name);
      logger.info('platform started', { platform: adapter.name, attempts: attempt });
      return;
    }
  }
}
