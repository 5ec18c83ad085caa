/**
 * `npm run icssi -- review`: an organiser's decision from the command line is recorded with who
 * made it, and the author — here on Telegram, writing in Arabic — is told through the platform
 * configured for the CLI (the project's fake Bot API).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { InboundEvent } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { textOf } from './helpers/texts.js';
import { RUN_TS } from './helpers/run-ts.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'icssi-review-'));
const db = join(dir, 'review.db');
const SECRET = 'review-test-secret-0123456789';
const api = new FakeBotApi();
let code = '';

beforeAll(async () => {
  await api.start();
  const store = await openStore(`file:${db}`);
  const i18n = await createI18n();
  const dispatcher = new Dispatcher({ store, i18n, call: loadCallDefinition(DEFAULT_CALL_FILE, i18n), secret: SECRET });
  let receipt = '';
  dispatcher.registerSender('telegram', async (_ref, m) => {
    receipt = m.text.match(/ICS-[A-Z0-9]{6}/)?.[0] ?? receipt;
  });
  const conversation = { platform: 'telegram' as const, chatId: '5551234', userId: '5551234' };
  const say = (e: Record<string, unknown>) =>
    dispatcher.handle({ id: randomUUID(), platform: 'telegram', conversation, receivedAt: new Date(), raw: null, localeHint: 'ar', ...e } as InboundEvent);
  await say({ kind: 'command', command: 'start', args: '' });
  for (const choice of ['lang:ar', 'consent:yes', 'menu:submit', 'topic:3']) await say({ kind: 'choice', choice });
  await say({ kind: 'message', text: 'سلام' });
  for (const skip of ['organisation', 'country', 'email']) await say({ kind: 'choice', choice: `skip:${skip}` });
  await say({ kind: 'message', text: textOf('ar', 220) });
  await say({ kind: 'choice', choice: 'body:done' });
  await say({ kind: 'choice', choice: 'review:confirm' });
  code = receipt;
  await store.close();
}, 60_000);
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const icssi = (...args: string[]) =>
  run(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: `file:${db}`, ICSSI_SECRET: SECRET, LANG: 'en_GB.UTF-8', LC_ALL: '', LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: api.apiRoot },
  });

describe('npm run icssi -- review', () => {
  it('records a request for a revision and tells the author in Arabic on Telegram', async () => {
    expect(code).toMatch(/^ICS-/);
    const { stdout } = await icssi('review', code.toLowerCase().replace('-', ' '), 'revise', '--note', 'أضف مثالًا من البصرة', '--as', 'organiser-1');
    expect(stdout).toContain(`Decision recorded for ${code}.`);
    expect(stdout).toContain('The author has been told.');
    const sent = api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === '5551234');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.params.text)).toContain('يطلب المنظمون منك تعديل مساهمتك');
    expect(String(sent[0]!.params.text)).toContain('أضف مثالًا من البصرة');
    const { stdout: json } = await icssi('stats', '--json');
    expect(JSON.parse(json).contributions.byState.revision_requested).toBe(1);
    const store = await openStore(`file:${db}`);
    expect((await store.history(code)).at(-1)).toMatchObject({ to: 'revision_requested', actor: 'cli:organiser-1', note: 'أضف مثالًا من البصرة' });
    await store.close();
  }, 60_000);

  it('explains its usage and refuses unknown codes', async () => {
    await expect(icssi('review', code, 'maybe')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('accept|decline|revise') });
    await expect(icssi('review', 'ICS-333333', 'accept')).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('There is no contribution ICS-333333') });
  }, 60_000);
});
