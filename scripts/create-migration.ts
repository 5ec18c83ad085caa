/**
 * `npm run db:migration -- <name>`: writes a migration for both providers (SQLite and PostgreSQL)
 * from the changes in prisma/<provider>/schema.prisma since the last committed migration.
 * Works offline (Prisma's schema engine as WebAssembly). The PostgreSQL side needs a server where it
 * may create a throwaway database: $SHADOW_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
 *
 * Both scripts are computed before anything is written, so a failure leaves no half-made pair.
 */
import type { Provider } from '../src/storage/migrate.js';
import { diffMigrationsToSchema, migrationFolderName, writeMigration } from './migrations/create.js';

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  console.error('usage: npm run db:migration -- <name>   (e.g. add_review_note)');
  process.exit(2);
}

const providers: Provider[] = ['sqlite', 'postgresql'];
const folder = migrationFolderName(name);
const scripts = [];
for (const provider of providers) scripts.push({ provider, script: await diffMigrationsToSchema(provider) });
for (const { provider, script } of scripts) {
  if (script === null) console.log(`${provider}: no changes`);
  else writeMigration(provider, folder, script);
}
