/**
 * npm run bench:announce [-- --recipients 10000 --rate 50 --runs 3]
 *
 * An announcement to `recipients` people on Telegram, through the whole sending path: recipients
 * stored in SQLite, each copy claimed and marked, sent by the real Telegram adapter over HTTP to
 * the fake Bot API — which enforces `rate` sendMessage calls per second (a bucket of one second's
 * worth, refilled at that rate) and answers 429 above it. The pacer is set to 98 % of that rate. Prints, per run and as the median: the
 * rate the fake saw (first to last arrival), its share of the limit, and the 429s (the goal: at
 * least 95 % and none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TelegramAdapter } from '../adapters/telegram/adapter.js';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { Pacer } from '../src/announcements/pacer.js';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { coreApi } from '../src/core/bot-core.js';
import { organiserReports } from '../src/organisers/reports.js';
import { silentLogger } from '../src/core/log.js';
import { openStore } from '../src/storage/open-store.js';
import { PrismaStore } from '../src/storage/prisma-store.js';
import { PrismaAnnouncementStore } from '../src/storage/prisma-announcements.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
  },
});
const RECIPIENTS = Number(values.recipients);
const RATE = Number(values.rate);
const RUNS = Number(values.runs);
const SECRET = 'bench-announce-secret';

interface Result {
  sent: number;
  seconds: number;
  perSecond: number;
  share: number;
  tooMany: number;
}

async function run(dir: string, n: number): Promise<Result> {
  const api = new FakeBotApi();
  await api.start();
  api.limitRate(RATE);
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const store = (await openStore(`file:${join(dir, `announce-${n}.db`)}`)) as PrismaStore;
  const at = new Date();
  for (let i = 0; i < RECIPIENTS; i += 1000) {
    await store.db.participant.createMany({
      data: Array.from({ length: Math.min(1000, RECIPIENTS - i) }, (_, k) => ({
        platform: 'telegram', platformUserId: String(100_000_000 + i + k), locale: (['en', 'ar', 'ckb'] as const)[(i + k) % 3]!, consentAt: at, lastInboundAt: at,
      })),
    });
  }
  const dispatcher = new Dispatcher({ store, i18n, call, secret: SECRET, logger: silentLogger });
  const core = coreApi(dispatcher);
  // Every 429 reaches the pacer (none is waited inside the request), so any would be counted.
  const adapter = new TelegramAdapter({
    config: { token: api.token, mode: 'polling', webhookSecret: undefined, webhookUrl: undefined, adminIds: new Set(), apiRoot: api.apiRoot }, core, reports: organiserReports({ store, core, secret: SECRET }), logger: silentLogger, maxRetryAfterSeconds: 0,
  });
  const announcements = new Announcements({
    store: new PrismaAnnouncementStore(store), renderer: dispatcher.renderer, channels: announcementChannels([adapter]), clock: () => new Date(), logger: silentLogger,
    pacers: { telegram: new Pacer({ ratePerSecond: RATE * 0.98, perChatMs: 1000 }) },
    concurrency: 128,
  });
  const { id } = await announcements.create(call.id, { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' }, expiresAt: null }, 'bench');
  await announcements.send(id);
  const calls = api.callsOf('sendMessage');
  const ok = calls.filter((c) => c.status === 200);
  const seconds = (ok.at(-1)!.at - ok[0]!.at) / 1000;
  // n messages span n−1 intervals.
  const perSecond = (ok.length - 1) / seconds;
  await store.close();
  await api.close();
  return { sent: ok.length, seconds, perSecond, share: perSecond / RATE, tooMany: calls.filter((c) => c.status === 429).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'icssi-announce-bench-'));
try {
  const results: Result[] = [];
  for (let n = 1; n <= RUNS; n++) {
    const r = await run(dir, n);
    results.push(r);
    console.log(`run ${n}: ${r.sent} sent in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s (${(r.share * 100).toFixed(1)} % of ${RATE}/s), ${r.tooMany} × 429`);
  }
  const summary = {
    recipients: RECIPIENTS,
    limitPerSecond: RATE,
    runs: RUNS,
    medianPerSecond: Number(median(results.map((r) => r.perSecond)).toFixed(1)),
    medianShareOfLimit: Number((median(results.map((r) => r.share)) * 100).toFixed(1)),
    total429: results.reduce((s, r) => s + r.tooMany, 0),
  };
  console.log(`\nmedian: ${summary.medianPerSecond}/s = ${summary.medianShareOfLimit} % of the limit; 429s in all runs: ${summary.total429}`);
  console.log(JSON.stringify(summary));
  if (summary.medianShareOfLimit < 95 || summary.total429 > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
