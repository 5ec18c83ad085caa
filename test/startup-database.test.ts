/**
 * A database that cannot be opened at start: the process exits 1 with one line that keeps the
 * database's own reason, so the operator can tell a missing database from a server that refuses
 * connections. Against the real PostgreSQL on 127.0.0.1:5432 and a port nothing listens on.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RUN_TS } from './helpers/run-ts.js';

function start(databaseUrl: string) {
  return spawnSync(process.execPath, [...RUN_TS, 'src/main.ts'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, ICSSI_SECRET: 'startup-database-secret-0123456789' },
    input: '',
    timeout: 30_000,
  });
}

async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('a database that cannot be opened at start', () => {
  it('a missing PostgreSQL database is named as missing', () => {
    const r = start('postgresql://postgres@127.0.0.1:5432/icssi_startup_no_such_database');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Cannot connect to PostgreSQL (postgresql://postgres@127.0.0.1:5432/icssi_startup_no_such_database): database "icssi_startup_no_such_database" does not exist');
  });

  it('a server that refuses connections is named as refusing', async () => {
    const port = await refusingPort();
    const r = start(`postgresql://icssi:pw@127.0.0.1:${port}/icssi`);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^Cannot connect to PostgreSQL \\(postgresql://icssi:\\*+@127\\.0\\.0\\.1:${port}/icssi\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
  });
});
