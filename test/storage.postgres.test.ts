import { describe, expect, it } from 'vitest';
import { isAppError } from '../src/core/errors.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { runLeaseHolderContract, runStoreContract } from './storage-contract.js';
import { runErasureContract, runRetentionContract } from './erasure-contract.js';
import { pgUrl } from './pg-helpers.js';

const TABLES = ['LeaseHolder', 'DeadLetter', 'PlatformPost', 'Notice', 'ProcessedEvent', 'ContributionStateChange', 'ContributionRevision', 'Contribution', 'Conversation', 'Participant'];

let migrated = false;
// One database for the run (test/global-setup.ts); every test starts from empty tables.
async function freshStore() {
  const url = pgUrl();
  const store = await openStore(url, { migrate: !migrated });
  migrated = true;
  const raw = await connectRaw({ provider: 'postgresql', url });
  await raw.exec(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
  await raw.close();
  return store;
}

runStoreContract('postgresql', freshStore);
runErasureContract('postgresql', freshStore);
runRetentionContract('postgresql', freshStore);
runLeaseHolderContract('postgresql', freshStore);

describe('openStore on PostgreSQL', () => {
  it('reports an unreachable server as STORAGE_UNAVAILABLE', async () => {
    const err = await openStore('postgresql://postgres@127.0.0.1:1/nothing').catch((e: unknown) => e);
    expect(isAppError(err, 'STORAGE_UNAVAILABLE')).toBe(true);
  });

  it('reports a missing database as STORAGE_UNAVAILABLE, also without migrating first', async () => {
    const missing = new URL(pgUrl());
    missing.pathname = '/icssi_no_such_database';
    for (const migrate of [true, false]) {
      const err = await openStore(missing.toString(), { migrate }).catch((e: unknown) => e);
      expect(isAppError(err, 'STORAGE_UNAVAILABLE')).toBe(true);
    }
  });
});
