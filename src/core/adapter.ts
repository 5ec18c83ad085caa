/**
 * What every platform adapter provides. Required: a name, its capabilities and `send`. Optional: a
 * webhook route on the one HTTP server, or a loop of its own (`start`, for polling or the console).
 */
import type { ConversationRef, OutboundMessage, Platform } from './types.js';

/**
 * What the core needs to know about a platform. Limits on text length, buttons and files are each
 * adapter's own business (its renderer splits and numbers), so they are not declared here.
 */
export interface AdapterCapabilities {
  /** How commands are typed on the platform, when not "/" + name (Slack: "/icssi " + name). */
  commandPrefix?: string;
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
  send(ref: ConversationRef, message: OutboundMessage): Promise<void>;
  /**
   * The same message for a caller that paces the whole platform itself (announcements): one
   * request per part and never a wait inside it. A rate limit (429) is thrown at once as the
   * PlatformError with its retryAfterMs, and a network failure or 5xx too, so that the caller's
   * pacer pauses the platform and sends again through its slots. `send` keeps its bounded waits
   * and retries for replies, which nothing else paces.
   */
  sendPaced?(ref: ConversationRef, message: OutboundMessage): Promise<void>;
  routes?(): WebhookRoute[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * Rewrites what the bot posted on this platform about people since erased (Slack's admin
   * channel), so that no personal field stays there. Returns how many posts were rewritten.
   */
  redactErased?(): Promise<number>;
}
