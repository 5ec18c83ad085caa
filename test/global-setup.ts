/**
 * Creates one PostgreSQL database per test run on 127.0.0.1:5432 (user postgres, trust auth, or
 * $TEST_PG_ADMIN_URL) and drops it afterwards. Tests read its URL with inject('pgUrl').
 *
 * When the server cannot be reached we do not throw here (that would stop every test, the ones
 * needing no database included): we provide the reason as 'pgError', and the PostgreSQL suites
 * fail with it. They never skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `icssi_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  } catch (err) {
    project.provide('pgUrl', '');
    project.provide('pgError', `PostgreSQL at ${new URL(ADMIN_URL).host} is not usable: ${(err as Error).message}`);
    return async () => undefined;
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  project.provide('pgUrl', url.toString());
  project.provide('pgError', '');
  return async () => {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
}
