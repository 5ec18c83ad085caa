/**
 * The bot as a real process (what `npm start` runs), on a real SQLite file: killed in the middle of
 * the flow it resumes; SIGTERM ends it cleanly; a broken call definition stops it with the field
 * named.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textOf } from './helpers/texts.js';
import { RUN_TS } from './helpers/run-ts.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Bot {
  out = '';
  err = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [...RUN_TS, 'src/main.ts'], {
      env: { ...process.env, LOG_LEVEL: 'silent', LANG: 'en_GB.UTF-8', LC_ALL: '', ICSSI_SECRET: 'process-test-secret-123', ...env },
    });
    this.child.stdout.on('data', (c: Buffer) => (this.out += c.toString('utf8')));
    this.child.stderr.on('data', (c: Buffer) => (this.err += c.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Waits until the output (after `from`) contains `text`: the bot's answer, not a timer. */
  async waitFor(text: string, from = 0): Promise<void> {
    while (!this.out.slice(from).includes(text)) {
      const r = await Promise.race([new Promise((r) => this.child.stdout.once('data', r)), this.exited.then(() => 'exit')]);
      if (r === 'exit' && !this.out.slice(from).includes(text)) throw new Error(`exited before "${text}":\n${this.out}\n${this.err}`);
    }
  }

  async say(line: string, expect: string): Promise<void> {
    const from = this.out.length;
    this.child.stdin.write(line + '\n');
    await this.waitFor(expect, from);
  }

  kill(signal: NodeJS.Signals) {
    this.child.kill(signal);
    return this.exited;
  }

  end() {
    this.child.stdin.end();
    return this.exited;
  }
}

describe('the bot as a process', () => {
  it('killed with SIGKILL in the middle of writing, a new process continues the draft', async () => {
    const env = { DATABASE_URL: `file:${join(dir, 'kill.db')}` };
    const first = new Bot(env);
    // LANG=en_GB: greeted in English and straight to the terms.
    await first.waitFor('Do you agree?');
    await first.say('1', 'What would you like to do?');
    await first.say('2', 'Which topic');
    await first.say('2', 'What name should appear');
    await first.say('Rezan', 'Your organisation');
    await first.say('1', 'Your country');
    await first.say('1', 'An e-mail address');
    await first.say('1', 'Now write your contribution');
    await first.say(textOf('en', 120), '120 words so far');
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');

    const second = new Bot(env);
    await second.waitFor('Welcome back');
    await second.say(textOf('en', 90), '210 words so far');
    await second.say('Done', 'Please check your contribution');
    await second.say('1', 'Your receipt code is ICS-');
    expect(second.out).toContain(textOf('en', 120));
    expect((await second.end()).code).toBe(0);
  }, 60_000);

  it('ends cleanly on SIGTERM and keeps what was stored', async () => {
    const env = { DATABASE_URL: `file:${join(dir, 'term.db')}` };
    const bot = new Bot(env);
    await bot.waitFor('Do you agree?');
    await bot.say('4', 'ڕازین؟'); // Sorani chosen on the English terms: the consent question comes in Sorani
    expect((await bot.kill('SIGTERM')).code).toBe(0);
    const again = new Bot(env);
    // The language chosen before SIGTERM is still the conversation's: the question comes again in Sorani.
    await again.waitFor('ڕازین؟');
    expect(again.out).not.toContain('Do you agree?');
    expect((await again.end()).code).toBe(0);
  }, 60_000);

  it('refuses to start with a broken call definition, naming the field', async () => {
    const file = join(dir, 'broken-call.json');
    const good = JSON.parse(readFileSync('config/calls/icssi-2019.json', 'utf8'));
    writeFileSync(file, JSON.stringify({ ...good, timezone: 'Mars/Olympus', words: { min: 300, max: 200, target: 250 } }));
    const bot = new Bot({ DATABASE_URL: `file:${join(dir, 'broken.db')}`, CALL_DEFINITION: file });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.err).toContain('timezone: "Mars/Olympus" is not an IANA timezone');
    expect(bot.err).toContain('words: min (300) is more than max (200)');
    expect(bot.err).not.toMatch(/at .*\.ts:\d+/); // a message for a person, not a stack trace
  }, 60_000);
});
