/**
 * The Prisma client type the store is written against, and error mapping.
 *
 * Two clients are generated (generated/prisma-sqlite, generated/prisma-postgresql) because a client
 * serves only adapters of its schema's provider. Their schemas hold the same models and fields
 * (test/schema-parity.test.ts), so their APIs are identical: we type against the SQLite one and
 * cast the PostgreSQL one to it (open-store.ts).
 */
import {
  PrismaClientInitializationError,
  PrismaClientKnownRequestError,
  PrismaClientRustPanicError,
} from '@prisma/client/runtime/client';
import type { Prisma, PrismaClient } from '../../generated/prisma-sqlite/client.js';
import { AppError } from '../core/errors.js';

export type Db = PrismaClient;

/** SQLite's busy timeout: how long to wait for another process's lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;
export type Tx = Prisma.TransactionClient;

/**
 * How long a transaction may wait for a pooled connection (or, on SQLite, for the one before it),
 * and may run. Set as the client's default (open-store.ts) and passed where a transaction is
 * opened: Prisma's default wait, 2 s, failed the message path's commits with P2028 when 100
 * conversations shared 10 connections on a loaded machine.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/** P2002: unique constraint violation (from the driver adapter's UniqueConstraintViolation). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * Prisma codes meaning "the database cannot serve us now", not "this request is wrong":
 * P1000 authentication, P1001 unreachable, P1002 timed out, P1003 database missing,
 * P1008 operation timed out (SQLite busy), P1010 access denied, P1011 TLS, P1017 connection closed,
 * P2024 pool timeout, P2028 transaction could not start or expired.
 */
const UNAVAILABLE_CODES = new Set(['P1000', 'P1001', 'P1002', 'P1003', 'P1008', 'P1010', 'P1011', 'P1017', 'P2024', 'P2028']);

export function isUnavailable(err: unknown): boolean {
  return (
    err instanceof PrismaClientInitializationError ||
    err instanceof PrismaClientRustPanicError ||
    (err instanceof PrismaClientKnownRequestError && UNAVAILABLE_CODES.has(err.code))
  );
}

/** Rethrows connection-type failures as AppError STORAGE_UNAVAILABLE; anything else unchanged. */
export function mapStorageError(err: unknown, doing: string): unknown {
  if (err instanceof AppError) return err;
  if (isUnavailable(err)) return new AppError('STORAGE_UNAVAILABLE', `The database is unavailable (${doing})`, { cause: err });
  return err;
}
