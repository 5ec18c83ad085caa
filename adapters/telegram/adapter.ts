/**
 * The Telegram adapter: grammY for the Bot API, a webhook route on the project's server or long
 * polling with @grammyjs/runner. It knows Telegram and nothing of the flow.
 */
import { GrammyError, type Bot } from 'grammy';
import type { RunnerHandle } from '@grammyjs/runner';
import { type Adapter, type WebhookRoute, type Logger, type Metrics, type ConversationRef, type OutboundMessage, type OrganiserReports, AppError, realSleep, type Sleep, type DeskInvites } from '../../src/core/index.js';
import { createBot, createPacedApi } from './api.js';
import type { TelegramConfig } from './config.js';
import { UpdateHandler, type TelegramCore } from './handle-update.js';
import { startPolling } from './polling.js';
import { TelegramSender } from './sender.js';
import { webhookRoute } from './webhook.js';
import { TELEGRAM_CAPABILITIES } from './capabilities.js';

export interface TelegramDeps {
  config: TelegramConfig;
  /** The core (src/core/bot-core.ts): the app's `core`. */
  core: TelegramCore;
  /** The organisers' figures, for /stats from TELEGRAM_ADMIN_IDS (the app's `reports`). */
  reports: Pick<OrganiserReports, 'stats'>;
  /** One-time links to the organisers' desk, for /desk from TELEGRAM_ADMIN_IDS (absent: /desk is the flow's). */
  desk?: DeskInvites;
  logger: Logger;
  /** Injected in tests: the Bot API's fetch, the pause between retries, the clock. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
  /** Pause between network retries (default 500 ms, doubled each time). */
  backoffMs?: number;
  /**
   * The longest retry_after waited inside a reply's request (default 15 s). Announcements never
   * wait inside a request (sendPaced).
   */
  maxRetryAfterSeconds?: number;
}

export class TelegramAdapter implements Adapter {
  readonly name = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  readonly bot: Bot;
  private readonly sender: TelegramSender;
  /** Announcements' sender: its own API client, which never waits inside a request. */
  private readonly pacedSender: TelegramSender;
  private readonly handler: UpdateHandler;
  private readonly metrics: Metrics;
  private runner: RunnerHandle | null = null;
  private initialised: Promise<void> | null = null;

  constructor(private readonly deps: TelegramDeps) {
    const { config } = deps;
    this.metrics = deps.core.metrics;
    const sleep = deps.sleep ?? realSleep;
    this.bot = createBot({ token: config.token, apiRoot: config.apiRoot, fetch: deps.fetch, sleep, backoffMs: deps.backoffMs, maxRetryAfterSeconds: deps.maxRetryAfterSeconds });
    this.handler = new UpdateHandler({
      api: this.bot.api,
      core: deps.core,
      reports: deps.reports,
      desk: deps.desk,
      adminIds: config.adminIds,
      token: config.token,
      apiRoot: config.apiRoot,
      fetch: deps.fetch,
      logger: deps.logger,
      metrics: this.metrics,
      now: deps.now ?? (() => deps.core.now()),
      botUsername: () => (this.bot.isInited() ? this.bot.botInfo.username : undefined),
    });
    this.sender = new TelegramSender({ api: this.bot.api, metrics: this.metrics });
    this.pacedSender = new TelegramSender({ api: createPacedApi({ token: config.token, apiRoot: config.apiRoot, fetch: deps.fetch }), metrics: this.metrics });
  }

  /**
   * Throws when Telegram cannot be reached or refuses, after the retries: the dispatcher keeps
   * the reply in its outbox, and the server's periodic flush or the person's next message sends it.
   */
  send(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    return this.sender.send(ref, message);
  }

  /** Announcements: a 429 is thrown at once with its retry_after, for the pacer (src/core/adapter.ts). */
  sendPaced(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    return this.pacedSender.send(ref, message);
  }

  /** The webhook, in webhook mode; in polling mode Telegram is never called in. */
  routes(): WebhookRoute[] {
    const { config } = this.deps;
    if (config.mode !== 'webhook' || !config.webhookSecret) return [];
    return [
      webhookRoute({
        secret: config.webhookSecret,
        handle: (u) => this.handler.handle(u, { inResponse: true }),
        ready: () => this.init(),
        logger: this.deps.logger,
        metrics: this.metrics,
      }),
    ];
  }

  /**
   * getMe once (the bot's username, for `/start@ThisBot`); retried on the next call if it failed.
   * Not grammY's `bot.init()`: that retries a network failure for ever, silently, so a Bot API out
   * of reach held the start up with no word. getMe goes through the bounded retries of api.ts and
   * fails; the caller logs it and tries again later (src/server/platform-start.ts).
   */
  init(): Promise<void> {
    this.initialised ??= this.bot.api.getMe().then(
      (me) => {
        // Marks the Bot initialised, as bot.init() would (the runner then does not ask again).
        if (!this.bot.isInited()) this.bot.botInfo = me;
      },
      (err: unknown) => {
        this.initialised = null;
        throw err;
      },
    );
    return this.initialised;
  }

  /**
   * Webhook mode: learn the username now. Polling mode: start the runner (returns at once).
   * Throws when Telegram cannot be reached (the caller tries again later, src/server/platform-start.ts);
   * a token Telegram refuses (401, or 404 for a malformed one) is a configuration error, not retried.
   */
  async start(): Promise<void> {
    try {
      await this.init();
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new AppError('CONFIG_INVALID', `Telegram did not accept TELEGRAM_BOT_TOKEN (getMe: ${err.error_code}). Check the token, or TELEGRAM_API_ROOT.`, { cause: err });
      }
      throw err;
    }
    if (this.deps.config.mode === 'polling') {
      this.runner = await startPolling({
        bot: this.bot,
        handle: async (u) => {
          await this.handler.handle(u);
        },
        logger: this.deps.logger,
        metrics: this.metrics,
        sleep: this.deps.sleep ?? realSleep,
      });
      this.deps.logger.info('telegram long polling started');
    }
  }

  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    // Stops fetching; updates already fetched finish (the dispatcher's drain waits for them).
    if (runner?.isRunning()) await runner.stop();
  }
}
