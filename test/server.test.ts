/**
 * The one HTTP server over real HTTP on 127.0.0.1: health, metrics, and the webhook status policy
 * that every platform route inherits (404, 405, 413, 503 when the event could not be stored).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRoute } from '../src/core/adapter.js';
import { AppError } from '../src/core/errors.js';
import { createLogger } from '../src/core/log.js';
import { Metrics } from '../src/core/metrics.js';
import { HttpServer, MAX_BODY_BYTES } from '../src/server/http-server.js';

let databaseUp = true;
const seen: Buffer[] = [];
const routes: WebhookRoute[] = [
  {
    path: '/hook',
    methods: ['POST'],
    async handle(req) {
      seen.push(req.rawBody);
      if (req.rawBody.toString() === 'db-down') throw new AppError('STORAGE_UNAVAILABLE', 'down');
      if (req.rawBody.toString() === 'contended') throw new AppError('STATE_CONFLICT', 'gave up');
      return { status: 200, body: 'ok' };
    },
  },
];
const metrics = new Metrics();
metrics.inc('events_total', { platform: 'telegram', outcome: 'processed' }, 3);
const logged: string[] = [];
const server = new HttpServer({ routes, databaseReachable: async () => databaseUp, metrics, logger: createLogger('info', (line) => logged.push(line)) });
let base = '';

beforeAll(async () => {
  const addr = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => server.close());

describe('the HTTP server', () => {
  it('reports the database in /healthz', async () => {
    databaseUp = true;
    let r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', database: 'reachable' });
    databaseUp = false;
    r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    databaseUp = true;
  });

  it('serves counters in Prometheus format on /metrics', async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await r.text();
    // Read as the exposition format: every sample is `name{labels} value`, each family declared.
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
      expect(m, `not a sample line: ${line}`).not.toBeNull();
      samples.set(m![1]!, Number(m![2]));
    }
    expect(samples.get('icssi_events_total{platform="telegram",outcome="processed"}')).toBe(3);
    expect([...samples.keys()].filter((k) => k.startsWith('icssi_events_total'))).toEqual(['icssi_events_total{platform="telegram",outcome="processed"}']);
    expect(text.split('\n')).toContain('# TYPE icssi_events_total counter');
  });

  it('passes the raw body bytes to the route unchanged', async () => {
    const body = Buffer.from('{"text":"\\u0633\\u0644\\u0627\\u0645"}');
    const r = await fetch(`${base}/hook`, { method: 'POST', body });
    expect(r.status).toBe(200);
    expect(seen.at(-1)!.equals(body)).toBe(true);
  });

  it('answers 404, 405 and 413 without echoing anything', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const wrong = await fetch(`${base}/hook`, { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    // A declared length over the cap is refused before a byte of the body is read.
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/hook`, { method: 'POST', headers: { 'content-length': String(MAX_BODY_BYTES + 1) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(declared).toBe(413);
    // A chunked body with no declared length is refused when it passes the cap, with an answer
    // the client receives (not a reset while it is still writing).
    const streamed = await new Promise<number>((resolve) => {
      const req = request(`${base}/hook`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      req.write('x'.repeat(MAX_BODY_BYTES));
      req.write('y'.repeat(64 * 1024));
      req.end('z'.repeat(MAX_BODY_BYTES));
    });
    expect(streamed).toBe(413);
    expect(seen.every((b) => b.length <= MAX_BODY_BYTES)).toBe(true);
  });

  it('answers 503 when the event could not be stored, so the platform retries', async () => {
    const r = await fetch(`${base}/hook`, { method: 'POST', body: 'db-down' });
    expect(r.status).toBe(503);
    expect(await r.text()).toBe('');
    // The operator sees why, and nothing of the request but its path.
    const line = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'webhook answered 503: the database is unavailable');
    expect(line).toMatchObject({ level: 'warn', path: '/hook' });
    expect(logged.join('\n')).not.toContain('db-down');
  });

  it('answers 503 when a step lost every retry to concurrent changes: nothing was stored, the platform retries', async () => {
    const r = await fetch(`${base}/hook`, { method: 'POST', body: 'contended' });
    expect(r.status).toBe(503);
  });

  it('logs a client that hangs up mid-body below error level, without quoting what it sent', async () => {
    const lines: string[] = [];
    let heard: () => void = () => undefined;
    const logged = new Promise<void>((r) => (heard = r));
    const own = new HttpServer({ routes, databaseReachable: async () => true, metrics, logger: createLogger('debug', (l) => { lines.push(l); heard(); }) });
    const addr = await own.listen(0, '127.0.0.1');
    const socket = connect(addr.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"secret-words":');
    socket.destroy();
    await logged;
    await own.close();
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['debug']);
    expect(lines.join('\n')).not.toContain('secret-words');
  });
});
