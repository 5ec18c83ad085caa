/**
 * Posting to Slack with its rate limits: chat.postMessage allows about one message per second per
 * channel, so each channel has its own queue, paced. A 429 names a wait in Retry-After: that wait
 * is kept exactly before the same call is made again. A send that still fails throws a
 * PlatformError: the dispatcher keeps the reply in its outbox and sends it later.
 */
import type { webApi } from '@slack/bolt';
import { PlatformError, KeyedQueue, realSleep, withRetry, type Sleep, type Logger, type Metrics } from '../../src/core/index.js';


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
  /**
   * The longest Retry-After waited in place (default 15 s): a longer one fails the call with the
   * wait attached, and the outbox sends it again after that time — a conversation's queue (and a
   * shutdown) is not held for minutes.
   */
  maxRetryAfterMs?: number;
  /** Aborted when the adapter stops: a Retry-After being waited ends, and the call fails (the outbox keeps it). */
  signal?: AbortSignal;
}

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
}

/**
 * Slack's documented `error` codes that no retry will change. For the recipient: the DM channel
 * or the user is gone, archived, or closed to the app. For the message: its content is refused.
 * Every other code (internal_error, fatal_error, service_unavailable, request_timeout, a token
 * being fixed: invalid_auth, token_revoked…) is retried by the outbox up to its cap.
 */
const RECIPIENT_REFUSALS = new Set([
  'channel_not_found', 'is_archived', 'not_in_channel', 'user_not_found', 'users_not_found', 'user_disabled',
  'cannot_dm_bot', 'messages_tab_disabled', 'restricted_action', 'user_not_visible',
]);
const MESSAGE_REFUSALS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'no_text', 'too_many_attachments', 'invalid_arguments']);

/** Slack's own refusal code (`channel_not_found`…) or the client's error code; never the message text. */
export function toPlatformError(err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  const e = err as SlackErrorShape;
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown';
    const refusal = RECIPIENT_REFUSALS.has(code) ? 'recipient' : MESSAGE_REFUSALS.has(code) ? 'message' : undefined;
    return new PlatformError('PLATFORM_REFUSED', 'slack', `slack refused: ${code}`, { cause: err, refusal, reason: `slack:${code}` });
  }
  return new PlatformError('PLATFORM_UNREACHABLE', 'slack', `slack unreachable: ${e.code ?? 'unknown'}`, {
    cause: err,
    reason: e.code === 'slack_webapi_rate_limited_error' ? 'slack:ratelimited' : 'slack:unreachable',
    retryAfterMs: e.retryAfter !== undefined ? e.retryAfter * 1000 : undefined,
  });
}

export class SlackPoster {
  /** One queue per channel; an idle channel's queue is forgotten (KeyedQueue drops empty keys). */
  private readonly queues = new KeyedQueue();
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
    return this.queues.run(channel, run);
  }

  /** One Web API call; a 429 waits exactly Retry-After seconds (up to the cap) and tries again. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, {
        attempts: this.deps.maxAttempts ?? 3,
        backoffMs: 0,
        maxWaitMs: this.deps.maxRetryAfterMs ?? 15_000,
        sleep: this.sleep,
        signal: this.deps.signal,
        decide: (err) => {
          const e = err as SlackErrorShape;
          return e.code === 'slack_webapi_rate_limited_error' && e.retryAfter !== undefined ? { retry: true, waitMs: e.retryAfter * 1000 } : { retry: false };
        },
        onRetry: (_err, _attempt, waitMs) => {
          this.deps.metrics.inc('platform_send_errors_total', { platform: 'slack', kind: 'rate-limited' });
          this.deps.logger.info('slack asked to wait', { seconds: waitMs / 1000 });
        },
      });
    } catch (err) {
      this.deps.metrics.inc('platform_send_errors_total', { platform: 'slack', kind: 'failed' });
      throw toPlatformError(err);
    }
  }
}
