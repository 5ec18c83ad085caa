/**
 * The Messenger adapter: the webhook and the data-deletion callback on the project's server, the
 * Send API through graph-client.ts (the only module that touches facebook-nodejs-business-sdk).
 * It knows Messenger and nothing of the flow.
 */
import { withinWindow as withinSendingWindow, type Adapter, type WebhookRoute, conversationKey, type BotCore, type Logger, type Metrics, type ConversationRef, type OutboundMessage, type ParticipantRecord, type Sleep } from '../../src/core/index.js';
import { MESSENGER_CAPABILITIES } from './capabilities.js';
import { readAttachment } from './attachments.js';
import type { MessengerConfig } from './config.js';
import { deletionRoutes } from './data-deletion.js';
import { GraphClient } from './graph-client.js';
import type { Parsed } from './parse.js';
import { MessengerSender } from './sender.js';
import { webhookRoute } from './webhook.js';
import { joinGreeting } from './welcome.js';

/** How many event ids the adapter remembers having handled (a redelivery sends no "typing…"). */
const RECENT_IDS = 2000;

/** Messenger's 24-hour window (capabilities.ts), for the notices the core starts. */
export function withinWindow(p: ParticipantRecord, now: Date): boolean {
  return withinSendingWindow(MESSENGER_CAPABILITIES.window, p.lastInboundAt, now);
}

/**
 * What Messenger asks of the core: its events, an erasure, a person's language, its window and
 * greeting, and the deletion status page's texts, timezone and contact address.
 */
export type MessengerCore = Pick<BotCore, 'handle' | 'now' | 'metrics' | 'participantView' | 'eraseParticipant' | 'setInitiationPolicy' | 'setComposer' | 'texts'> & {
  readonly call: Pick<BotCore['call'], 'timezone' | 'contact'>;
};

export interface MessengerDeps {
  config: MessengerConfig;
  /** The core (src/core/bot-core.ts): the app's `core`. */
  core: MessengerCore;
  /** Keys the pseudonymous conversation keys in logs (the app's ICSSI_SECRET). */
  secret: string;
  logger: Logger;
  /** Injected in tests: attachment downloads, the clock, the pause between Graph retries. */
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: Sleep;
  backoffMs?: number;
}

export class MessengerAdapter implements Adapter {
  readonly name = 'messenger' as const;
  readonly capabilities = MESSENGER_CAPABILITIES;
  readonly graph: GraphClient;
  private readonly sender: MessengerSender;
  private readonly metrics: Metrics;
  private readonly now: () => Date;
  /** Ids of events this process handled, oldest first (a Set keeps insertion order). */
  private readonly handled = new Set<string>();
  /** Aborted by stop(): the Graph client's retries end there. */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: MessengerDeps) {
    const { config } = deps;
    this.metrics = deps.core.metrics;
    this.now = deps.now ?? (() => deps.core.now());
    this.graph = new GraphClient({ token: config.pageAccessToken, graphUrl: config.graphUrl, version: config.graphVersion, sleep: deps.sleep, backoffMs: deps.backoffMs, signal: this.stopping.signal });
    this.sender = new MessengerSender({
      graph: this.graph,
      logger: deps.logger,
      metrics: this.metrics,
      keyOf: (psid) => this.keyOf(psid),
    });
    // Notices (decisions, reminders) for people outside the window are held by the core's
    // Notifier, counted in the organisers' stats, and sent when the person writes again.
    deps.core.setInitiationPolicy('messenger', withinWindow);
    deps.core.setComposer('messenger', joinGreeting);
  }

  send(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    return this.sender.send(ref, message);
  }

  /** Announcements: no retry inside the request; the pacer sends again (src/core/adapter.ts). */
  sendPaced(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    return this.sender.send(ref, message, { once: true });
  }

  routes(): WebhookRoute[] {
    const { config, logger } = this.deps;
    return [
      webhookRoute({ appSecret: config.appSecret, verifyToken: config.verifyToken, handle: (item) => this.handle(item), now: this.now, logger, metrics: this.metrics }),
      ...deletionRoutes({
        appSecret: config.appSecret, publicUrl: config.publicUrl, core: this.deps.core, now: this.now, logger, metrics: this.metrics,
      }),
    ];
  }

  /** Ends the Graph client's retries; replies left unsent are retried by the server's outbox flush (src/main.ts). */
  async stop(): Promise<void> {
    this.stopping.abort();
  }

  /**
   * One event, then the core (which answers). A file comes with how to fetch it: the core does so
   * only at a step that takes one and not for a redelivery. "typing…" is shown only while a
   * document is read — the one slow step — and never for an event this process already handled:
   * Meta redelivers, and a redelivery must show the person nothing.
   */
  private async handle(item: Extract<Parsed, { type: 'event' }>): Promise<void> {
    let event = item.event;
    const file = item.file;
    if (file && event.kind === 'file') {
      const { id, conversation } = event;
      event = {
        ...event,
        fetchText: async () => {
          if (!this.handled.has(id)) await this.sender.typing(conversation.chatId);
          const read = await readAttachment(file, { fetch: this.deps.fetch ?? fetch, logger: this.deps.logger });
          this.metrics.inc('documents_total', { platform: 'messenger', outcome: read.ok ? 'read' : read.problem });
          return read;
        },
      };
    }
    await this.deps.core.handle(event);
    this.handled.delete(event.id);
    this.handled.add(event.id);
    if (this.handled.size > RECENT_IDS) this.handled.delete(this.handled.values().next().value!);
  }

  private keyOf(psid: string): string {
    return conversationKey(this.deps.secret, { platform: 'messenger', chatId: psid, userId: psid });
  }
}
