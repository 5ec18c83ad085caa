/**
 * A bug nobody caught ends the process with one JSON log line (stack kept) and a non-zero code; a
 * configuration mistake ends it with one plain line that says what to fix, without a stack.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RUN_TS } from './helpers/run-ts.js';

function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('process guards', () => {
  it('an unhandled rejection is one JSON line with its stack and cause, and exit code 1', async () => {
    const script = [
      "import { createLogger } from './src/core/log.ts';",
      "import { installProcessGuards } from './src/server/process-guards.ts';",
      "installProcessGuards(createLogger('info'));",
      "setTimeout(() => {}, 60000);",
      "Promise.reject(new Error('nobody caught me', { cause: new Error('the root of it') }));",
    ].join('\n');
    const { code, stderr } = await runNode([...RUN_TS, '--input-type=module', '-e', script]);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'error', msg: 'unhandled promise rejection; exiting' });
    expect(line.err.message).toBe('nobody caught me');
    expect(line.err.stack).toContain('at ');
    expect(line.err.cause.message).toBe('the root of it');
  });

  it('an uncaught exception too', async () => {
    const script = [
      "import { createLogger } from './src/core/log.ts';",
      "import { installProcessGuards } from './src/server/process-guards.ts';",
      "installProcessGuards(createLogger('info'));",
      "setTimeout(() => { throw new TypeError('thrown in a timer'); }, 1);",
    ].join('\n');
    const { code, stderr } = await runNode([...RUN_TS, '--input-type=module', '-e', script]);
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim());
    expect(line).toMatchObject({ msg: 'uncaught exception; exiting', err: { type: 'TypeError', message: 'thrown in a timer' } });
  });

  it('a configuration error is one plain line without a stack', async () => {
    const { code, stderr } = await runNode([...RUN_TS, 'src/main.ts'], { LOG_FORMAT: 'colourful', DATABASE_URL: '', ICSSI_SECRET: 'a-secret-of-enough-length' });
    expect(code).toBe(1);
    expect(stderr).toBe('LOG_FORMAT must be json or pretty\n');
  });
});
