/**
 * Meta's data-deletion callback (App Dashboard → Settings → Basic → "Data deletion request URL").
 * POST /messenger/data-deletion, form field signed_request: verified with the app secret, then
 * the person is erased exactly as /delete erases them (the core's eraseParticipant), and Meta gets
 * {url, confirmation_code} to show them. GET /messenger/data-deletion/status?code=… is that URL.
 * The confirmation code proves itself (signatures.ts): nothing is stored about a deletion.
 */
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, type BotCore, localeFromHint, type Logger, type Metrics, type Locale, ltr, type Params } from '../../src/core/index.js';
import { makeConfirmationCode, parseSignedRequest, readConfirmationCode } from './signatures.js';

export const DELETION_PATH = '/messenger/data-deletion';
export const STATUS_PATH = '/messenger/data-deletion/status';

export interface DeletionDeps {
  appSecret: string;
  publicUrl: string | undefined;
  /** The erasure, the person's language, and the status page's texts and timezone. */
  core: Pick<BotCore, 'participantView' | 'eraseParticipant' | 'texts'> & { readonly call: Pick<BotCore['call'], 'timezone' | 'contact'> };
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
}

const json = (status: number, value: unknown): WebhookResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function origin(req: WebhookRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  // Behind a proxy without MESSENGER_PUBLIC_URL: the host Meta called us on (Meta calls https only).
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  return `https://${typeof host === 'string' ? host : 'localhost'}`;
}

async function callback(req: WebhookRequest, deps: DeletionDeps): Promise<WebhookResponse> {
  const signed = new URLSearchParams(req.rawBody.toString('utf8')).get('signed_request');
  if (!signed) return { status: 400 };
  const payload = parseSignedRequest(signed, deps.appSecret);
  if (!payload) {
    deps.metrics.inc('requests_rejected_total', { platform: 'messenger', reason: 'deletion_signature' });
    return { status: 401 };
  }
  // For a Messenger-only app the app-scoped user id of the callback is the person's PSID (README).
  const userId = payload.user_id;
  const ref = { platform: 'messenger' as const, chatId: userId, userId };
  // The status page speaks the person's language, read before their record is erased.
  const { locale } = await deps.core.participantView(ref);
  const at = deps.now();
  // One request is erased once, even when Meta repeats it.
  const eventId = `data-deletion:${userId}:${payload.issued_at ?? Math.floor(at.getTime() / 1000)}`;
  const outcome = await deps.core.eraseParticipant({ platform: 'messenger', userId, eventId });
  deps.metrics.inc('deletions_total', { platform: 'messenger', outcome });
  // 'unknown' (nothing kept about them) is answered the same: there is nothing left of them.
  const code = makeConfirmationCode(at, locale, deps.appSecret);
  return json(200, { url: `${origin(req, deps.publicUrl)}${STATUS_PATH}?code=${encodeURIComponent(code)}`, confirmation_code: code });
}

function statusPage(req: WebhookRequest, deps: DeletionDeps): WebhookResponse {
  const read = readConfirmationCode(req.query.get('code') ?? '', deps.appSecret);
  const accept = req.headers['accept-language'];
  const lng: Locale = read?.lng ?? localeFromHint(typeof accept === 'string' ? accept : undefined) ?? 'en';
  const t = (key: string, params: Params = {}) => deps.core.texts.text(`messenger:deletion.${key}`, lng, params);
  // The date as every other date the person reads (their language and digits, date and time apart),
  // and the address to write to about copies the erasure cannot reach.
  const text = read
    ? t('erased', { time: deps.core.texts.formatTime(read.erasedAt.toISOString(), lng), email: ltr(deps.core.call.contact.email) })
    : t('unknown');
  const dir = deps.core.texts.dir(lng);
  const html = `<!doctype html><html lang="${lng}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(t('title'))}</title></head><body><h1>${escapeHtml(t('title'))}</h1><p>${escapeHtml(text)}</p></body></html>`;
  return { status: read ? 200 : 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

export function deletionRoutes(deps: DeletionDeps): WebhookRoute[] {
  return [
    { path: DELETION_PATH, methods: ['POST'], handle: (req) => callback(req, deps) },
    { path: STATUS_PATH, methods: ['GET'], handle: (req) => Promise.resolve(statusPage(req, deps)) },
  ];
}
