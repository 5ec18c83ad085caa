/**
 * The bot's files hold personal data (the SQLite database, its backups, the secret that keys the
 * pseudonyms): folders it creates are 0700 and files 0600, whatever the umask of the shell or
 * supervisor that started it (a login umask of 022 would otherwise make them world-readable).
 * Existing folders and files are left as the operator set them.
 */
import fs from 'node:fs';

/** Creates the folder (and missing parents) readable by the owner only; nothing if it exists. */
export function makePrivateDir(dir: string): void {
  // mkdir's mode is filtered by the umask; 0700 loses nothing to any usual umask.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates an empty file readable by the owner only, before SQLite opens it: SQLite would create it
 * 0644 (minus the umask), and gives its -wal and -shm files the database file's own mode.
 * Returns false when the file already existed (it is then left untouched).
 */
export function createPrivateFile(file: string, opts: { exclusive?: boolean } = {}): boolean {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !opts.exclusive) return false;
    throw err;
  }
}
