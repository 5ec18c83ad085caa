/**
 * What every platform adapter provides. Required: a name, its capabilities and `send`. Optional: a
 * webhook route on the one HTTP server, or a loop of its own (`start`, for polling or the console).
 */
import type { ConversationRef, OutboundMessage, Platform } from './types.js';

/**
 * What a platform does with a message the bot starts outside its sending window: keep it until the
 * person writes again ("hold"), send one of the platform's approved templates instead
 * ("template"), or give it up ("drop").
 */
export type OutsideWindow = 'hold' | 'template' | 'drop';

/**
 * A platform that lets a bot start a message only for a while after the person's last one. The
 * core asks this declaration, never the platform's name, whether a person is within it.
 */
export interface SendingWindow {
  /** How long after the person's last message the bot may start one. */
  readonly ms: number;
  readonly outside: OutsideWindow;
  /**
   * The reason (PlatformError.reason) the adapter gives the platform's own "outside the window"
   * refusal: a person stored unreachable for it is not gone, the window opens when they write.
   */
  readonly refusalReason?: string;
  /**
   * For 'template': the languages the platform's templates exist in. Someone outside the window
   * whose language is not among them gets a template in another language (WhatsApp has no
   * Kurdish templates): the announcement preview says how many.
   */
  readonly templateLocales?: readonly string[];
  /**
   * For 'template': the template language a person of each other language gets instead (e.g.
   * ckb → ar), so that the preview can name it. Absent for a language: not known here.
   */
  readonly templateLocaleFor?: Readonly<Record<string, string>>;
  /**
   * For 'template': how many different people the bot may start a message with outside the window
   * in any 24 hours (the platform's daily limit on conversations it starts). Copies past it wait,
   * still pending, and go when the oldest of those 24 hours have passed. Absent: no such limit.
   */
  readonly initiationsPerDay?: number;
  /**
   * The reasons (PlatformError.reason) of the platform's own refusal for that daily limit: a copy
   * refused so waits like one past the count, and is neither failed nor the person unreachable.
   */
  readonly initiationRefusalReasons?: readonly string[];
}

/** The platform's rate limits for a bot sending in bulk, as declared by its adapter. */
export interface Pacing {
  /** Messages per second for the whole platform (a default; ANNOUNCE_RATE_<PLATFORM> overrides). */
  readonly ratePerSecond: number;
  /** Least time between two messages to one chat. */
  readonly perChatMs: number;
}

/**
 * What one message may hold. Each adapter's renderer splits and numbers within these itself; they
 * are declared so that the core can tell what fits everywhere without naming a platform.
 */
export interface MessageLimits {
  readonly textChars: number;
  /** Buttons shown with one message (more are numbered in the text or spread over messages). */
  readonly buttons?: number;
  readonly buttonTitleChars?: number;
}

/** What the core needs to know about a platform, declared by its adapter. */
export interface AdapterCapabilities {
  /** How commands are typed on the platform, when not "/" + name (Slack: "/icssi " + name). */
  readonly commandPrefix?: string;
  /** Absent: the bot may write to a person at any time. */
  readonly window?: SendingWindow;
  readonly pacing: Pacing;
  /** Absent: no limit worth declaring (the console). */
  readonly limits?: MessageLimits;
}

/**
 * What the core tells a paced send: `outsideWindow` when the person is outside the window of a
 * platform that sends an approved template there (its adapter picks and sends the template).
 */
export interface SendContext {
  outsideWindow?: boolean;
}

/** Whether the bot may start a message to someone who last wrote at `lastInboundAt`. */
export function withinWindow(window: SendingWindow | undefined, lastInboundAt: Date | null, now: Date): boolean {
  if (!window) return true;
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < window.ms;
}

/**
 * What the platform named the message(s) it accepted, one id per part sent, when it names them. A
 * platform that later reports by that id that the delivery failed (BotCore.deliveryFailed) lets
 * the core correct a notice or an announcement copy it had counted as sent. Adapters whose
 * platform reports no such failure return nothing.
 */
export interface SendAccepted {
  platformIds: readonly string[];
}

export interface WebhookRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookRoute {
  path: string;
  methods: string[];
  handle(req: WebhookRequest): Promise<WebhookResponse>;
}

export interface Adapter {
  readonly name: Platform;
  readonly capabilities: AdapterCapabilities;
  send(ref: ConversationRef, message: OutboundMessage): Promise<SendAccepted | void>;
  /**
   * The same message for a caller that paces the whole platform itself (announcements): one
   * request per part and never a wait inside it. A rate limit (429) is thrown at once as the
   * PlatformError with its retryAfterMs, and a network failure or 5xx too, so that the caller's
   * pacer pauses the platform and sends again through its slots. `send` keeps its bounded waits
   * and retries for replies, which nothing else paces.
   */
  sendPaced?(ref: ConversationRef, message: OutboundMessage, context?: SendContext): Promise<SendAccepted | void>;
  routes?(): WebhookRoute[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * Rewrites what the bot posted on this platform about people since erased (Slack's admin
   * channel), so that no personal field stays there. Returns how many posts were rewritten.
   */
  redactErased?(): Promise<number>;
}
