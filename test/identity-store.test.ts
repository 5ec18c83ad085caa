/**
 * The IdentityStore contract (test/identity-contract.ts) on every store: the memory double, a
 * real SQLite file, and the real PostgreSQL server (a database of this file's own, so that
 * emptying it never touches another file's tests running at the same time).
 */
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { MemoryStore } from './helpers/memory-store.js';
import { scratchDatabases, databaseUrl } from './helpers/scratch-databases.js';
import { runIdentityContract } from './identity-contract.js';

const scratch = scratchDatabases('identity');
let pg: string | undefined;

// Every test starts from empty tables (TRUNCATE … CASCADE empties ParticipantAlias with Participant).
async function freshPostgres() {
  const first = pg === undefined;
  pg ??= databaseUrl(await scratch.empty('postgresql'));
  const store = await openStore(pg, { migrate: first });
  const raw = await connectRaw({ provider: 'postgresql', url: pg });
  await raw.exec('TRUNCATE "DeadLetter", "ProcessedEvent", "Conversation", "Participant" RESTART IDENTITY CASCADE');
  await raw.close();
  return store;
}

runIdentityContract('memory', async () => new MemoryStore());
runIdentityContract('sqlite', async () => openStore(databaseUrl(await scratch.empty('sqlite'))));
runIdentityContract('postgresql', freshPostgres);
