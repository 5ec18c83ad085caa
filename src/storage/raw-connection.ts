/**
 * One plain driver connection (better-sqlite3 or pg), for the migration runner and test set-up:
 * no Prisma in between, so transactions, locks and multi-statement scripts behave as the database
 * documents them.
 */
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.js';

export interface RawConnection {
  /** One statement with `$1, $2…` placeholders; returns its rows (empty for non-queries). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A script of one or more statements, no parameters. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

export type RawTarget = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

/** Opens a connection; any failure to open it is STORAGE_UNAVAILABLE. */
export async function connectRaw(target: RawTarget): Promise<RawConnection> {
  return target.provider === 'sqlite' ? connectSqlite(target.file) : connectPostgres(target.url);
}

function connectSqlite(file: string): RawConnection {
  let db: Database.Database;
  try {
    // timeout = busy timeout: wait for another process's write lock instead of failing at once.
    db = new Database(file, { timeout: 10_000 });
    // As on the bot's own connections (open-store.ts): deleted content is overwritten.
    db.pragma('secure_delete = ON');
  } catch (err) {
    throw new AppError('STORAGE_UNAVAILABLE', `Cannot open the SQLite database ${file}`, { cause: err });
  }
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      // Callers write PostgreSQL's $1, $2…; better-sqlite3 binds positional `?` in order.
      const order: unknown[] = [];
      const stmt = db.prepare(
        sql.replace(/\$(\d+)/g, (_, n: string) => {
          order.push(params[Number(n) - 1]);
          return '?';
        }),
      );
      if (stmt.reader) return stmt.all(...order) as T[];
      stmt.run(...order);
      return [];
    },
    async exec(script: string) {
      db.exec(script);
    },
    async close() {
      db.close();
    },
  };
}

async function connectPostgres(url: string): Promise<RawConnection> {
  // Imported when used: a SQLite deployment never keeps pg resident.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An idle connection's error (server restart) must not crash the process; the next query fails.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new AppError('STORAGE_UNAVAILABLE', `Cannot connect to PostgreSQL (${redact(url)})`, { cause: err });
  }
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(script);
    },
    async close() {
      await client.end();
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}
