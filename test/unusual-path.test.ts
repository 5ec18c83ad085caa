/**
 * A checkout in a folder whose name has a space and an Arabic letter: every asset (locales, the
 * call definition, migrations) is found, from the sources (`npm start`) and from the compiled
 * build (`npm run start:prod`). Paths built from `new URL(…).pathname` kept `%20` and failed here.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(mkdtempSync(join(tmpdir(), 'icssi-path-')), 'my bot ع');
const env = { ...process.env, LOG_LEVEL: 'silent', LANG: 'en_GB.UTF-8', LC_ALL: '', DATABASE_URL: '', ICSSI_SECRET: '' };

/** Runs a node entry point inside the copy with piped input (the console's scripted mode). */
function chat(args: string[], input: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: root, env }, (err, stdout, stderr) =>
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
    child.stdin!.end(input);
  });
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'adapters', 'config', 'locales', 'prisma', 'generated']) {
    cpSync(join(process.cwd(), entry), join(root, entry), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  }
  // The installed packages are shared (read-only use); everything the project reads is copied.
  symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
}, 120_000);
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

describe('a checkout in "my bot ع"', () => {
  it('npm start (sources through tsx) finds the locales, the call and the migrations', async () => {
    const r = await chat(['--import', 'tsx/esm', 'src/main.ts'], '1\n1\n1\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // LANG=en_GB: greeted in English and straight to the terms (1: I agree, 1: About, 1: About again).
    expect(r.stdout).toContain('Do you agree?');
    expect(r.stdout).toContain('Iraqi Civil Society Solidarity Initiative');
  });

  it('npm run start:prod (the compiled build in dist/) does too, and the CLI answers from dist/', async () => {
    const r = await chat(['dist/src/main.js'], '1\n1\n1\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Iraqi Civil Society Solidarity Initiative');
    const { stdout } = await run(process.execPath, ['dist/src/cli/main.js', 'stats', '--json'], { cwd: root, env });
    expect(JSON.parse(stdout).participants.consented).toBe(1);
  });
});
