/**
 * HTTP for the desk: security headers on every answer, cookies, forms read with a cap, and the
 * client's address. Nothing here logs a URL, a body or a cookie.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * No inline script or style may run (the desk serves its CSS and JS as files), nothing is framed,
 * forms post only to the desk, and nothing is loaded from elsewhere.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Sign-in links carry a token: never sent on as a Referer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

export class DeskHttpError extends Error {
  constructor(readonly status: number, readonly reason: string) {
    super(reason);
  }
}

export const MAX_FORM_BYTES = 64 * 1024;

/** A url-encoded form, at most MAX_FORM_BYTES (announcements in three languages fit easily). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new DeskHttpError(415, 'unsupported');
  if (Number(req.headers['content-length'] ?? 0) > MAX_FORM_BYTES) throw new DeskHttpError(413, 'tooLarge');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new DeskHttpError(413, 'tooLarge');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

export function cookie(name: string, value: string, opts: { path: string; secure: boolean; maxAgeSeconds?: number; httpOnly?: boolean }): string {
  return [
    `${name}=${value}`,
    `Path=${opts.path}`,
    // Lax, not Strict: the sign-in link is opened from a chat app (a cross-site navigation); every
    // state change is a POST with a CSRF token anyway.
    'SameSite=Lax',
    ...(opts.httpOnly === false ? [] : ['HttpOnly']),
    ...(opts.secure ? ['Secure'] : []),
    ...(opts.maxAgeSeconds !== undefined ? [`Max-Age=${opts.maxAgeSeconds}`] : []),
  ].join('; ');
}

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    // The proxy appends the address it saw: the last entry is the one it vouches for.
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]>): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]>): void {
  res.writeHead(303, { ...headers, location, 'cache-control': 'no-store' });
  res.end();
}
