import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../src/core/errors.js';
import { openStore, parseDatabaseUrl } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { runLeaseHolderContract, runStoreContract } from './storage-contract.js';
import { runErasureContract, runRetentionContract } from './erasure-contract.js';

// A real file per test, migrations applied by openStore.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-sqlite-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(dir, `store-${++n}.db`);

runStoreContract('sqlite', () => openStore(`file:${fresh()}`));
runErasureContract('sqlite', () => openStore(`file:${fresh()}`));
runRetentionContract('sqlite', () => openStore(`file:${fresh()}`));
runLeaseHolderContract('sqlite', () => openStore(`file:${fresh()}`));

describe('openStore on SQLite', () => {
  it('creates the folder and the file, in WAL mode, and keeps data across reopening', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'bot.db');
    const store = await openStore(`file:${file}`);
    await store.commit({
      event: { platform: 'console', id: '1' },
      conversationKey: 'k',
      ref: { platform: 'console', chatId: 'c', userId: 'u' },
      expectedVersion: null,
      state: { step: 'ع' },
      pending: [],
      effects: [],
      receivedAt: new Date(),
    });
    await store.close();
    const raw = await connectRaw({ provider: 'sqlite', file });
    expect(await raw.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    await raw.close();
    const again = await openStore(`file:${file}`);
    expect((await again.load('k', { platform: 'console', chatId: 'c', userId: 'u' })).conversation?.state).toEqual({ step: 'ع' });
    await again.close();
  });

  it('reads DATABASE_URL: unset means data/icssi.db; file: and postgres URLs are understood', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ provider: 'sqlite', file: path.resolve('data/icssi.db') });
    expect(parseDatabaseUrl('  ')).toEqual({ provider: 'sqlite', file: path.resolve('data/icssi.db') });
    expect(parseDatabaseUrl('file:./x/y.db?connection_limit=1')).toEqual({ provider: 'sqlite', file: path.resolve('x/y.db') });
    expect(parseDatabaseUrl('file:///tmp/a.db')).toEqual({ provider: 'sqlite', file: '/tmp/a.db' });
    expect(parseDatabaseUrl('postgres://u:p@h:5432/db?schema=public')).toEqual({ provider: 'postgresql', url: 'postgres://u:p@h:5432/db' });
  });

  it('refuses anything else as CONFIG_INVALID naming DATABASE_URL, without echoing secrets', async () => {
    for (const url of ['mysql://root:secret@h/db', 'file::memory:', 'postgresql://u@h/db?schema=other', 'data/icssi.db']) {
      const err = await openStore(url).catch((e: unknown) => e);
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toContain('DATABASE_URL');
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('reports a file it cannot open as STORAGE_UNAVAILABLE', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const err = await openStore(`file:${path.join(blocker, 'x.db')}`).catch((e: unknown) => e);
    expect(isAppError(err, 'STORAGE_UNAVAILABLE')).toBe(true);
  });
});
