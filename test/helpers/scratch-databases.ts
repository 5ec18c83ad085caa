/**
 * Empty databases for a test file: new SQLite files in a temporary folder, or new PostgreSQL
 * databases beside the run's own (test/global-setup.ts). Everything is removed after the file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { connectRaw, type RawTarget } from '../../src/storage/raw-connection.js';
import { pgUrl, siblingUrl } from '../pg-helpers.js';

export interface ScratchDatabases {
  /** The temporary folder (SQLite files, and anything else the file writes). */
  dir: string;
  /** A new empty database of the provider. */
  empty(provider: RawTarget['provider']): Promise<RawTarget>;
}

/** The DATABASE_URL that opens a target (`file:` for SQLite). */
export function databaseUrl(target: RawTarget): string {
  return target.provider === 'sqlite' ? `file:${target.file}` : target.url;
}

/** Call at the top level of a test file; `tag` names the folder and the PostgreSQL databases. */
export function scratchDatabases(tag: string): ScratchDatabases {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `icssi-${tag}-`));
  const dropAfter: string[] = [];
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (dropAfter.length === 0) return;
    const admin = await connectRaw({ provider: 'postgresql', url: pgUrl() });
    for (const name of dropAfter) await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.close();
  });
  return {
    dir,
    async empty(provider) {
      const id = randomBytes(4).toString('hex');
      if (provider === 'sqlite') return { provider, file: path.join(dir, `${id}.db`) };
      const name = `icssi_${tag.replace(/\W/g, '_')}_${id}`;
      const admin = await connectRaw({ provider, url: pgUrl() });
      await admin.exec(`CREATE DATABASE "${name}"`);
      await admin.close();
      dropAfter.push(name);
      return { provider, url: siblingUrl(pgUrl(), name) };
    },
  };
}
