/**
 * Personal data on disk is readable by its owner only, whatever the umask the bot was started
 * with: the data folder it creates is 0700; the SQLite database, its -wal/-shm, its backups and the
 * secret file are 0600. Checked under umask 022, the usual default that made them 0644 in 0755.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { backupSqlite } from '../src/storage/backup.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-private-'));
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);
let previous: number;

beforeAll(() => {
  previous = process.umask(0o022);
});
afterAll(() => {
  process.umask(previous);
  rmSync(dir, { recursive: true, force: true });
});

describe('files holding personal data', () => {
  it('the SQLite database, its folder and its WAL files are the owner’s only', async () => {
    const file = join(dir, 'data', 'icssi.db');
    const store = await openStore(`file:${file}`);
    // A write while the store is open: SQLite creates the -wal and -shm files now.
    const writer = new Database(file);
    writer.exec('CREATE TABLE private_files_probe (x INTEGER)');
    try {
      expect(modeOf(join(dir, 'data'))).toBe('700');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f)).toBe('600');
    } finally {
      writer.close();
      await store.close();
    }
  });

  it('a backup and the folder made for it are the owner’s only', async () => {
    const copy = join(dir, 'backups', 'nightly', 'icssi.db');
    await backupSqlite(join(dir, 'data', 'icssi.db'), copy);
    expect(modeOf(copy)).toBe('600');
    expect(modeOf(join(dir, 'backups'))).toBe('700');
    expect(modeOf(join(dir, 'backups', 'nightly'))).toBe('700');
  });

  it('a backup never overwrites a file that is there', async () => {
    const copy = join(dir, 'backups', 'nightly', 'icssi.db');
    await expect(backupSqlite(join(dir, 'data', 'icssi.db'), copy)).rejects.toThrow(/already exists/);
  });
});
