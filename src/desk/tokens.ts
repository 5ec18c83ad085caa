/**
 * Secrets of the desk: invite and session tokens are 32 random bytes; only their SHA-256 is
 * stored (a copy of the database signs nobody in). CSRF tokens are an HMAC of the session, so
 * they need no storage and die with it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function csrfToken(secret: string, sessionHash: string): string {
  return createHmac('sha256', secret).update(`desk-csrf:${sessionHash}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token as it may appear in a link or a form: base64url, 43 characters. Anything else is not looked up. */
export function plausibleToken(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s);
}
