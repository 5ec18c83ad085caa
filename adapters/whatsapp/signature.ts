/**
 * X-Hub-Signature-256 on every webhook POST: HMAC-SHA256 with the app secret over the RAW body
 * bytes, compared in constant time. Meta sends non-ASCII characters escaped (\u0627…), so a body
 * parsed and written again never verifies: only the bytes as received count.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../shared/constant-time.js';

const hmac = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest();

/** "sha256=<64 hex>"; the SHA-1 header (X-Hub-Signature) is never accepted. */
export function signatureValid(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return false;
  return sameSecret(Buffer.from(m[1]!.toLowerCase(), 'hex'), hmac(appSecret, rawBody));
}

export function sign(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${hmac(appSecret, rawBody).toString('hex')}`;
}
