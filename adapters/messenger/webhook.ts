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
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, isAppError, type Logger, type Metrics } from '../../src/core/index.js';
import { sameSecret } from '../shared/constant-time.js';
import { problemOf } from '../shared/shape.js';
import { parseWebhook, type Parsed, type WebhookBody } from './parse.js';
import { bodyShape } from './schema.js';
import { hubSignatureValid } from './signatures.js';

export const WEBHOOK_PATH = '/messenger';
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** Compared in constant time; an absent token never matches. */
function tokenMatches(given: string | null, token: string): boolean {
  return given !== null && sameSecret(given, token);
}

export interface WebhookDeps {
  appSecret: string;
  verifyToken: string;
  /** Handles one parsed item (reads its file, hands it to the dispatcher); rejects if not stored. */
  handle: (item: Extract<Parsed, { type: 'event' }>) => Promise<void>;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
}

function verify(req: WebhookRequest, deps: WebhookDeps): WebhookResponse {
  const challenge = req.query.get('hub.challenge');
  if (req.query.get('hub.mode') !== 'subscribe' || !tokenMatches(req.query.get('hub.verify_token'), deps.verifyToken)) {
    return { status: 403 };
  }
  // Meta sends a number; anything else is not echoed back.
  if (!challenge || !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) return { status: 400 };
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
}

async function receive(req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  if (!hubSignatureValid(req.rawBody, req.headers[SIGNATURE_HEADER], deps.appSecret)) {
    deps.metrics.inc('requests_rejected_total', { platform: 'messenger', reason: 'signature' });
    return { status: 401 };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  // Signed but not a webhook body (`null`, an array, `entry` that is no list): 400, nothing done.
  const bad = problemOf(bodyShape, body, 'body');
  if (bad) {
    deps.metrics.inc('requests_rejected_total', { platform: 'messenger', reason: 'malformed' });
    deps.logger.warn('messenger webhook body malformed', { field: bad });
    return { status: 400 };
  }
  // One at a time, in Meta's order: a person's file and the text after it stay in order.
  for (const item of parseWebhook(body as WebhookBody, deps.now())) {
    if (item.type === 'ignore') {
      deps.metrics.inc('inbound_ignored_total', { platform: 'messenger', reason: item.reason });
      // A malformed item is answered 200 with the rest of the batch: Meta would deliver it again
      // forever otherwise. One line says which field did not fit, never what it held.
      if (item.field) deps.logger.warn('messenger event ignored: malformed', { field: item.field });
      continue;
    }
    deps.metrics.inc('inbound_total', { platform: 'messenger', outcome: 'received' });
    try {
      await deps.handle(item);
    } catch (err) {
      // Not stored: the whole batch is answered 503 and delivered again.
      if (isAppError(err, 'STORAGE_UNAVAILABLE') || isAppError(err, 'STATE_CONFLICT')) throw err;
      // Stored, then something failed (a send): a redelivery would change nothing.
      deps.metrics.inc('inbound_total', { platform: 'messenger', outcome: 'error' });
      deps.logger.error('messenger event failed after it was stored', { err });
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
