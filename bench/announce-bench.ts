/**
 * npm run bench:announce [-- --recipients 600 --runs 1 --inject-after 200 --retry-after 3]
 *
 * An announcement to `recipients` people on Telegram, built exactly as production builds it (the
 * app, the configured adapters and their senders from the environment, the pacer's default rate),
 * through the whole sending path: recipients stored in SQLite, each copy claimed and marked, sent
 * by the real Telegram adapter over HTTP to the fake Bot API — which enforces Telegram's limits
 * (30 messages per second overall, 1 per second per chat, 429 with retry_after, and every call
 * inside a wait refused again) and answers the `inject-after`-th sendMessage with a 429 of
 * `retry-after` seconds whatever the rate.
 *
 * Prints per run: copies delivered, the rate while sending (the ordered waits left out) and its
 * share of the 30/s limit, the 429s, the requests that arrived inside a retry_after window, the
 * most requests in any one second and in the first second. The goal: 0 inside a window, never
 * more than 30 in any second, at least 95 % of the limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../src/config/env.js';
import { buildRuntime } from '../src/runtime.js';
import { PrismaStore } from '../src/storage/prisma-store.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '600' },
    runs: { type: 'string', default: '1' },
    'inject-after': { type: 'string', default: '200' },
    'retry-after': { type: 'string', default: '3' },
  },
});
const RECIPIENTS = Number(values.recipients);
const RUNS = Number(values.runs);
const INJECT_AFTER = Number(values['inject-after']);
const RETRY_AFTER = Number(values['retry-after']);
const LIMIT = 30;

interface Result {
  sent: number;
  /** First to last delivered copy, waits included. */
  total: number;
  seconds: number;
  perSecond: number;
  share: number;
  tooMany: number;
  insideWindows: number;
  maxInAnySecond: number;
  firstSecond: number;
}

async function run(dir: string, n: number): Promise<Result> {
  const api = new FakeBotApi();
  await api.start();
  api.telegramLimits({ perSecond: LIMIT, perChatMs: 1000, ...(INJECT_AFTER > 0 ? { inject: { afterCalls: INJECT_AFTER, retryAfter: RETRY_AFTER } } : {}) });
  // Production's own configuration, from the environment as `npm run icssi -- announce` reads it.
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: `file:${join(dir, `announce-${n}.db`)}`, ICSSI_SECRET: 'bench-announce-secret', LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: api.apiRoot,
  };
  for (const k of Object.keys(process.env)) if (k.startsWith('ANNOUNCE_RATE_') || k.startsWith('MESSENGER_') || k.startsWith('SLACK_')) delete env[k];
  // Assembled as `npm run icssi -- announce` assembles it (src/runtime.ts).
  const runtime = await buildRuntime(readConfig(env), { env });
  const { app } = runtime;
  const store = app.store as PrismaStore;
  const at = new Date();
  for (let i = 0; i < RECIPIENTS; i += 1000) {
    await store.db.participant.createMany({
      data: Array.from({ length: Math.min(1000, RECIPIENTS - i) }, (_, k) => ({
        platform: 'telegram', platformUserId: String(100_000_000 + i + k), locale: (['en', 'ar', 'ckb'] as const)[(i + k) % 3]!, consentAt: at, lastInboundAt: at,
      })),
    });
  }
  const announcements = await runtime.announcements();
  const { id } = await announcements.create(app.call.id, { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' }, expiresAt: null }, 'bench');
  await announcements.send(id);
  const ok = api.callsOf('sendMessage').filter((c) => c.status === 200);
  const report = api.floodReport();
  const span = ok.at(-1)!.at - ok[0]!.at;
  // The time Telegram ordered the whole bot to wait is not sending time (waits overlap: their union).
  let waited = 0;
  let reached = ok[0]!.at;
  for (const w of report.windows.filter((x) => !x.chat).sort((x, y) => x.from - y.from)) {
    const from = Math.max(w.from, reached);
    const until = Math.min(w.until, ok.at(-1)!.at);
    if (until > from) waited += until - from;
    reached = Math.max(reached, w.until);
  }
  const seconds = (span - Math.max(0, waited)) / 1000;
  // n messages span n−1 intervals.
  const perSecond = (ok.length - 1) / seconds;
  await runtime.close();
  await api.close();
  return { sent: ok.length, total: span / 1000, seconds, perSecond, share: perSecond / LIMIT, tooMany: report.tooMany, insideWindows: report.insideWindows, maxInAnySecond: report.maxInAnySecond, firstSecond: report.firstSecond };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'icssi-announce-bench-'));
try {
  const results: Result[] = [];
  for (let n = 1; n <= RUNS; n++) {
    const r = await run(dir, n);
    results.push(r);
    console.log(
      `run ${n}: ${r.sent}/${RECIPIENTS} delivered in ${r.total.toFixed(1)} s, ${r.seconds.toFixed(1)} s of it sending = ${r.perSecond.toFixed(1)}/s (${(r.share * 100).toFixed(1)} % of ${LIMIT}/s); ` +
        `${r.tooMany} × 429, ${r.insideWindows} requests inside a retry_after window, at most ${r.maxInAnySecond} in any 1 s, ${r.firstSecond} in the first second`,
    );
  }
  const summary = {
    recipients: RECIPIENTS,
    limitPerSecond: LIMIT,
    runs: RUNS,
    injected429: INJECT_AFTER > 0 ? { afterCalls: INJECT_AFTER, retryAfterSeconds: RETRY_AFTER } : null,
    delivered: results.map((r) => r.sent),
    medianPerSecond: Number(median(results.map((r) => r.perSecond)).toFixed(1)),
    medianShareOfLimit: Number((median(results.map((r) => r.share)) * 100).toFixed(1)),
    total429: results.reduce((s, r) => s + r.tooMany, 0),
    insideWindows: results.reduce((s, r) => s + r.insideWindows, 0),
    maxInAnySecond: Math.max(...results.map((r) => r.maxInAnySecond)),
    maxFirstSecond: Math.max(...results.map((r) => r.firstSecond)),
  };
  console.log(`\nmedian: ${summary.medianPerSecond}/s = ${summary.medianShareOfLimit} % of the limit; requests inside retry_after windows: ${summary.insideWindows}; most in any 1 s: ${summary.maxInAnySecond}; first second: ${summary.maxFirstSecond}`);
  console.log(JSON.stringify(summary));
  const allDelivered = results.every((r) => r.sent === RECIPIENTS);
  if (summary.medianShareOfLimit < 95 || summary.insideWindows > 0 || summary.maxInAnySecond > LIMIT || !allDelivered) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
