/**
 * Announcements against a fake Bot API that enforces Telegram's limits (30 messages per second,
 * one per second per chat, 429 with retry_after, every call inside a wait refused again), sent by
 * the CLI as operators run it — a process of its own, built as production builds it:
 * - one injected 429 pauses the whole bot for exactly its retry_after: no request arrives inside
 *   the wait, and it does not cascade into more 429s; a fresh process's first second stays within
 *   the limit;
 * - the pacer counts a send at its answer: first requests slow on their way (a fresh process)
 *   do not let the next second's sends pile onto them;
 * - two processes resuming the same announcement at once lose no copy: neither takes the copies
 *   the other is sending, and every copy delivered is recorded as sent.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { RUN_TS } from './helpers/run-ts.js';
import { seed, sqliteStore } from './helpers/announce.js';

let api: FakeBotApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', LANG: 'en_GB.UTF-8', LC_ALL: '', ICSSI_SECRET: 'pacing-test-secret-123', ...env },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => out };
}

async function people(n: number, first: number): Promise<{ file: string; chats: string[] }> {
  const { store, file } = await sqliteStore();
  const chats = Array.from({ length: n }, (_, i) => String(first + i));
  for (const chat of chats) await seed(store, { platform: 'telegram', userId: chat, locale: 'en', at: new Date() });
  await store.close();
  return { file, chats };
}

const envOf = (file: string, bot: FakeBotApi, extra: Record<string, string> = {}) => ({
  DATABASE_URL: `file:${file}`, TELEGRAM_BOT_TOKEN: bot.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: bot.apiRoot, ...extra,
});

describe('an announcement from the CLI under Telegram\'s limits', () => {
  it('pauses the whole bot for exactly a 429\'s retry_after: nothing inside the wait, no cascade, no burst at start', async () => {
    api = new FakeBotApi();
    await api.start();
    // The 20th message gets a 429 asking for 2 s, whatever the rate (Telegram under load).
    api.telegramLimits({ perSecond: 30, perChatMs: 1000, inject: { afterCalls: 20, retryAfter: 2 } });
    const { file, chats } = await people(90, 910_000);
    // The production rate (no ANNOUNCE_RATE_TELEGRAM): the pacer's default.
    const run = cli(['announce', '--text-en', 'The programme is out.', '--yes'], envOf(file, api));
    expect((await run.exited).code, run.output()).toBe(0);

    const report = api.floodReport();
    // One wait ordered — the injected one — and no request arrived inside it.
    expect(report.windows).toHaveLength(1);
    expect(report.insideWindows).toBe(0);
    expect(report.tooMany).toBe(1);
    expect(report.maxInAnySecond).toBeLessThanOrEqual(30);
    expect(report.firstSecond).toBeLessThanOrEqual(30);
    // The copy refused with the 429 went again after the wait, once; everyone got it once.
    const ok = api.callsOf('sendMessage').filter((c) => c.status === 200);
    expect(chats.filter((c) => ok.filter((k) => String(k.params.chat_id) === c).length !== 1)).toEqual([]);
    const w = report.windows[0]!;
    expect(ok.filter((c) => c.at > w.from).every((c) => c.at >= w.until)).toBe(true);
    expect(run.output()).toContain('90 sent, 0 held, 0 failed, 0 uncertain');
  }, 60_000);
});

describe('a fresh process whose first requests are slow on their way', () => {
  it('counts each send at its answer: the next second\'s sends do not pile onto the late ones', async () => {
    api = new FakeBotApi();
    await api.start();
    api.telegramLimits({ perSecond: 30, perChatMs: 1000 });
    // The first ten take 300 ms to arrive; counted when they were picked, the sends of the next
    // second would arrive within the same second as them.
    api.slowArrivals(10, 300);
    const { file } = await people(75, 930_000);
    const run = cli(['announce', '--text-en', 'The programme is out.', '--yes'], envOf(file, api));
    expect((await run.exited).code, run.output()).toBe(0);
    const report = api.floodReport();
    expect(report.maxInAnySecond).toBeLessThanOrEqual(30);
    expect(report.tooMany).toBe(0);
    expect(run.output()).toContain('75 sent, 0 held, 0 failed');
  }, 60_000);
});

describe('two processes resuming the same announcement', () => {
  it('share its pending copies: nobody twice, and every copy delivered recorded as sent', async () => {
    api = new FakeBotApi();
    await api.start();
    const { file, chats } = await people(120, 920_000);
    const env = envOf(file, api, { ANNOUNCE_RATE_TELEGRAM: '30' });
    const delivered = () => api!.callsOf('sendMessage').filter((c) => c.status === 200);

    // A first sender killed mid-way: its copies in flight stay `sending` (later: uncertain).
    const first = cli(['announce', '--text-en', 'The programme is out.', '--yes'], env);
    await api.waitFor(() => delivered().length >= 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = delivered().length;
    const { store: reopened, announcements } = await sqliteStore.reopen(file);
    const [a] = await announcements.list();
    await reopened.close();

    // One resumes; once it is sending (claims in flight), a second resumes the same announcement.
    const one = cli(['announce', '--resume', a!.id], env);
    await api.waitFor(() => delivered().length >= atKill + 10);
    const two = cli(['announce', '--resume', a!.id], env);
    expect((await one.exited).code, one.output()).toBe(0);
    expect((await two.exited).code, two.output()).toBe(0);

    const again = await sqliteStore.reopen(file);
    const rows = await again.store.db.announcementDelivery.findMany({ where: { announcementId: a!.id }, include: { participant: { select: { platformUserId: true } } } });
    await again.store.close();
    const statusOf = new Map(rows.map((r) => [r.participant.platformUserId, r.status]));
    const times = (chat: string) => delivered().filter((c) => String(c.params.chat_id) === chat).length;
    expect(chats.filter((c) => times(c) > 1)).toEqual([]);
    // Every copy delivered after the kill is recorded as sent: neither resumer took the other's
    // copies for a dead sender's.
    const afterKill = new Set(delivered().slice(atKill).map((c) => String(c.params.chat_id)));
    expect([...afterKill].filter((c) => statusOf.get(c) !== 'sent')).toEqual([]);
    // Only the killed sender's copies in flight can be uncertain; the rest were sent.
    expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'uncertain')).toEqual([]);
    const uncertain = rows.filter((r) => r.status === 'uncertain').map((r) => r.participant.platformUserId);
    expect(uncertain.every((c) => !afterKill.has(c))).toBe(true);
    expect(chats.filter((c) => times(c) === 0).every((c) => statusOf.get(c) === 'uncertain')).toBe(true);
  }, 90_000);
});
