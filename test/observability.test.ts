/**
 * What an operator sees: logs (pino JSON lines, the event's platform, id and conversation on every
 * line of an event, errors with stack and cause, nothing secret or personal), metrics (prom-client
 * text with HELP, labels instead of names that embed them, histograms, gauges, process metrics) and
 * the liveness and readiness routes.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, withErrorContext, withLogContext } from '../src/core/log.js';
import { COUNTERS, HISTOGRAMS, Metrics } from '../src/core/metrics.js';
import { silentLogger } from '../src/core/log.js';
import { MemoryStore } from './helpers/memory-store.js';
import { HttpServer } from '../src/server/http-server.js';
import { registerStoreGauges } from '../src/server/store-gauges.js';
import { textOf } from './helpers/texts.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';
import { RUN_TS } from './helpers/run-ts.js';

const run = promisify(execFile);
let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** A whole contribution on Telegram, typed in messages; returns what the person wrote. */
async function fullFlow(b: TelegramTestBot, p: Person): Promise<string[]> {
  const body = textOf('en', 220);
  const typed = ['Rasha Confidential-Name', 'rasha.private@example.org', body];
  const updates = [
    p.command('start'), p.press('lang:en'), p.press('consent:yes'), p.press('menu:submit'), p.press('topic:1'),
    p.text(typed[0]!), p.press('skip:organisation'), p.press('skip:country'), p.text(typed[1]!), p.text(typed[2]!),
    p.press('body:done'), p.press('review:confirm'),
  ];
  for (const u of updates) expect((await b.post(u)).status).toBe(200);
  expect(b.api.messages(p.id).map((m) => m.text).join('\n')).toMatch(/ICS-[0-9A-Z]{6}/);
  return typed;
}

describe('logs', () => {
  it('are JSON lines; every line of an event names its platform, event id and conversation; nothing secret or personal', async () => {
    bot = await startTelegram();
    const p = new Person(5300000077);
    const typed = await fullFlow(bot, p);
    // A failing send is logged inside the event too.
    bot.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3 });
    await bot.post(p.command('help'));
    const lines = bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect(typeof l.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(l.level);
      expect(typeof l.msg).toBe('string');
    }
    const ofEvents = lines.filter((l) => l.msg === 'event processed' || l.msg === 'send failed; reply kept for a retry');
    expect(ofEvents.length).toBeGreaterThan(10);
    for (const l of ofEvents) {
      expect(l.platform).toBe('telegram');
      // The keyed hash of the update id (the stored claim), as on every platform.
      expect(String(l.eventId)).toMatch(/^[\w-]{32}$/);
      expect(String(l.conversation)).toMatch(/^[\w-]{32}$/);
    }
    expect(lines.some((l) => l.msg === 'send failed; reply kept for a retry')).toBe(true);
    const all = bot.logs.join('\n');
    expect(all).not.toContain(bot.api.token.split(':')[1]!);
    for (const t of typed) expect(all).not.toContain(t.slice(0, 30));
    expect(all).not.toContain(String(p.id));
  });

  it('keep an error’s stack and cause, mask tokens in them, and redact fields that must not be logged', () => {
    const out: string[] = [];
    const log = createLogger('info', (l) => out.push(l));
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const err = new Error('request to https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage failed', { cause });
    withLogContext({ platform: 'slack', eventId: 'Ev1', conversation: 'k'.repeat(32) }, () => log.error('boom', { err, token: 'xoxb-1-2-3', text: 'private words' }));
    const line = JSON.parse(out[0]!);
    expect(line).toMatchObject({ level: 'error', msg: 'boom', platform: 'slack', eventId: 'Ev1', token: '[redacted]', text: '[redacted]' });
    expect(line.err.type).toBe('Error');
    expect(line.err.stack).toContain('observability.test.ts');
    expect(line.err.cause.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(out[0]).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
    expect(out[0]).not.toContain('private words');
  });

  it('an error that leaves an event still names the event where it is logged later', async () => {
    const out: string[] = [];
    const log = createLogger('info', (l) => out.push(l));
    const failing = withLogContext({ platform: 'telegram', eventId: '42', conversation: 'c'.repeat(32) }, () =>
      Promise.reject(new Error('after the commit')).catch((err: unknown) => {
        throw withErrorContext(err);
      }),
    );
    const err = await failing.catch((e: unknown) => e);
    // Outside the event now, as an adapter answering its webhook is.
    log.error('telegram update failed after it was stored', { err });
    expect(JSON.parse(out[0]!)).toMatchObject({ platform: 'telegram', eventId: '42', conversation: 'c'.repeat(32), err: { message: 'after the commit' } });
  });

  it('can be read as plain lines in development (LOG_FORMAT=pretty)', async () => {
    const script = "import { createLogger } from './src/core/log.ts'; createLogger('info', undefined, 'pretty').info('hello operator', { platform: 'telegram' });";
    const { stderr } = await run(process.execPath, [...RUN_TS, '--input-type=module', '-e', script]);
    expect(stderr).toContain('hello operator');
    expect(stderr).toContain('platform');
    expect(() => JSON.parse(stderr.trim())).toThrow();
  });
});

describe('metrics', () => {
  it('are prom-client text: HELP for each, labels instead of names, histograms, gauges and process metrics', async () => {
    bot = await startTelegram();
    await fullFlow(bot, new Person(5300000078));
    const metrics = bot.dispatcher.metrics;
    metrics.enableProcessMetrics();
    registerStoreGauges(metrics, bot.store);
    const text = await metrics.toPrometheus();
    const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    for (const n of names) {
      expect(n).toMatch(/^icssi_/);
      // No platform in a metric's name: it is a label.
      expect(n).not.toMatch(/telegram|messenger|slack/);
      const help = new RegExp(`^# HELP ${n} (.+)$`, 'm').exec(text)?.[1] ?? '';
      expect(help.length, n).toBeGreaterThan(15);
      expect(help).not.toContain('not documented');
    }
    expect(text).toMatch(/^icssi_events_total\{platform="telegram",outcome="processed"\} 12$/m);
    expect(text).toMatch(/^icssi_messages_sent_total\{platform="telegram"\} \d+$/m);
    expect(text).toMatch(/^# TYPE icssi_event_handling_seconds histogram$/m);
    expect(text).toMatch(/^icssi_event_handling_seconds_count\{platform="telegram",outcome="processed"\} 12$/m);
    expect(text).toMatch(/^icssi_platform_send_seconds_bucket\{le="\+Inf",platform="telegram"\} \d+$/m);
    expect(text).toMatch(/^icssi_outbox_conversations 0$/m);
    expect(text).toMatch(/^icssi_database_up 1$/m);
    expect(text).toMatch(/^# TYPE icssi_notices_held gauge$/m);
    expect(text).toMatch(/^icssi_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^icssi_nodejs_eventloop_lag_seconds /m);
  });

  it('declares every counter and histogram the code uses, so none goes out without HELP', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
    });
    const used = { inc: new Set<string>(), observe: new Set<string>() };
    for (const f of [...files('src'), ...files('adapters')]) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\.(inc|observe)\(\s*'([a-z_]+)'/g)) used[m[1] as 'inc' | 'observe'].add(m[2]!);
    }
    expect(used.inc.size).toBeGreaterThan(10);
    expect([...used.inc].filter((n) => !COUNTERS[n])).toEqual([]);
    expect([...used.observe].filter((n) => !HISTOGRAMS[n])).toEqual([]);
  });

  it('a gauge whose database read fails is left out; the scrape still answers', async () => {
    const metrics = new Metrics();
    const store = new MemoryStore();
    store.outboxDepth = () => Promise.reject(new Error('database down'));
    store.ping = () => Promise.reject(new Error('database down'));
    registerStoreGauges(metrics, store);
    const text = await metrics.toPrometheus();
    expect(text).toMatch(/^icssi_database_up 0$/m);
    expect(text).toMatch(/^icssi_outbox_conversations Nan$/m);
  });
});

describe('/livez and /readyz', () => {
  it('liveness stays 200 through a database outage; readiness says 503, and 503 while draining; /healthz is readiness', async () => {
    let up = true;
    const server = new HttpServer({ routes: [], databaseReachable: async () => { if (!up) throw new Error('down'); return true; }, metrics: new Metrics(), logger: silentLogger });
    const { port } = await server.listen(0, '127.0.0.1');
    const get = async (path: string) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      return [r.status, await r.json()];
    };
    try {
      expect(await get('/livez')).toEqual([200, { status: 'ok' }]);
      expect(await get('/readyz')).toEqual([200, { status: 'ok', database: 'reachable' }]);
      up = false;
      expect(await get('/livez')).toEqual([200, { status: 'ok' }]);
      expect(await get('/readyz')).toEqual([503, { status: 'unavailable', database: 'unreachable' }]);
      expect(await get('/healthz')).toEqual([503, { status: 'unavailable', database: 'unreachable' }]);
      up = true;
      expect((await get('/readyz'))[0]).toBe(200);
      server.startDraining();
      expect(await get('/readyz')).toEqual([503, { status: 'draining' }]);
      expect(await get('/healthz')).toEqual([503, { status: 'draining' }]);
      expect(await get('/livez')).toEqual([200, { status: 'ok' }]);
    } finally {
      await server.close();
    }
  });
});
