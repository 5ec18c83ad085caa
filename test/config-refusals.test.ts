/**
 * Variables left empty in .env are refused with one clear line, instead of being read as 0:
 * `PORT=` gave the server a random free port (no platform could reach it) and
 * `SHUTDOWN_GRACE_SECONDS=` no grace at all, without a word.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config/env.js';
import { RUN_TS } from './helpers/run-ts.js';

const base = { ICSSI_SECRET: 'config-test-secret-0123456789' };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    readConfig({ ...base, ...env });
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

describe('PORT and SHUTDOWN_GRACE_SECONDS', () => {
  it('keep their defaults when absent and take a whole number', () => {
    expect(readConfig(base)).toMatchObject({ port: 3000, shutdownGraceSeconds: 10 });
    expect(readConfig({ ...base, PORT: '8080', SHUTDOWN_GRACE_SECONDS: '0' })).toMatchObject({ port: 8080, shutdownGraceSeconds: 0 });
  });

  it('are refused when set but empty, naming the variable and what to write', () => {
    expect(refusal({ PORT: '' })).toBe('PORT is set but empty: give it a port number from 1 to 65535 (e.g. 3000), or remove the line to use 3000');
    expect(refusal({ PORT: '  ' })).toMatch(/^PORT is set but empty/);
    expect(refusal({ SHUTDOWN_GRACE_SECONDS: '' })).toBe('SHUTDOWN_GRACE_SECONDS is set but empty: give it a number of seconds (e.g. 10), or remove the line to use 10');
  });

  it('are refused when not a whole number in range', () => {
    expect(refusal({ PORT: 'http' })).toMatch(/^PORT must be a port number/);
    expect(refusal({ PORT: '70000' })).toMatch(/^PORT must be a port number from 1 to 65535, not "70000"/);
    expect(refusal({ SHUTDOWN_GRACE_SECONDS: '-5' })).toMatch(/^SHUTDOWN_GRACE_SECONDS must be a number of seconds/);
    expect(refusal({ SHUTDOWN_GRACE_SECONDS: 'ten' })).toMatch(/^SHUTDOWN_GRACE_SECONDS must be a number of seconds/);
  });
});

describe('npm start with PORT= left empty', () => {
  it('exits 1 with the one line, no stack trace', () => {
    const r = spawnSync(process.execPath, [...RUN_TS, 'src/main.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...base, PORT: '', TELEGRAM_BOT_TOKEN: '7000000001:AAF-fake-token_for-tests-0123456789', TELEGRAM_MODE: 'polling' },
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('PORT is set but empty: give it a port number from 1 to 65535 (e.g. 3000), or remove the line to use 3000');
  });
});
