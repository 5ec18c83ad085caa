/**
 * The bot as `npm start` runs it, a child process serving Telegram's webhook against the fake Bot
 * API: started, told updates over real HTTP, killed. Shared by the crash test and its bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Update } from 'grammy/types';
import type { FakeBotApi } from '../fakes/telegram-bot-api.js';
import { RUN_TS } from './run-ts.js';

export const PROCESS_WEBHOOK_SECRET = 'crash-hook-secret_123';

export class BotProcess {
  log = '';
  port = 0;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** When the process was spawned and when it listened (performance.now(), this process's clock). */
  readonly spawnedAt = performance.now();
  listeningAt = 0;
  private readonly child: ChildProcess;

  constructor(api: FakeBotApi, databaseUrl: string, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [...RUN_TS, 'src/main.ts'], {
      env: {
        ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl,
        ICSSI_SECRET: 'crash-test-secret-0123456789', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: PROCESS_WEBHOOK_SECRET, TELEGRAM_API_ROOT: api.apiRoot, ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once the server listens (the port is chosen by the system and logged). */
  listening(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.stderr!.on('data', (c: Buffer) => {
        this.log += c.toString('utf8');
        if (this.port) return;
        const m = this.log.split('\n').map((l) => /"msg":"listening"/.test(l) && /"port":(\d+)/.exec(l)).find(Boolean);
        if (m) {
          this.port = Number(m[1]);
          this.listeningAt = performance.now();
          resolve();
        }
      });
      void this.exited.then(() => reject(new Error(`exited before listening:\n${this.log}`)));
    });
  }

  /** Posts an update to the webhook as Telegram does; the 200's body is performed as a Bot API method. */
  async post(api: FakeBotApi, update: Update): Promise<{ status: number; body: string }> {
    // A 503 (the platform's start still under way, src/server/platform-start.ts) is delivered
    // again, as Telegram does, sooner than Telegram would: every 100 ms for up to 15 s.
    for (let i = 0; i < 150; i++) {
      const answered = await this.postOnce(api, update);
      if (answered.status !== 503) return answered;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.postOnce(api, update);
  }

  private async postOnce(api: FakeBotApi, update: Update): Promise<{ status: number; body: string }> {
    const r = await fetch(`http://127.0.0.1:${this.port}/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': PROCESS_WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    const body = await r.text();
    await api.performWebhookAnswer(r.status, body);
    return { status: r.status, body };
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }
}
