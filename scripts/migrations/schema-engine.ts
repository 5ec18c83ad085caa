/**
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), driven through a
 * Prisma driver adapter. Used only to create and check migrations (never at run time): it works
 * offline, where the CLI's native engine cannot be downloaded.
 *
 * We use one operation, `diff`, from a live database (where the committed migrations were applied
 * by our own runner) to the schema file. The engine's own migration commands (createMigration,
 * a `migrations` diff) replay migrations in a shadow database through the adapter, which trips on
 * known snags (SQLite: multi-statement scripts through executeRaw; PostgreSQL: shadow databases);
 * applying them ourselves avoids all of that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as Bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationFolder, MigrationTarget } from '../../src/storage/migrate.js';

type EngineModule = typeof Bg;
let loading: Promise<EngineModule> | undefined;

/**
 * The package's entry (`schema_engine.js`) imports the .wasm as an ES module, which Node does not
 * do; so we load its JS glue and instantiate the .wasm that lies beside it ourselves, once.
 */
function loadEngine(): Promise<EngineModule> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as EngineModule;
    const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    // This project's tsconfig has no DOM lib, which is where TypeScript declares WebAssembly.
    const { WebAssembly: wasmApi } = globalThis as unknown as {
      WebAssembly: { instantiate(b: Uint8Array, i: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
    };
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loading;
}

/**
 * The pg adapter refuses columns of PostgreSQL's internal `"char"` type (oid 18), which the
 * engine's catalog queries (relkind, contype…) return. Their text form is a plain string, so we
 * relabel them as `text` (oid 25) on the way back from the server, for this tooling only.
 */
function relabelChar<T>(result: T): T {
  for (const res of (Array.isArray(result) ? result : [result]) as { fields?: { dataTypeID: number }[] }[]) {
    for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
  }
  return result;
}

class CharAsTextClient extends pg.Client {
  // pg.Client.query has many overloads (promise or callback); patch both shapes generically.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : relabelChar(res));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(relabelChar) : out) as never;
  }
}

/** Adapter factory for the engine, remembering what it opened so that we can close it. */
function adapterFor(target: MigrationTarget): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
} {
  const opened: SqlDriverAdapter[] = [];
  let pool: pg.Pool | undefined;
  let inner: SqlMigrationAwareDriverAdapterFactory;
  if (target.provider === 'sqlite') {
    inner = new PrismaBetterSqlite3({ url: target.file });
  } else {
    pool = new pg.Pool({ connectionString: target.url, Client: CharAsTextClient, max: 2 });
    pool.on('error', () => undefined);
    inner = new PrismaPg(pool);
  }
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    const a = await adapter;
    opened.push(a);
    return a;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => track(inner.connect()),
    // A diff from a live database never needs a shadow database.
    connectToShadowDb: () => Promise.reject(new Error('no shadow database in this tooling')),
  };
  return {
    factory,
    async close() {
      for (const adapter of opened) await adapter.dispose().catch(() => undefined);
      await pool?.end().catch(() => undefined);
    },
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

async function withEngine<T>(
  target: MigrationTarget,
  schemaFile: string,
  schemaText: string,
  use: (engine: Bg.SchemaEngine) => Promise<T>,
): Promise<T> {
  const wasm = await loadEngine();
  const adapter = adapterFor(target);
  let engine: Bg.SchemaEngine | undefined;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: [[schemaFile, schemaText]] },
      () => undefined, // INFO logs only; failures come back as rejected promises
      bindMigrationAwareSqlAdapterFactory(adapter.factory),
    );
    return await use(engine);
  } finally {
    engine?.free();
    await adapter.close();
  }
}

/**
 * The SQL script that takes the live database `target` to the schema in `schemaText`, or null
 * when they already match. `_prisma_migrations` is ignored by the engine.
 */
export function diffDatabaseToSchema(target: MigrationTarget, schemaFile: string, schemaText: string): Promise<string | null> {
  return withEngine(target, schemaFile, schemaText, async (engine) => {
    const files = [{ path: schemaFile, content: schemaText }];
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaFile) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      // exitCode: 2 when there is a difference, 0 when none (the script then says "empty migration").
      exitCode: true,
      filters: NO_FILTER,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}

/**
 * Prisma's own reading of a database's migration history against a migrations folder (what
 * `prisma migrate status` reports). Tests use it to check that our runner's records satisfy Prisma.
 */
export function prismaMigrationStatus(
  target: MigrationTarget,
  schemaFile: string,
  migrationsDir: string,
  migrations: MigrationFolder[],
): Promise<Bg.DiagnoseMigrationHistoryOutput> {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const migrationsList: Bg.MigrationList = {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
  return withEngine(target, schemaFile, fs.readFileSync(schemaFile, 'utf8'), (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
  );
}
