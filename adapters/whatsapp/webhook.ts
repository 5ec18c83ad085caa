/**
 * /whatsapp on the project's HTTP server.
 * GET: Meta's subscription check — hub.mode=subscribe and our verify token → the challenge as plain
 *   text; anything else 403.
 * POST: the project's webhook policy — a missing or wrong X-Hub-Signature-256 → 401 with an empty
 *   body and nothing processed; a body that is not JSON → 400 (too large → 413 from the server);
 *   200 once every message of the batch is stored; an item without the documented shape is
 *   ignored (200, one warning line naming the field); STORAGE_UNAVAILABLE → 503 from the server,
 *   so Meta delivers the batch again (messages already stored are recognised by their ids).
 */
import type { Logger, Metrics, WebhookRoute } from '../../src/core/index.js';
import { HUB_SIGNATURE_HEADER, metaWebhookRoute } from '../shared/meta-webhook.js';
import { isObj } from '../shared/shape.js';
import { parseWebhook, type Parsed, type WebhookBody } from './parse.js';

export const WEBHOOK_PATH = '/whatsapp';
export const SIGNATURE_HEADER = HUB_SIGNATURE_HEADER;

export interface WebhookDeps {
  appSecret: string;
  verifyToken: string;
  /** Handles one message; rejects if it could not be stored. */
  handle: (item: Extract<Parsed, { type: 'event' }>) => Promise<void>;
  /** A delivery receipt: never answered. */
  status: (item: Extract<Parsed, { type: 'status' }>) => Promise<void>;
  /** A person's change of id (a `system` message): never answered. */
  identity: (item: Extract<Parsed, { type: 'identity' }>) => Promise<void>;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
}

/** GET: the subscription check; POST: the signed batch (adapters/shared/meta-webhook.ts). */
export function webhookRoute(deps: WebhookDeps): WebhookRoute {
  return metaWebhookRoute(WEBHOOK_PATH, deps.verifyToken, {
    platform: 'whatsapp', appSecret: deps.appSecret, logger: deps.logger, metrics: deps.metrics,
    malformed: (body) => (!isObj(body) || (body.entry !== undefined && !Array.isArray(body.entry)) ? 'body' : null),
    // Every entry, change, message and status of the batch, in Meta's order.
    items: (body) => parseWebhook(body as WebhookBody, deps.now()),
    // Statuses are receipts: handled (outcomes, the unreachable mark), never counted as messages.
    inbound: (item) => item.type !== 'status',
    handle: (item) => (item.type === 'status' ? deps.status(item) : item.type === 'identity' ? deps.identity(item) : deps.handle(item)),
  });
}
