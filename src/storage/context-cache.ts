/**
 * The conversations this instance served lately, as loaded, so that the next message on a warm
 * conversation costs no read. Never trusted blindly: every fast commit checks, in the same
 * statement that writes, that the stored version and the person's data fingerprint (see
 * prisma-fast-path.ts) are still what was cached; anything else is a conflict, which evicts the
 * entry and makes the dispatcher read afresh. Bounded: the least recently used entries go first.
 */
import type { LoadedContext } from '../core/ports.js';

export interface CachedContext {
  loaded: LoadedContext;
  /** The person's data as the database summarised it when loaded (contributions, notices waiting). */
  fingerprint: string;
}

export class ContextCache {
  private readonly entries = new Map<string, CachedContext>();

  constructor(private readonly max = 10_000) {}

  get(key: string): CachedContext | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedContext): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
