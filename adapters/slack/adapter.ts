/**
 * The Slack adapter: @slack/bolt with a receiver on the project's HTTP server (/slack/events), or
 * Socket Mode when SLACK_APP_TOKEN is set. It knows Slack and nothing of the flow.
 */
import { App, LogLevel, webApi, type AuthorizeResult, type Logger as BoltLogger } from '@slack/bolt';
import { type Adapter, type WebhookRoute, type CoreApi, type Logger, AppError, sendParts, type ConversationRef, type OutboundMessage, type Announcements, type OrganiserReports, type DeskInvites, type Sleep } from '../../src/core/index.js';
import { AdminChannel } from './admin.js';
import type { SlackConfig } from './config.js';
import type { SlackContext } from './context.js';
import { registerListeners } from './listeners.js';
import { registerAnnounceModal } from './announce-modal.js';
import { OrganiserCommands } from './organiser.js';
import { WebhookReceiver } from './receiver.js';
import { renderMessage } from './render.js';
import { SlackPoster } from './sender.js';
import { slackWelcome } from './welcome.js';
import { SLACK_CAPABILITIES } from './capabilities.js';

export interface SlackDeps {
  config: SlackConfig;
  /** The core's operations: conversations, texts, contributions and decisions (src/core/bot-core.ts). */
  core: CoreApi;
  /** Stats and export for `/icssi stats` and `/icssi export csv`. */
  reports: OrganiserReports;
  /** One-time links to the organisers' desk, for `/icssi desk` (absent: the command is help). */
  desk?: DeskInvites;
  logger: Logger;
  /** Injected in tests: the clock for signature timestamps, and the pacing's time and pause. */
  now?: () => Date;
  nowMs?: () => number;
  sleep?: Sleep;
  /** Pause between two messages to one channel (default 1000 ms). */
  intervalMs?: number;
  ackDeadlineMs?: number;
}

/** Bolt's log lines go to ours, without debug chatter (which can quote payloads). */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...m: unknown[]) => log.warn('bolt', { detail: String(m[0]).slice(0, 200) }),
    error: (...m: unknown[]) => log.error('bolt', { err: m[0] instanceof Error ? m[0] : new Error(String(m[0]).slice(0, 200)) }),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** How long start() waits for auth.test. */
const AUTH_TEST_TIMEOUT_MS = 20_000;
/** Slack's own passing failures (its docs: retry later), not a verdict on the token. */
const SLACK_TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export class SlackAdapter implements Adapter {
  readonly name = 'slack' as const;
  readonly capabilities = SLACK_CAPABILITIES;
  readonly app: App;
  readonly poster: SlackPoster;
  private readonly pacedPoster: SlackPoster;
  /** The Web API client every call of this adapter goes through (with the bot token). */
  readonly client: webApi.WebClient;
  private ids: Promise<AuthorizeResult> | null = null;
  private readonly receiver: WebhookReceiver | null;
  private readonly admin: AdminChannel | null;
  private readonly inflight = new Set<Promise<unknown>>();
  private announcements: Announcements | undefined;
  /** Aborted by stop(): a Retry-After being waited ends there. */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: SlackDeps) {
    const { config, core, logger } = deps;
    const now = deps.now ?? (() => new Date());
    const track = (p: Promise<unknown>) => {
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    };
    const socketMode = config.appToken !== undefined;
    this.receiver = socketMode ? null : new WebhookReceiver({ signingSecret: config.signingSecret, now, logger, metrics: core.metrics, ackDeadlineMs: deps.ackDeadlineMs, track });
    // The client is told not to retry (retries: 0) and to reject a 429 at once with its Retry-After
    // (rejectRateLimitedCalls); the poster waits it out with the project's one retry helper
    // (src/core/retry.ts) and the core's outbox retries the rest. The client's own handling of a
    // 429 was weighed and not used: it waits with a bare setTimeout that cannot be injected (a
    // test of Retry-After would wait real seconds), pauses the client's whole request queue (every
    // channel, and a views.open whose trigger_id lasts 3 s), waits any Retry-After however long
    // (holding a conversation and a shutdown, where the outbox should keep the reply with its
    // wait), takes no AbortSignal, and adds p-retry's backoff on top; its default retries other
    // failures for about 30 minutes inside one call.
    const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: boltLogger(logger) };
    const client = new webApi.WebClient(config.botToken, clientOptions);
    this.client = client;
    this.app = new App({
      ...(socketMode ? { socketMode: true, appToken: config.appToken } : { receiver: this.receiver! }),
      // Bolt needs the bot's ids for every request. Given only a token and no ids, it calls
      // auth.test before each request (it caches nothing); given a token and
      // tokenVerificationEnabled it calls auth.test in its constructor, where nobody awaits it (a
      // refused token killed the process). So the ids come from here: configured, or asked once
      // (start() asks first, with a clear error) and reused.
      authorize: () => this.identity(),
      logger: boltLogger(logger),
      clientOptions,
    });
    this.poster = new SlackPoster({ client, logger, metrics: core.metrics, nowMs: deps.nowMs, sleep: deps.sleep, intervalMs: deps.intervalMs, signal: this.stopping.signal });
    // Announcements' poster: one attempt, no Retry-After waited in place, no spacing of its own
    // (the announcements' pacer spaces each channel and pauses the workspace on a 429).
    this.pacedPoster = new SlackPoster({ client, logger, metrics: core.metrics, nowMs: deps.nowMs, sleep: deps.sleep, intervalMs: 0, maxAttempts: 1, maxRetryAfterMs: 0, signal: this.stopping.signal });
    const admin = config.adminChannel
      ? new AdminChannel({ core, client, poster: this.poster, channel: config.adminChannel, locale: config.adminLocale, logger })
      : null;
    this.admin = admin;
    const cx: SlackContext = {
      core, client, poster: this.poster, admin, now,
      organiser: new OrganiserCommands({ core, reports: deps.reports, client, poster: this.poster, adminChannel: config.adminChannel, logger }),
      isOrganiser: (u) => config.adminUsers.has(u),
      desk: deps.desk,
      ephemeral: (channel, user, text) => this.poster.call(() => client.chat.postEphemeral({ channel, user, text })),
    };
    const modal = registerAnnounceModal(this.app, {
      cx, announcements: () => this.announcements,
      localeOf: async (u) => (await core.participantView({ platform: 'slack', chatId: u, userId: u })).locale,
    });
    cx.openAnnounce = (triggerId, userId) => modal.open(triggerId, userId);
    registerListeners(this.app, cx);
    core.setComposer('slack', slackWelcome(core.texts, this.capabilities.commandPrefix));
    if (admin) {
      // Contributions from every platform are announced once their step is stored.
      core.onEffects((effects) => {
        for (const e of effects) {
          if (e.type === 'contribution.create' || e.type === 'contribution.revise' || e.type === 'contribution.withdraw') {
            track(admin.announce(e).catch((err: unknown) => logger.warn('admin channel alert not posted', { err })));
          }
          // An erasure on any platform rewrites the admin posts about that person's contributions.
          if (e.type === 'participant.erase') track(this.redactErased().catch((err: unknown) => logger.warn('admin posts not rewritten', { err })));
        }
      });
    }
  }

  /** The server's announcement sender (it needs every platform's adapter, so it comes after). */
  useAnnouncements(announcements: Announcements): void {
    this.announcements = announcements;
  }

  async send(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    const channel = await this.poster.dmChannel(ref.userId);
    // A long text is several messages: after a failure, only the parts not yet sent go again.
    await sendParts(renderMessage(message), message.fromPart ?? 0, async (payload) => {
      await this.poster.post(channel, payload);
    });
  }

  /** Announcements: a 429 is thrown at once with its Retry-After, for the pacer (src/core/adapter.ts). */
  async sendPaced(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    const channel = await this.pacedPoster.dmChannel(ref.userId);
    await sendParts(renderMessage(message), message.fromPart ?? 0, async (payload) => {
      await this.pacedPoster.post(channel, payload);
    });
  }

  /** Rewrites the admin channel's posts about people since erased (see AdminChannel). */
  async redactErased(): Promise<number> {
    return this.admin ? this.admin.redactErased() : 0;
  }

  routes(): WebhookRoute[] {
    return this.receiver ? [this.receiver.route()] : [];
  }

  /**
   * The token and the bot's ids for Bolt: SLACK_BOT_ID/SLACK_BOT_USER_ID when configured, else one
   * auth.test whose answer is kept for the life of the process (a failed one is asked again).
   */
  private identity(): Promise<AuthorizeResult> {
    const { botToken, botId, botUserId } = this.deps.config;
    if (botId && botUserId) return Promise.resolve({ botToken, botId, botUserId });
    if (!this.ids) {
      const asked = this.client.auth.test().then((r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id }));
      asked.catch(() => {
        if (this.ids === asked) this.ids = null;
      });
      this.ids = asked;
    }
    return this.ids;
  }

  /**
   * Checks the bot token (unless both bot ids are configured); Socket Mode connects here.
   * A token Slack refuses (invalid_auth, account_inactive…) is a configuration error. Slack out of
   * reach, answering 5xx or an error of its own, or not answering within AUTH_TEST_TIMEOUT_MS,
   * is thrown as it is: the caller tries again later (src/server/platform-start.ts).
   */
  async start(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const asked = this.identity();
    // The client has no timeout of its own: a Web API that accepts and never answers would hold
    // the start for ever. The hung answer is forgotten, so the next start asks again.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.ids === asked) this.ids = null;
        reject(new Error(`auth.test did not answer within ${AUTH_TEST_TIMEOUT_MS / 1000} s`));
      }, AUTH_TEST_TIMEOUT_MS);
    });
    try {
      await Promise.race([asked, timeout]);
    } catch (err) {
      const said = (err as { data?: { error?: string } }).data?.error;
      if (said && !SLACK_TRANSIENT_ERRORS.has(said)) {
        throw new AppError('CONFIG_INVALID', `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${said}). Check the token, or SLACK_API_URL.`, { cause: err });
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (!this.receiver) await this.app.start();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (!this.receiver) await this.app.stop();
    await this.idle();
  }

  /** Resolves when the work started by requests (after their ack) is finished. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}
