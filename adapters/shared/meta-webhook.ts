/**
 * What Meta's two webhooks (Messenger, the WhatsApp Cloud API) share, so each platform's
 * webhook.ts keeps only its body's shape and what it does with an item:
 * - X-Hub-Signature-256 on every POST: HMAC-SHA256 with the app secret over the RAW body bytes,
 *   compared in constant time. Meta sends non-ASCII characters escaped (\u0627…), so a body parsed
 *   and written again never verifies: only the bytes as received count. The SHA-1 header
 *   (X-Hub-Signature) is never accepted.
 * - GET: the subscription check — hub.mode=subscribe and our verify token → the challenge as
 *   plain text; anything else 403.
 * - POST: the project's webhook policy — a missing or wrong signature → 401, empty body, nothing
 *   processed; not JSON or not a webhook body → 400 (too large → 413 from the server); the items
 *   one at a time, in Meta's order (a person's messages stay in order); an item without the
 *   documented shape is ignored with one warning naming the field (Meta would deliver it again
 *   forever otherwise); STORAGE_UNAVAILABLE or a state conflict → the whole batch 503 from the
 *   server, delivered again (items already stored are recognised by their ids); 200 once every
 *   item is stored.
 */
import { createHmac } from 'node:crypto';
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, isAppError, type Logger, type Metrics } from '../../src/core/index.js';
import { sameSecret } from './constant-time.js';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

const hmac = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest();

/** X-Hub-Signature-256: "sha256=<64 hex>". */
export function hubSignatureValid(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return false;
  return sameSecret(Buffer.from(m[1]!.toLowerCase(), 'hex'), hmac(appSecret, rawBody));
}

export function signHub(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${hmac(appSecret, rawBody).toString('hex')}`;
}

/** The GET subscription check; an absent token never matches. */
export function subscriptionCheck(req: WebhookRequest, verifyToken: string): WebhookResponse {
  const given = req.query.get('hub.verify_token');
  if (req.query.get('hub.mode') !== 'subscribe' || given === null || !sameSecret(given, verifyToken)) return { status: 403 };
  const challenge = req.query.get('hub.challenge');
  // Meta sends a number; anything else is not echoed back.
  if (!challenge || !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) return { status: 400 };
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
}

/** An item the parser could not use: counted, and said in one line when a field did not fit. */
export interface IgnoredItem {
  type: 'ignore';
  reason: string;
  field?: string;
}

export interface MetaBatch<I> {
  platform: string;
  appSecret: string;
  logger: Logger;
  metrics: Metrics;
  /** The field that makes the body no webhook body at all (→ 400), or null. */
  malformed: (body: unknown) => string | null;
  /** The body's items, in Meta's order. */
  items: (body: unknown) => Iterable<I | IgnoredItem>;
  /** Whether an item is a person's event (counted as received); receipts are not. */
  inbound: (item: I) => boolean;
  /** Handles one item; rejects if it could not be stored. */
  handle: (item: I) => Promise<void>;
}

export async function receiveBatch<I extends { type: string }>(req: WebhookRequest, batch: MetaBatch<I>): Promise<WebhookResponse> {
  const { platform, logger, metrics } = batch;
  if (!hubSignatureValid(req.rawBody, req.headers[HUB_SIGNATURE_HEADER], batch.appSecret)) {
    metrics.inc('requests_rejected_total', { platform, reason: 'signature' });
    return { status: 401 };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  // Signed but not a webhook body (`null`, an array, `entry` that is no list): 400, nothing done.
  const bad = batch.malformed(body);
  if (bad) {
    metrics.inc('requests_rejected_total', { platform, reason: 'malformed' });
    logger.warn(`${platform} webhook body malformed`, { field: bad });
    return { status: 400 };
  }
  for (const item of batch.items(body)) {
    if (item.type === 'ignore') {
      const ignored = item as IgnoredItem;
      metrics.inc('inbound_ignored_total', { platform, reason: ignored.reason });
      if (ignored.field) logger.warn(`${platform} item ignored: malformed`, { field: ignored.field });
      continue;
    }
    const one = item as I;
    if (batch.inbound(one)) metrics.inc('inbound_total', { platform, outcome: 'received' });
    try {
      await batch.handle(one);
    } catch (err) {
      // Not stored: the whole batch is answered 503 and delivered again.
      if (isAppError(err, 'STORAGE_UNAVAILABLE') || isAppError(err, 'STATE_CONFLICT')) throw err;
      // Stored, then something failed (a send): a redelivery would change nothing.
      metrics.inc('inbound_total', { platform, outcome: 'error' });
      logger.error(`${platform} event failed after it was stored`, { err });
    }
  }
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'EVENT_RECEIVED' };
}

/** A Meta webhook route: GET the subscription check, POST the signed batch. */
export function metaWebhookRoute<I extends { type: string }>(path: string, verifyToken: string, batch: MetaBatch<I>): WebhookRoute {
  return {
    path,
    methods: ['GET', 'POST'],
    handle: (req) => (req.method === 'GET' ? Promise.resolve(subscriptionCheck(req, verifyToken)) : receiveBatch(req, batch)),
  };
}
