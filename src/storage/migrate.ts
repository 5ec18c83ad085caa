/**
 * Database migrations without the Prisma CLI.
 *
 * Prisma 7's CLI needs a native schema engine it downloads from the internet, so `prisma migrate`
 * cannot run on machines without it. Applying migrations needs no engine at all: this file holds a
 * plain runner that applies the committed `prisma/<provider>/migrations/<name>/migration.sql` files
 * in order and records each in `_prisma_migrations` with the same table, columns and checksum
 * (sha256 hex of migration.sql) as Prisma, so the stock CLI sees such a database as up to date and
 * the two can take turns. This is the runtime part; creating migrations is a development tool
 * (scripts/migrations/, with the schema engine compiled to WebAssembly), which imports this file
 * and is never imported by it.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { projectPath } from '../config/paths.js';
import { connectRaw, type RawConnection } from './raw-connection.js';

export type Provider = 'sqlite' | 'postgresql';

/** Where to apply migrations: a SQLite file or a PostgreSQL connection string. */
export type MigrationTarget = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

export interface MigrationFolder {
  /** The directory name, e.g. `20251126093800_init`; also the `migration_name` recorded. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes, as Prisma computes it. */
  checksum: string;
}

export interface ApplyResult {
  /** Migrations applied by this call, in order. Empty when the database was up to date. */
  applied: string[];
  /** Applied migrations whose migration.sql changed since (Prisma's "edited" migrations). */
  edited: string[];
}

export function schemaPath(provider: Provider): string {
  return projectPath('prisma', provider, 'schema.prisma');
}

export function migrationsDir(provider: Provider): string {
  return projectPath('prisma', provider, 'migrations');
}

/** Reads the migration folders in the order Prisma applies them (it sorts names with localeCompare). */
export function readMigrations(provider: Provider, dir = migrationsDir(provider)): MigrationFolder[] {
  if (!fs.existsSync(dir)) return [];
  const lock = path.join(dir, 'migration_lock.toml');
  if (fs.existsSync(lock)) {
    const locked = /provider\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lock, 'utf8'))?.[1];
    if (locked !== undefined && locked !== provider) {
      throw new AppError('CONFIG_INVALID', `${dir} holds ${locked} migrations, not ${provider} ones`);
    }
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

// The table exactly as Prisma's schema engine creates it (read back from databases it migrated).
const MIGRATIONS_TABLE: Record<Provider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
};

/** The advisory lock key Prisma's schema engine takes on PostgreSQL, so the CLI and we exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/**
 * Applies the migrations not yet recorded as finished. Idempotent and safe to call at every start,
 * also by two processes at once (PostgreSQL: Prisma's advisory lock; SQLite: BEGIN IMMEDIATE).
 * Each migration runs in one transaction with its `_prisma_migrations` row, so a failure leaves
 * no trace and the error is thrown (unlike the CLI, which records a failed row to resolve by hand).
 */
export async function applyMigrations(
  target: MigrationTarget,
  opts: { migrationsDir?: string } = {},
): Promise<ApplyResult> {
  const migrations = readMigrations(target.provider, opts.migrationsDir);
  const conn = await connectRaw(target);
  try {
    if (target.provider === 'postgresql') await conn.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK})`);
    await conn.exec(MIGRATIONS_TABLE[target.provider]);
    const rows = await conn.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const live = rows.filter((row) => row.rolled_back_at === null);
    const failed = live.filter((row) => row.finished_at === null).map((row) => row.migration_name);
    if (failed.length > 0) {
      throw new AppError(
        'STORAGE_UNAVAILABLE',
        `The database records failed migrations (${failed.join(', ')}). Resolve them first ` +
          '(`prisma migrate resolve`), then start again.',
      );
    }
    const done = new Map(live.map((row) => [row.migration_name, row.checksum]));
    const edited = migrations.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      if (await applyOne(conn, target.provider, migration)) applied.push(migration.name);
    }
    return { applied, edited };
  } finally {
    // Closing the session also releases the advisory lock.
    await conn.close();
  }
}

/** Applies one migration and records it; false when another process recorded it meanwhile. */
async function applyOne(conn: RawConnection, provider: Provider, migration: MigrationFolder): Promise<boolean> {
  // BEGIN IMMEDIATE takes SQLite's write lock now, so a second process waits here (busy timeout)
  // and then sees the row below. On PostgreSQL the advisory lock already serialises us.
  await conn.exec(provider === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN');
  try {
    const already = await conn.query(
      'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
      [migration.name],
    );
    if (already.length > 0) {
      await conn.exec('COMMIT');
      return false;
    }
    const id = randomUUID();
    await conn.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, 0)',
      [id, migration.checksum, migration.name, timestamp(provider)],
    );
    await conn.exec(migration.sql);
    // applied_steps_count = 1: Prisma counts a migration.sql script as one step.
    await conn.query('UPDATE "_prisma_migrations" SET finished_at = $1, applied_steps_count = 1 WHERE id = $2', [
      timestamp(provider),
      id,
    ]);
    await conn.exec('COMMIT');
    return true;
  } catch (err) {
    await conn.exec('ROLLBACK').catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw new AppError('STORAGE_UNAVAILABLE', `Migration ${migration.name} failed and was rolled back`, { cause: err });
  }
}

/**
 * SQLite has no timestamp type: Prisma's engine (through the driver adapter) stores RFC 3339 text
 * with an explicit +00:00 offset, which the native engine also reads. PostgreSQL takes a Date.
 */
function timestamp(provider: Provider): Date | string {
  const now = new Date();
  return provider === 'sqlite' ? now.toISOString().replace('Z', '+00:00') : now;
}
