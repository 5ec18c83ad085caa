/**
 * The one constant-time comparison for secrets, tokens and signatures. Both sides are hashed
 * first: timingSafeEqual needs buffers of equal length (it throws otherwise), and comparing the
 * digests says nothing about the secret's length either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();

export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
