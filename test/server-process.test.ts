/**
 * `npm start` with a platform configured: the one HTTP server comes up with the platform's webhook,
 * /healthz reports the database, a webhook without its secret is refused, and SIGTERM ends the
 * process cleanly. The Telegram Bot API is the project's fake, on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { RUN_TS } from './helpers/run-ts.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-server-'));
const api = new FakeBotApi();
beforeAll(() => api.start());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start with Telegram configured', () => {
  it('serves the webhook and /healthz on one port, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...RUN_TS, 'src/main.ts'], {
      env: {
        ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'bot.db')}`,
        ICSSI_SECRET: 'server-test-secret-0123456789', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret_123', TELEGRAM_API_ROOT: api.apiRoot,
      },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let log = '';
    // The port is chosen by the system (PORT=0) and logged once the server listens.
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        log += c.toString('utf8');
        const listening = log.split('\n').map((l) => /"msg":"listening"/.test(l) && /"port":(\d+)/.exec(l)).find(Boolean);
        if (listening) resolve(Number(listening[1]));
      });
      void exited.then(() => reject(new Error(`exited before listening:\n${log}`)));
    });
    expect(log).toContain('"platforms":["telegram"]');
    // Telegram starts (getMe) after the server listens; until then /readyz names it (platform-down.test.ts).
    await new Promise<void>((resolve, reject) => {
      const look = () => (/"platform":"telegram".*"msg":"platform started"/.test(log) ? resolve() : undefined);
      child.stderr.on('data', look);
      look();
      void exited.then(() => reject(new Error(`exited before Telegram started:\n${log}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'reachable' });
    const unsigned = await fetch(`http://127.0.0.1:${port}/telegram`, { method: 'POST', body: JSON.stringify({ update_id: 1 }) });
    expect(unsigned.status).toBe(401);
    // Logs never hold the token.
    expect(log).not.toContain(api.token.split(':')[1]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
