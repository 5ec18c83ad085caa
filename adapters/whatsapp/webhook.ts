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
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, isAppError, type Logger, type Metrics } from '../../src/core/index.js';
import { sameSecret } from '../shared/constant-time.js';
import { isObj } from '../shared/shape.js';
import { parseWebhook, type Parsed, type WebhookBody } from './parse.js';
import { signatureValid } from './signature.js';

export const WEBHOOK_PATH = '/whatsapp';
export const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface WebhookDeps {
  appSecret: string;
  verifyToken: string;
  /** Handles one message; rejects if it could not be stored. */
  handle: (item: Extract<Parsed, { type: 'event' }>) => Promise<void>;
  /** A delivery receipt: never answered. */
  status: (item: Extract<Parsed, { type: 'status' }>) => Promise<void>;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
}

function verify(req: WebhookRequest, deps: WebhookDeps): WebhookResponse {
  const given = req.query.get('hub.verify_token');
  if (req.query.get('hub.mode') !== 'subscribe' || given === null || !sameSecret(given, deps.verifyToken)) return { status: 403 };
  const challenge = req.query.get('hub.challenge');
  // Meta sends a number; anything else is not echoed back.
  if (!challenge || !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) return { status: 400 };
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
}

async function receive(req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  if (!signatureValid(req.rawBody, req.headers[SIGNATURE_HEADER], deps.appSecret)) {
    deps.metrics.inc('requests_rejected_total', { platform: 'whatsapp', reason: 'signature' });
    return { status: 401 };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  if (!isObj(body) || (body.entry !== undefined && !Array.isArray(body.entry))) {
    deps.metrics.inc('requests_rejected_total', { platform: 'whatsapp', reason: 'malformed' });
    deps.logger.warn('whatsapp webhook body malformed', { field: 'body' });
    return { status: 400 };
  }
  // One at a time, in Meta's order: a person's messages stay in order.
  for (const item of parseWebhook(body as WebhookBody, deps.now())) {
    if (item.type === 'ignore') {
      deps.metrics.inc('inbound_ignored_total', { platform: 'whatsapp', reason: item.reason });
      if (item.field) deps.logger.warn('whatsapp item ignored: malformed', { field: item.field });
      continue;
    }
    try {
      if (item.type === 'status') {
        await deps.status(item);
        continue;
      }
      deps.metrics.inc('inbound_total', { platform: 'whatsapp', outcome: 'received' });
      await deps.handle(item);
    } catch (err) {
      // Not stored: the whole batch is answered 503 and delivered again.
      if (isAppError(err, 'STORAGE_UNAVAILABLE') || isAppError(err, 'STATE_CONFLICT')) throw err;
      // Stored, then something failed (a send): a redelivery would change nothing.
      deps.metrics.inc('inbound_total', { platform: 'whatsapp', outcome: 'error' });
      deps.logger.error('whatsapp event failed after it was stored', { err });
    }
  }
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'EVENT_RECEIVED' };
}

export function webhookRoute(deps: WebhookDeps): WebhookRoute {
  return {
    path: WEBHOOK_PATH,
    methods: ['GET', 'POST'],
    handle: (req) => (req.method === 'GET' ? Promise.resolve(verify(req, deps)) : receive(req, deps)),
  };
}
