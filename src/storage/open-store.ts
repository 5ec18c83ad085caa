/**
 * Opens the store named by DATABASE_URL: SQLite (the embedded default) or PostgreSQL.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type Database from 'better-sqlite3';
import { cacheStatements } from './sqlite-statement-cache.js';
import { AppError } from '../core/errors.js';
import { createPrivateFile, makePrivateDir } from '../core/private-files.js';
import { applyMigrations, type ApplyResult, type MigrationTarget } from './migrate.js';
import { prismaStore, type PrismaStore } from './prisma-store.js';
import { SQLITE_BUSY_TIMEOUT_MS, TRANSACTION_OPTIONS, type Db } from './prisma-client.js';

export const DEFAULT_SQLITE_FILE = path.join('data', 'icssi.db');

export interface OpenStoreOptions {
  /** Apply pending migrations before opening (default true). */
  migrate?: boolean;
  /** Told which migrations were applied or found edited. */
  onMigrated?: (result: ApplyResult) => void;
  /** PostgreSQL: errors of idle pooled connections (default: ignored; the next query reports). */
  onPoolError?: (err: Error) => void;
  /** PostgreSQL: the most connections to hold (default 10). */
  poolSize?: number;
}

function invalid(problem: string): AppError {
  return new AppError(
    'CONFIG_INVALID',
    `DATABASE_URL ${problem}. Leave it unset for SQLite at ${DEFAULT_SQLITE_FILE}, ` +
      'or use file:<path> (SQLite) or postgresql://user:password@host:5432/database.',
  );
}

/** Where DATABASE_URL points. Relative SQLite paths are taken from the working directory. */
export function parseDatabaseUrl(databaseUrl: string | undefined): MigrationTarget {
  const url = databaseUrl?.trim() ?? '';
  if (url === '') return { provider: 'sqlite', file: path.resolve(DEFAULT_SQLITE_FILE) };
  if (url.startsWith('file:')) {
    // Prisma's own form is file:./dev.db (no slashes); also accept a file:///absolute URL.
    // A ?query (Prisma's connection_limit and the like) means nothing to the adapter.
    const bare = url.split('?')[0] ?? '';
    const file = bare.startsWith('file://') ? safeFilePath(bare) : bare.slice('file:'.length);
    if (file === '' || file.includes(':memory:')) {
      throw invalid('must name a SQLite file (an in-memory database would not survive a restart)');
    }
    return { provider: 'sqlite', file: path.resolve(file) };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid('is not a valid postgresql:// URL');
    }
    // Prisma URLs often carry ?schema=public. Tables live in the connection's search_path here,
    // so only "public" (the default) is accepted, and the parameter (unknown to pg) is removed.
    const schema = parsed.searchParams.get('schema');
    if (schema !== null && schema !== 'public') {
      throw invalid(`names schema "${schema}"; only the default schema "public" is supported`);
    }
    parsed.searchParams.delete('schema');
    return { provider: 'postgresql', url: parsed.toString() };
  }
  // Only the scheme is echoed: the rest may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw invalid(scheme ? `has the unsupported scheme "${scheme}:"` : 'is neither a file: nor a postgresql:// URL');
}

function safeFilePath(fileUrl: string): string {
  try {
    return fileURLToPath(fileUrl);
  } catch {
    throw invalid('is not a valid file:// URL');
  }
}

/**
 * WAL lets readers and the writer work at once and, with synchronous=NORMAL, makes commits about
 * six times faster (../shared/STORAGE-NOTES.md). synchronous is per connection, so it is set on
 * every connection the adapter opens, before the client uses it; so is secure_delete, which
 * overwrites deleted content with zeros: an erased text does not linger in free space
 * (prisma-erasure.ts).
 */
function withSqlitePragmas(inner: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;');
      // The adapter keeps its better-sqlite3 connection as `client` (@prisma/adapter-better-sqlite3 7.10).
      const client = (adapter as unknown as { client?: Database.Database }).client;
      if (client && typeof client.prepare === 'function') cacheStatements(client);
      return adapter;
    },
  };
}

/** A Prisma client for the target, without the store around it (benches compare against it). */
export async function createClient(target: MigrationTarget, opts: OpenStoreOptions = {}): Promise<Db> {
  // Each provider's client and driver adapter are imported only when used: the other's would stay
  // resident for nothing (pg and its adapter: about 15 MB).
  if (target.provider === 'sqlite') {
    const { PrismaClient } = await import('../../generated/prisma-sqlite/client.js');
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    // timeout: SQLite's busy timeout, for a second process holding the write lock.
    const adapter = withSqlitePragmas(new PrismaBetterSqlite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS }));
    return new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
  }
  const { PrismaClient } = await import('../../generated/prisma-postgresql/client.js');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapter = new PrismaPg(
    { connectionString: target.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 },
    // Without a listener an idle connection's error (a server restart) would crash the process.
    { onPoolError: opts.onPoolError ?? (() => undefined) },
  );
  // Same models and fields as the SQLite client (test/schema-parity.test.ts): same API.
  return new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
}

export async function openStore(databaseUrl: string | undefined, opts: OpenStoreOptions = {}): Promise<PrismaStore> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'sqlite') {
    try {
      // Personal data: the folder 0700 and the database 0600 (its -wal/-shm take the file's mode).
      makePrivateDir(path.dirname(target.file));
      createPrivateFile(target.file);
    } catch (err) {
      throw new AppError('STORAGE_UNAVAILABLE', `Cannot create ${target.file}`, { cause: err });
    }
  }
  if (opts.migrate !== false) {
    const result = await applyMigrations(target);
    opts.onMigrated?.(result);
  }
  const db = await createClient(target, opts);
  const store = prismaStore(db, { serialiseAll: target.provider === 'sqlite', provider: target.provider });
  try {
    await store.ping();
  } catch (err) {
    await db.$disconnect().catch(() => undefined);
    throw err;
  }
  return store;
}
