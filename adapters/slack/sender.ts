/**
 * Posting to Slack with its rate limits: chat.postMessage allows about one message per second per
 * channel, so each channel has its own queue, paced. A 429 names a wait in Retry-After: that wait
 * is kept exactly before the same call is made again. A send that still fails throws a
 * PlatformError: the dispatcher keeps the reply in its outbox and sends it later.
 */
import type { webApi } from '@slack/bolt';
import { PlatformError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/log.js';
import type { Metrics } from '../../src/core/metrics.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export interface PosterDeps {
  client: webApi.WebClient;
  logger: Logger;
  metrics: Metrics;
  /** Milliseconds since the epoch; injected in tests with `sleep`, so pacing needs no real waiting. */
  nowMs?: () => number;
  sleep?: Sleep;
  /** Pause between two messages to one channel (Slack: about 1 per second). */
  intervalMs?: number;
  /** Attempts per call when Slack answers 429. */
  maxAttempts?: number;
}

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
}

/** Slack's own refusal code (`channel_not_found`…) or the client's error code; never the message text. */
export function toPlatformError(err: unknown): PlatformError {
  const e = err as SlackErrorShape;
  if (e.code === 'slack_webapi_platform_error') {
    return new PlatformError('PLATFORM_REFUSED', 'slack', `slack refused: ${e.data?.error ?? 'unknown'}`, { cause: err });
  }
  return new PlatformError('PLATFORM_UNREACHABLE', 'slack', `slack unreachable: ${e.code ?? 'unknown'}`, {
    cause: err,
    retryAfterMs: e.retryAfter !== undefined ? e.retryAfter * 1000 : undefined,
  });
}

export class SlackPoster {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastPost = new Map<string, number>();
  private readonly dms = new Map<string, string>();
  private readonly nowMs: () => number;
  private readonly sleep: Sleep;

  constructor(private readonly deps: PosterDeps) {
    this.nowMs = deps.nowMs ?? Date.now;
    this.sleep = deps.sleep ?? realSleep;
  }

  /** The app's DM channel with a user (conversations.open), remembered for the process's life. */
  async dmChannel(userId: string): Promise<string> {
    const known = this.dms.get(userId);
    if (known) return known;
    const r = await this.call(() => this.deps.client.conversations.open({ users: userId }));
    const id = r.channel?.id;
    if (!id) throw new PlatformError('PLATFORM_REFUSED', 'slack', 'conversations.open gave no channel');
    this.dms.set(userId, id);
    return id;
  }

  /** chat.postMessage through the channel's queue, paced and retried on 429. */
  post(channel: string, payload: { text: string; blocks?: unknown[] }): Promise<string | undefined> {
    return this.paced(channel, async () => {
      const r = await this.call(() => this.deps.client.chat.postMessage({ channel, text: payload.text, blocks: payload.blocks as never, unfurl_links: false }));
      this.deps.metrics.inc('messages_sent_total', { platform: 'slack' });
      return r.ts;
    });
  }

  /** Runs `job` after the channel's earlier jobs, at least intervalMs after its last post. */
  paced<T>(channel: string, job: () => Promise<T>): Promise<T> {
    const interval = this.deps.intervalMs ?? 1000;
    const run = async () => {
      const wait = (this.lastPost.get(channel) ?? -Infinity) + interval - this.nowMs();
      if (wait > 0) await this.sleep(wait);
      try {
        return await job();
      } finally {
        this.lastPost.set(channel, this.nowMs());
      }
    };
    const tail = this.tails.get(channel) ?? Promise.resolve();
    const next = tail.then(run, run);
    const settled = next.catch(() => undefined);
    this.tails.set(channel, settled);
    // Forget an idle channel's queue so the map does not grow with every person ever served.
    void settled.then(() => {
      if (this.tails.get(channel) === settled) this.tails.delete(channel);
    });
    return next;
  }

  /** One Web API call; a 429 waits exactly Retry-After seconds and tries again. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    const attempts = this.deps.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const e = err as SlackErrorShape;
        if (e.code === 'slack_webapi_rate_limited_error' && e.retryAfter !== undefined && attempt < attempts) {
          this.deps.metrics.inc('platform_send_errors_total', { platform: 'slack', kind: 'rate-limited' });
          this.deps.logger.info('slack asked to wait', { seconds: e.retryAfter });
          await this.sleep(e.retryAfter * 1000);
          continue;
        }
        this.deps.metrics.inc('platform_send_errors_total', { platform: 'slack', kind: 'failed' });
        throw toPlatformError(err);
      }
    }
  }
}
