/**
 * `npm run bench -- --seed N`: the per-message cost on a database holding N participants and N
 * contributions, against an empty one, measured in the same run (each in processes of its own,
 * empty first). A flat cost means the seeded figure is within 10 % of the empty one.
 */
import type { RawConnection, RawTarget } from '../src/storage/raw-connection.js';

type Row = Record<string, unknown> & { backend?: unknown; handler?: unknown; messagesPerSecond?: unknown; p50ms?: unknown };

export interface SeedComparison {
  backend: string;
  handler: string;
  emptyPerSecond: number;
  seededPerSecond: number;
  /** Seeded throughput as a share of the empty database's: 100 % is a flat cost. */
  seededOfEmpty: string;
  emptyP50ms: number;
  seededP50ms: number;
}

export function compareSeeded(empty: Row[], seeded: Row[]): SeedComparison[] {
  return seeded.flatMap((s) => {
    const e = empty.find((r) => r.backend === s.backend && r.handler === s.handler);
    if (!e) return [];
    const emptyPerSecond = Number(e.messagesPerSecond);
    const seededPerSecond = Number(s.messagesPerSecond);
    return [{
      backend: String(s.backend),
      handler: String(s.handler),
      emptyPerSecond,
      seededPerSecond,
      seededOfEmpty: `${Math.round((100 * seededPerSecond) / emptyPerSecond)} %`,
      emptyP50ms: Number(e.p50ms),
      seededP50ms: Number(s.p50ms),
    }];
  });
}

/**
 * After seeding, the database's own bookkeeping is done before anything is measured: PostgreSQL
 * writes the seeded pages out (a checkpoint its WAL volume would otherwise start during the run),
 * SQLite copies its WAL into the database file. The seeded run then pays for the size, not for
 * the seeding.
 */
export async function settleAfterSeed(raw: RawConnection, provider: RawTarget['provider']): Promise<void> {
  if (provider === 'postgresql') await raw.exec('CHECKPOINT');
  else await raw.query('PRAGMA wal_checkpoint(TRUNCATE)');
}
