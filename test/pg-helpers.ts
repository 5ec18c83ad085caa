/**
 * The per-run PostgreSQL database from test/global-setup.ts. Throws (so the test FAILS, never
 * skips) when the server was not usable.
 */
import { inject } from 'vitest';

export function pgUrl(): string {
  const url = inject('pgUrl');
  if (!url) throw new Error(inject('pgError') || 'test/global-setup.ts provided no PostgreSQL database');
  return url;
}

/** A sibling database on the same server, created empty by the caller's admin connection. */
export function siblingUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
