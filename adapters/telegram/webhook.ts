/**
 * POST /telegram on the project's HTTP server. The status follows the project's webhook policy:
 * 401 (empty) for a missing or wrong secret token, 400 for a body that is not an Update, 200 only
 * once the update is stored and answered (a button press's answerCallbackQuery in its body), 503 (by the server) when it could not be stored.
 * Telegram redelivers anything but a 2xx, and waits at most 60 s for the answer.
 */
import type { Update } from 'grammy/types';
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, isAppError, type Logger, type Metrics } from '../../src/core/index.js';
import { sameSecret } from '../shared/constant-time.js';
import type { InResponseCall } from './handle-update.js';

export const WEBHOOK_PATH = '/telegram';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Compares in constant time; a missing or repeated header never matches. */
export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  return typeof given === 'string' && sameSecret(given, secret);
}

/** The update, or why it is none: not JSON, or JSON that is not an object with an update_id. */
function asUpdate(raw: Buffer): Update | 'not-json' | 'not-an-update' {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'not-json';
  }
  const ok = typeof body === 'object' && body !== null && !Array.isArray(body) && Number.isSafeInteger((body as { update_id?: unknown }).update_id);
  return ok ? (body as Update) : 'not-an-update';
}

export interface WebhookDeps {
  secret: string;
  /** Handles the update; may give back one Bot API call for Telegram to perform (see InResponseCall). */
  handle: (update: Update) => Promise<InResponseCall | undefined>;
  /** Resolves once the bot knows its own username (getMe); awaited before the first update. */
  ready: () => Promise<void>;
  logger: Logger;
  metrics: Metrics;
}

export function webhookRoute(deps: WebhookDeps): WebhookRoute {
  return {
    path: WEBHOOK_PATH,
    methods: ['POST'],
    async handle(req: WebhookRequest): Promise<WebhookResponse> {
      if (!secretMatches(req.headers[SECRET_HEADER], deps.secret)) {
        deps.metrics.inc('requests_rejected_total', { platform: 'telegram', reason: 'secret' });
        return { status: 401 };
      }
      const update = asUpdate(req.rawBody);
      if (update === 'not-json') return { status: 400 };
      if (update === 'not-an-update') {
        // Signed, but no Update: one line that quotes nothing of it.
        deps.logger.warn('telegram webhook body malformed', { field: 'update.update_id' });
        return { status: 400 };
      }
      await deps.ready();
      let call: InResponseCall | undefined;
      try {
        call = await deps.handle(update);
      } catch (err) {
        // Not stored: the server answers 503 and Telegram delivers the update again.
        if (isAppError(err, 'STORAGE_UNAVAILABLE')) throw err;
        if (isAppError(err, 'STATE_CONFLICT')) throw err;
        // Anything else happened after the event was stored (or left nothing to redo): a
        // redelivery would change nothing, and a failing update would hold the chat up.
        deps.metrics.inc('inbound_total', { platform: 'telegram', outcome: 'error' });
        deps.logger.error('telegram update failed after it was stored', { err });
      }
      // A button press is answered here: Telegram performs the call in a 200's JSON body.
      return call ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) } : { status: 200 };
    },
  };
}
