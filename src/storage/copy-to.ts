/**
 * Copies the embedded SQLite database into an empty PostgreSQL database, for organisers who
 * outgrow one machine: the target is migrated first (same migrations as `npm start` applies),
 * must hold no rows, and receives every table in one transaction — a failure leaves it empty.
 * The copy is then verified by counting each table on both sides.
 *
 * Generic over the schema: the tables, their columns and types, and the order that foreign keys
 * impose are read from PostgreSQL's catalogue, so a model added later is copied without a change
 * here.
 */
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.js';
import { applyMigrations } from './migrate.js';
import { connectRaw, redact, type RawConnection } from './raw-connection.js';

export interface CopyResult {
  /** Rows per table, equal on both sides. */
  counts: Record<string, number>;
  total: number;
}

interface Column {
  name: string;
  type: string;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Tables in an order where every table comes after the tables its foreign keys point to. */
async function tablesInOrder(pg: RawConnection): Promise<string[]> {
  const tables = (
    await pg.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
       ORDER BY table_name`,
    )
  ).map((r) => r.name);
  const deps = await pg.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  const ordered: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const d of deps.filter((x) => x.child === t && x.parent !== t)) visit(d.parent, seen);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

async function columnsOf(pg: RawConnection, table: string): Promise<Column[]> {
  return pg.query<Column>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
}

/**
 * SQLite keeps Prisma's DateTime as ISO text (or epoch milliseconds) and booleans as 0/1. A
 * PostgreSQL `timestamp without time zone` holds UTC (Prisma's convention): it gets the UTC wall
 * time as text, so the driver's local time zone cannot shift it.
 */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.startsWith('timestamp')) {
    const d = new Date(typeof value === 'number' || /^\d+$/.test(String(value)) ? Number(value) : String(value));
    if (Number.isNaN(d.getTime())) throw new AppError('STORAGE_UNAVAILABLE', `Cannot read the date "${String(value)}"`);
    return type.includes('with time zone') ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');
  }
  if (type === 'boolean') return Boolean(value);
  if (Buffer.isBuffer(value)) return value;
  return value;
}

export async function copySqliteToPostgres(
  sourceFile: string,
  targetUrl: string,
  onProgress?: (done: number, total: number) => void,
): Promise<CopyResult> {
  await applyMigrations({ provider: 'postgresql', url: targetUrl });
  // Not readonly: a WAL database needs its -shm file, which a read-only connection cannot create.
  const src = new Database(sourceFile, { fileMustExist: true, timeout: 10_000 });
  const pg = await connectRaw({ provider: 'postgresql', url: targetUrl });
  try {
    const tables = await tablesInOrder(pg);
    const sourceTables = new Set((src.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const sourceCounts: Record<string, number> = {};
    for (const t of tables) {
      if (!sourceTables.has(t)) throw new AppError('CONFIG_INVALID', `The SQLite database has no table ${t}: run \`npm run icssi -- migrate\` on it first`);
      const [{ n }] = (await pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(t)}`)) as [{ n: string }];
      if (Number(n) > 0) throw new AppError('CONFIG_INVALID', `The target database (${redact(targetUrl)}) is not empty: ${t} holds ${n} rows. copy-to only fills an empty database.`);
      sourceCounts[t] = (src.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
    }
    const total = Object.values(sourceCounts).reduce((a, b) => a + b, 0);
    let done = 0;
    onProgress?.(0, total);
    await pg.exec('BEGIN');
    try {
      for (const t of tables) {
        const cols = await columnsOf(pg, t);
        // PostgreSQL takes at most 65,535 parameters per statement.
        const batch = Math.max(1, Math.min(500, Math.floor(60_000 / cols.length)));
        const names = cols.map((c) => q(c.name)).join(', ');
        let rows: unknown[][] = [];
        const flush = async () => {
          if (rows.length === 0) return;
          const params: unknown[] = [];
          const tuples = rows.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
          await pg.query(`INSERT INTO ${q(t)} (${names}) VALUES ${tuples.join(', ')}`, params);
          done += rows.length;
          onProgress?.(done, total);
          rows = [];
        };
        // iterate() streams: a large table never sits in memory whole.
        for (const row of src.prepare(`SELECT ${names} FROM ${q(t)} ORDER BY rowid`).iterate() as Iterable<Record<string, unknown>>) {
          rows.push(cols.map((c) => convert(row[c.name], c.type)));
          if (rows.length >= batch) await flush();
        }
        await flush();
        // Autoincrement ids were copied as they are: the sequences continue after the largest.
        for (const c of cols) {
          const [{ seq }] = (await pg.query<{ seq: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS seq', [q(t), c.name])) as [{ seq: string | null }];
          if (seq) await pg.query(`SELECT setval($1, (SELECT COALESCE(MAX(${q(c.name)}), 0) + 1 FROM ${q(t)}), false)`, [seq]);
        }
      }
      await pg.exec('COMMIT');
    } catch (err) {
      await pg.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const [{ n }] = (await pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(t)}`)) as [{ n: string }];
      counts[t] = Number(n);
      if (counts[t] !== sourceCounts[t]) {
        throw new AppError('STORAGE_UNAVAILABLE', `Verification failed: ${t} has ${sourceCounts[t]} rows in SQLite but ${counts[t]} in PostgreSQL`);
      }
    }
    return { counts, total };
  } finally {
    src.close();
    await pg.close();
  }
}
