/**
 * /messenger on the project's HTTP server.
 * GET: Meta's subscription check — hub.mode=subscribe and our verify token → the challenge as plain
 *   text; anything else 403.
 * POST: the project's webhook policy — a missing or wrong X-Hub-Signature-256 → 401 with an empty
 *   body and nothing processed; a body that is not JSON → 400; 200 only once every event in the
 *   body is stored (and answered); an event that does not have the documented shape is ignored
 *   (200, one warning line); STORAGE_UNAVAILABLE → 503 from the server, so Meta delivers the
 *   batch again (the events already stored are recognised by their ids and not processed twice).
 */
import type { Logger, Metrics, WebhookRoute } from '../../src/core/index.js';
import { HUB_SIGNATURE_HEADER, metaWebhookRoute } from '../shared/meta-webhook.js';
import { problemOf } from '../shared/shape.js';
import { parseWebhook, type Parsed, type WebhookBody } from './parse.js';
import { bodyShape } from './schema.js';

export const WEBHOOK_PATH = '/messenger';
export const SIGNATURE_HEADER = HUB_SIGNATURE_HEADER;

export interface WebhookDeps {
  appSecret: string;
  verifyToken: string;
  /** Handles one parsed item (reads its file, hands it to the dispatcher); rejects if not stored. */
  handle: (item: Extract<Parsed, { type: 'event' }>) => Promise<void>;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
}

/** GET: the subscription check; POST: the signed batch (adapters/shared/meta-webhook.ts). */
export function webhookRoute(deps: WebhookDeps): WebhookRoute {
  return metaWebhookRoute(WEBHOOK_PATH, deps.verifyToken, {
    platform: 'messenger', appSecret: deps.appSecret, logger: deps.logger, metrics: deps.metrics,
    malformed: (body) => problemOf(bodyShape, body, 'body'),
    // A person's file and the text after it stay in order.
    items: (body) => parseWebhook(body as WebhookBody, deps.now()),
    inbound: () => true,
    handle: deps.handle,
  });
}
