/**
 * One webhook contract, run against every platform adapter over real HTTP (DESIGN.md's status
 * policy): 401 on a bad signature, 400 on a body that is not JSON, 405 on a wrong method, 413 on
 * a chunked body over 1 MiB, 503 only when the database fails, 200 once the update is stored, a
 * duplicate processed once, an unknown event type ignored with 200, and bad input from a signed
 * sender answered 400 or 200 — never a 5xx — with one warning line that quotes nothing of it.
 * The payloads are each platform's fixtures (test/fixtures/<platform>/contract/).
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../src/core/conversation-key.js';
import type { StepCommit } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';
import { MAX_BODY_BYTES } from '../src/server/http-server.js';
import { MemoryStore } from './helpers/memory-store.js';
import { CONTRACT_DRIVERS, contractFixture, type MalformedCase, type Running } from './helpers/contract-drivers.js';
import { TEST_SECRET } from './helpers/harness.js';

/** A database that can be switched off: every read and write fails as a lost connection does. */
class SwitchableStore extends MemoryStore {
  down = false;
  override async load(key: string, ref: ConversationRef) {
    if (this.down) throw new Error('connection refused');
    return super.load(key, ref);
  }
  override async commit(c: StepCommit) {
    if (this.down) throw new Error('connection refused');
    return super.commit(c);
  }
}

/** Chunked (no Content-Length): the size is known only while the body streams in. */
function postChunked(url: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(-1));
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

const MARKER = 'Layla-Marker';

type Path = (string | number)[];

/** Every path into a JSON value (the root too). */
function paths(v: unknown, at: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [at];
  return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))];
}

function replaced(v: unknown, at: Path, x: unknown): unknown {
  if (at.length === 0) return x;
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[at.at(-1)!] = x;
  return copy;
}

describe.each(CONTRACT_DRIVERS)('the $platform webhook', (driver) => {
  let run: Running | undefined;
  let store: SwitchableStore;
  afterEach(async () => {
    await run?.close();
    run = undefined;
  });
  const start = async () => {
    store = new SwitchableStore();
    run = await driver.start(store);
    return run;
  };
  const message = () => driver.serialise(contractFixture(driver.platform, 'message'));
  const stored = async () => (await store.load(conversationKey(TEST_SECRET, driver.messageRef), driver.messageRef)).conversation;

  it('answers 401 to a bad signature, and nothing is stored or sent', async () => {
    const r = await start();
    const res = await r.post(message(), { sign: false });
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    expect(await stored()).toBeNull();
    expect(r.apiRequests()).toBe(0);
  });

  it('answers 400 to a signed body that is not JSON, 405 to a wrong method, 413 to a chunked body over 1 MiB', async () => {
    const r = await start();
    expect((await r.post('{"unfinished":')).status).toBe(400);
    const put = await fetch(r.url, { method: 'PUT', body: message() });
    expect(put.status).toBe(405);
    expect(await postChunked(r.url, MAX_BODY_BYTES + 256 * 1024)).toBe(413);
    expect(await stored()).toBeNull();
  });

  it('answers 200 only once the update is stored; a duplicate is processed once', async () => {
    const r = await start();
    const raw = message();
    const first = await r.post(raw);
    expect(first.status).toBe(200);
    // Stored before the answer: a crash right after it loses nothing.
    expect(await stored()).not.toBeNull();
    const requests = r.apiRequests();
    expect(requests).toBeGreaterThan(0);
    const again = await r.post(raw);
    expect(again.status).toBe(200);
    expect(r.apiRequests()).toBe(requests);
  });

  it('answers 503 only when the database fails, and processes the redelivery', async () => {
    const r = await start();
    store.down = true;
    const raw = message();
    expect((await r.post(raw)).status).toBe(503);
    expect(r.apiRequests()).toBe(0);
    store.down = false;
    expect((await r.post(raw)).status).toBe(200);
    expect(await stored()).not.toBeNull();
    expect(r.apiRequests()).toBeGreaterThan(0);
  });

  it('ignores an event type it does not know with 200', async () => {
    const r = await start();
    const res = await r.post(driver.serialise(contractFixture(driver.platform, 'unknown-event')));
    expect(res.status).toBe(200);
    expect(await stored()).toBeNull();
    expect(r.apiRequests()).toBe(0);
    expect(r.logs.filter((l) => JSON.parse(l).level === 'error')).toEqual([]);
  });

  it('answers 200 or 400, never a 5xx or an error line, whatever field of a signed message has the wrong type', async () => {
    const r = await start();
    const body = contractFixture(driver.platform, 'message');
    const refused: string[] = [];
    for (const at of paths(body)) {
      for (const wrong of [null, -1, 'x', [null], {}]) {
        const before = r.logs.length;
        const res = await r.post(driver.serialise(replaced(body, at, wrong)));
        const errors = r.logs.slice(before).filter((l) => JSON.parse(l).level === 'error');
        if (![200, 400].includes(res.status) || errors.length > 0) refused.push(`${at.join('.')} = ${JSON.stringify(wrong)}: ${res.status}`);
      }
    }
    expect(refused).toEqual([]);
    expect(r.logs.join('\n')).not.toContain(MARKER);
  });

  const malformed = contractFixture<MalformedCase[]>(driver.platform, 'malformed');
  it.each(malformed.map((c) => [c.name, c] as const))('answers a signed but malformed body (%s) with 400 or 200, never a 5xx', async (_name, c) => {
    const r = await start();
    const raw = c.raw ?? driver.serialise(c.body);
    const res = await r.post(raw, { contentType: c.contentType });
    expect([200, 400]).toContain(res.status);
    expect(await stored()).toBeNull();
    expect(r.apiRequests()).toBe(0);
    const levels = r.logs.map((l) => JSON.parse(l).level as string);
    expect(levels).not.toContain('error');
    // Not JSON at all is a plain 400; a body of the wrong shape is named in one warning line.
    expect(levels.filter((l) => l === 'warn').length).toBeLessThanOrEqual(1);
    if (c.body !== undefined) expect(levels.filter((l) => l === 'warn')).toHaveLength(1);
    expect(r.logs.join('\n')).not.toContain(MARKER);
    // The adapter is still well: the next good update is processed.
    expect((await r.post(message())).status).toBe(200);
    expect(await stored()).not.toBeNull();
  });
});
