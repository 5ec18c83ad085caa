/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the
 * signing secret. Checked over the raw bytes, in constant time. Bolt's own check rejects only old
 * timestamps; a request dated more than 5 minutes in the future is refused here too (a captured,
 * re-signed or clock-skewed request must not stay valid for longer than Slack intends).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../shared/constant-time.js';

export const MAX_SKEW_SECONDS = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'future' | 'mismatch' };

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function signSlackRequest(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

export function verifySlackSignature(opts: {
  signingSecret: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now: () => Date;
}): VerifyResult {
  const signature = header(opts.headers, 'x-slack-signature');
  const tsText = header(opts.headers, 'x-slack-request-timestamp');
  if (!signature || !tsText || !/^\d{1,12}$/.test(tsText)) return { ok: false, reason: 'missing' };
  const ts = Number(tsText);
  const nowSec = Math.floor(opts.now().getTime() / 1000);
  if (nowSec - ts > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts - nowSec > MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  if (!sameSecret(signature, signSlackRequest(opts.signingSecret, ts, opts.rawBody))) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
