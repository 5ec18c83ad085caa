/**
 * The Slack adapter: @slack/bolt with a receiver on the project's HTTP server (/slack/events), or
 * Socket Mode when SLACK_APP_TOKEN is set. It knows Slack and nothing of the flow.
 */
import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Adapter, WebhookRoute } from '../../src/core/adapter.js';
import type { Dispatcher } from '../../src/core/dispatcher.js';
import type { Logger } from '../../src/core/log.js';
import { AppError } from '../../src/core/errors.js';
import type { ConversationRef, OutboundMessage } from '../../src/core/types.js';
import { AdminChannel } from './admin.js';
import type { SlackConfig } from './config.js';
import type { SlackContext } from './context.js';
import { registerListeners } from './listeners.js';
import { registerAnnounceModal } from './announce-modal.js';
import type { Announcements } from '../../src/announcements/sending.js';
import { OrganiserCommands } from './organiser.js';
import { WebhookReceiver } from './receiver.js';
import { MAX_SECTION_CHARS, renderMessage } from './render.js';
import { SlackPoster, type Sleep } from './sender.js';

export interface SlackDeps {
  config: SlackConfig;
  dispatcher: Dispatcher;
  /** ICSSI_SECRET: keys the pseudonyms in exports. */
  secret: string;
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

export class SlackAdapter implements Adapter {
  readonly name = 'slack' as const;
  // In Slack, `/status` is Slack's own command: this app's commands are typed `/icssi status`.
  readonly capabilities = { buttons: true, maxTextLength: MAX_SECTION_CHARS, files: false, commandPrefix: '/icssi ' };
  readonly app: App;
  readonly poster: SlackPoster;
  private readonly receiver: WebhookReceiver | null;
  private readonly inflight = new Set<Promise<unknown>>();
  private announcements: Announcements | undefined;

  constructor(private readonly deps: SlackDeps) {
    const { config, dispatcher, logger } = deps;
    const now = deps.now ?? (() => new Date());
    const track = (p: Promise<unknown>) => {
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    };
    const socketMode = config.appToken !== undefined;
    this.receiver = socketMode ? null : new WebhookReceiver({ signingSecret: config.signingSecret, now, logger, metrics: dispatcher.metrics, ackDeadlineMs: deps.ackDeadlineMs, track });
    this.app = new App({
      token: config.botToken,
      ...(socketMode ? { socketMode: true, appToken: config.appToken } : { receiver: this.receiver! }),
      // Given both ids, Bolt skips auth.test. Without them Bolt would call auth.test right here, in
      // the constructor, with nobody awaiting it: a refused token became an unhandled rejection
      // that killed the process. Verification is therefore lazy here, and start() checks the token
      // itself with a clear error.
      botId: config.botId,
      botUserId: config.botUserId,
      tokenVerificationEnabled: false,
      logger: boltLogger(logger),
      // Our own code waits out a 429 (exact Retry-After) and the core's outbox retries the rest;
      // the client's default would retry for about 30 minutes inside one call.
      clientOptions: { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    });
    const client = this.app.client;
    this.poster = new SlackPoster({ client, logger, metrics: dispatcher.metrics, nowMs: deps.nowMs, sleep: deps.sleep, intervalMs: deps.intervalMs });
    const admin = config.adminChannel
      ? new AdminChannel({ dispatcher, client, poster: this.poster, channel: config.adminChannel, locale: config.adminLocale, logger })
      : null;
    const cx: SlackContext = {
      dispatcher, client, poster: this.poster, admin, now,
      organiser: new OrganiserCommands({ dispatcher, client, poster: this.poster, adminChannel: config.adminChannel, secret: deps.secret, logger }),
      isOrganiser: (u) => config.adminUsers.has(u),
      ephemeral: (channel, user, text) => this.poster.call(() => client.chat.postEphemeral({ channel, user, text })),
    };
    const modal = registerAnnounceModal(this.app, {
      cx, i18n: dispatcher.deps.i18n, call: dispatcher.deps.call, announcements: () => this.announcements,
      localeOf: async (u) => (await dispatcher.participantView({ platform: 'slack', chatId: u, userId: u })).locale,
    });
    cx.openAnnounce = (triggerId, userId) => modal.open(triggerId, userId);
    registerListeners(this.app, cx);
    if (admin) {
      // Contributions from every platform are announced once their step is stored.
      dispatcher.onEffects((effects) => {
        for (const e of effects) {
          if (e.type === 'contribution.create' || e.type === 'contribution.revise' || e.type === 'contribution.withdraw') {
            track(admin.announce(e).catch((err: unknown) => logger.warn('admin channel alert not posted', { err })));
          }
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
    for (const payload of renderMessage(message)) await this.poster.post(channel, payload);
  }

  routes(): WebhookRoute[] {
    return this.receiver ? [this.receiver.route()] : [];
  }

  /** Checks the bot token (unless both bot ids are configured); Socket Mode connects here. */
  async start(): Promise<void> {
    if (!this.deps.config.botId || !this.deps.config.botUserId) {
      try {
        await this.app.client.auth.test();
      } catch (err) {
        // Slack's error code (invalid_auth, account_inactive…) or the network error's code.
        const code = (err as { data?: { error?: string } }).data?.error ?? (err as { code?: string }).code ?? 'unknown';
        throw new AppError('CONFIG_INVALID', `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code}). Check the token, or SLACK_API_URL.`, { cause: err });
      }
    }
    if (!this.receiver) await this.app.start();
  }

  async stop(): Promise<void> {
    if (!this.receiver) await this.app.stop();
    await this.idle();
  }

  /** Resolves when the work started by requests (after their ack) is finished. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}
