/**
 * The migration runner records migrations as Prisma does, and the committed migration folders
 * produce exactly the current schemas: a schema change without a migration fails here.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyMigrations,
  migrationsDir,
  readMigrations,
  schemaPath,
  type MigrationTarget,
  type Provider,
} from '../src/storage/migrate.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { createMigration, diffMigrationsToSchema } from '../scripts/migrations/create.js';
import { pgUrl } from './pg-helpers.js';
import { scratchDatabases } from './helpers/scratch-databases.js';

const scratch = scratchDatabases('migrate');
const tmp = scratch.dir;

/** An empty database of the provider: a new SQLite file, or a new PostgreSQL database. */
async function emptyTarget(provider: Provider): Promise<MigrationTarget> {
  return scratch.empty(provider);
}

const PRISMA_COLUMNS = ['applied_steps_count', 'checksum', 'finished_at', 'id', 'logs', 'migration_name', 'rolled_back_at', 'started_at'];

const adminUrl = (provider: Provider) => (provider === 'postgresql' ? pgUrl() : undefined);

describe.each(['sqlite', 'postgresql'] as const)('migrations on %s', (provider) => {
  it('has committed migrations and the lock file Prisma writes', () => {
    expect(readMigrations(provider).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(migrationsDir(provider), 'migration_lock.toml'), 'utf8')).toContain(`provider = "${provider}"`);
  });

  it('applies every migration once, recording sha256 checksums like Prisma; again is a no-op', async () => {
    const target = await emptyTarget(provider);
    const migrations = readMigrations(provider);
    const started = performance.now();
    expect(await applyMigrations(target)).toEqual({ applied: migrations.map((m) => m.name), edited: [] });
    console.log(`${provider}: applied ${migrations.length} migration(s) to an empty database in ${(performance.now() - started).toFixed(0)} ms`);
    expect(await applyMigrations(target)).toEqual({ applied: [], edited: [] });

    const raw = await connectRaw(target);
    const rows = await raw.query<Record<string, unknown>>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    await raw.close();
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(PRISMA_COLUMNS);
    expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count), r.logs, r.rolled_back_at])).toEqual(
      migrations.map((m) => {
        const bytes = fs.readFileSync(path.join(migrationsDir(provider), m.name, 'migration.sql'));
        return [m.name, createHash('sha256').update(bytes).digest('hex'), 1, null, null];
      }),
    );
    expect(rows.every((r) => r.finished_at !== null && r.started_at !== null)).toBe(true);

    // And Prisma's own engine reads that history as complete: nothing edited, failed or missing.
    const { prismaMigrationStatus } = await import('../scripts/migrations/schema-engine.js');
    expect(await prismaMigrationStatus(target, schemaPath(provider), migrationsDir(provider), migrations)).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
  });

  it('reports a migration edited after it was applied', async () => {
    const target = await emptyTarget(provider);
    const dir = path.join(tmp, `edited-${provider}`);
    fs.cpSync(migrationsDir(provider), dir, { recursive: true });
    await applyMigrations(target, { migrationsDir: dir });
    const first = readMigrations(provider, dir)[0]!;
    fs.appendFileSync(path.join(dir, first.name, 'migration.sql'), '\n-- edited\n');
    expect(await applyMigrations(target, { migrationsDir: dir })).toEqual({ applied: [], edited: [first.name] });
  });

  it('has migrations that produce exactly the current schema', async () => {
    expect(await diffMigrationsToSchema(provider, { adminUrl: adminUrl(provider) })).toBeNull();
  });

  it('notices a schema change that has no migration, and creates that migration', async () => {
    const schemaFile = path.join(tmp, `${provider}.prisma`);
    const changed = fs
      .readFileSync(schemaPath(provider), 'utf8')
      .replace('model ProcessedEvent {', 'model ProcessedEvent {\n  note String?');
    fs.writeFileSync(schemaFile, changed);
    const dir = path.join(tmp, `created-${provider}`);
    fs.cpSync(migrationsDir(provider), dir, { recursive: true });
    const opts = { schemaPath: schemaFile, migrationsDir: dir, adminUrl: adminUrl(provider) };

    expect(await diffMigrationsToSchema(provider, opts)).toMatch(/ALTER TABLE "ProcessedEvent" ADD COLUMN\s+"note" TEXT/);
    const folder = await createMigration(provider, 'Add a note!', { ...opts, now: new Date('2999-01-02T03:04:05Z') });
    expect(folder).toBe('29990102030405_add_a_note');
    expect(readMigrations(provider, dir).at(-1)?.name).toBe(folder);
    expect(await diffMigrationsToSchema(provider, opts)).toBeNull();
    expect(await createMigration(provider, 'again', opts)).toBeNull();
  });
});

describe('migrations on postgresql', () => {
  it('can be applied by two processes at once: Prisma’s advisory lock lets one do it', async () => {
    const target = await emptyTarget('postgresql');
    const results = await Promise.all([applyMigrations(target), applyMigrations(target)]);
    const names = readMigrations('postgresql').map((m) => m.name);
    expect(results.map((r) => r.applied).sort()).toEqual([[], names]);
  });
});
