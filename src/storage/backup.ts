/**
 * A consistent copy of the embedded SQLite database while the bot runs: SQLite's online backup
 * API (through better-sqlite3) copies the pages a batch at a time and starts over on its own if a
 * writer changes a page it already copied, so the copy is one moment of the database, WAL
 * included. The copy is then checked with PRAGMA integrity_check.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.js';
import { createPrivateFile, makePrivateDir } from '../core/private-files.js';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/** Pages copied per step: small steps let the bot's own writes go on between them. */
const PAGES_PER_STEP = 256;

export async function backupSqlite(source: string, destination: string, onProgress?: (done: number, total: number) => void): Promise<BackupResult> {
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new AppError('CONFIG_INVALID', `${target} already exists: choose a new file name (a backup never overwrites)`);
  if (!fs.existsSync(source)) throw new AppError('STORAGE_UNAVAILABLE', `There is no database at ${source}`);
  const db = new Database(source, { fileMustExist: true, timeout: 10_000 });
  // A copy of personal data: its folder (when made here) 0700 and the file 0600 from the start.
  try {
    makePrivateDir(path.dirname(target));
    createPrivateFile(target, { exclusive: true });
  } catch (err) {
    db.close();
    throw new AppError('STORAGE_UNAVAILABLE', `Cannot create ${target}`, { cause: err });
  }
  let pages: number;
  try {
    const result = await db.backup(target, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages - remainingPages, totalPages);
        return PAGES_PER_STEP;
      },
    });
    pages = result.totalPages;
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw new AppError('STORAGE_UNAVAILABLE', `The backup to ${target} failed`, { cause: err });
  } finally {
    db.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    // One self-contained file (no -wal/-shm beside it); the bot turns WAL on again when it opens it.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new AppError('STORAGE_UNAVAILABLE', `The backup ${target} failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
  return { file: target, bytes: fs.statSync(target).size, pages };
}
