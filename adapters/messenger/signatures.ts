/**
 * Meta's three signatures, all HMAC-SHA256 with the app secret, all compared in constant time:
 * - X-Hub-Signature-256 on every webhook POST: over the RAW body bytes. Meta signs the body as it
 *   sends it, with non-ASCII characters escaped (\u0627…); JSON.stringify of the parsed body
 *   writes the characters themselves, so a re-serialised body never verifies.
 * - signed_request of the data-deletion callback: base64url(signature) "." base64url(payload JSON),
 *   the HMAC taken over the payload part exactly as received (still base64url-encoded).
 * - our own data-deletion confirmation codes, so the status page can tell a real code from an
 *   invented one without storing anything.
 */
import { createHmac } from 'node:crypto';
import { LOCALES, type Locale } from '../../src/core/index.js';
import { sameSecret } from '../shared/constant-time.js';

const hmac = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest();

// X-Hub-Signature-256, shared with WhatsApp's webhook.
export { hubSignatureValid, signHub } from '../shared/meta-webhook.js';

export interface SignedRequestPayload {
  algorithm: string;
  issued_at?: number;
  /** App-scoped user id; for a Messenger-only app we treat it as the PSID (see README). */
  user_id: string;
}

/** Null unless the signature matches and the payload says HMAC-SHA256 and names a user. */
export function parseSignedRequest(signedRequest: string, appSecret: string): SignedRequestPayload | null {
  const parts = signedRequest.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const [sig, payloadPart] = parts as [string, string];
  if (!sameSecret(Buffer.from(sig, 'base64url'), hmac(appSecret, payloadPart))) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const p = payload as Partial<SignedRequestPayload>;
  if (typeof p !== 'object' || p === null || typeof p.algorithm !== 'string' || p.algorithm.toUpperCase() !== 'HMAC-SHA256') return null;
  const userId = typeof p.user_id === 'number' ? String(p.user_id) : p.user_id;
  if (typeof userId !== 'string' || !/^\d{1,32}$/.test(userId)) return null;
  return { algorithm: p.algorithm, issued_at: typeof p.issued_at === 'number' ? p.issued_at : undefined, user_id: userId };
}

export function makeSignedRequest(payload: Record<string, unknown>, appSecret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${hmac(appSecret, body).toString('base64url')}.${body}`;
}

/**
 * A confirmation code that proves itself: when (seconds, base 36), the person's language, and 12
 * bytes of HMAC over both. It names nobody, so showing it on a public page reveals nothing.
 */
export function makeConfirmationCode(erasedAt: Date, lng: Locale, appSecret: string): string {
  const ts = Math.floor(erasedAt.getTime() / 1000).toString(36);
  const mac = hmac(appSecret, `data-deletion:${ts}:${lng}`).subarray(0, 12).toString('base64url');
  return `${ts}-${lng}-${mac}`;
}

export function readConfirmationCode(code: string, appSecret: string): { erasedAt: Date; lng: Locale } | null {
  const m = /^([0-9a-z]{1,10})-([a-z]{2,3})-([A-Za-z0-9_-]{16})$/.exec(code);
  if (!m) return null;
  const [, ts, lng, mac] = m as unknown as [string, string, string, string];
  if (!(LOCALES as readonly string[]).includes(lng)) return null;
  const expected = hmac(appSecret, `data-deletion:${ts}:${lng}`).subarray(0, 12);
  if (!sameSecret(Buffer.from(mac, 'base64url'), expected)) return null;
  return { erasedAt: new Date(parseInt(ts, 36) * 1000), lng: lng as Locale };
}
