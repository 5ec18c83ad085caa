/**
 * kill -9 while WhatsApp replies are on their way (the fake Cloud API holds them), on SQLite and
 * PostgreSQL: the bot is a real process (src/main.ts) configured for WhatsApp through its
 * environment, as in production, serving the signed webhook. A restarted process sends every reply
 * the dead one had stored and leased within seconds, not after the two-minute lease, each person
 * exactly those, in order (test/crash-resume.test.ts is the same promise on Telegram).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHub } from '../adapters/shared/meta-webhook.js';
import type { RawTarget } from '../src/storage/raw-connection.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { BotProcess } from './helpers/bot-process.js';
import { metaJson } from './helpers/messenger.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY } from './helpers/whatsapp.js';
import { WaPerson } from './helpers/whatsapp-person.js';
import { storedReplies } from './helpers/stored-replies.js';

const scratch = scratchDatabases('crash-wa');
const dir = mkdtempSync(join(tmpdir(), 'icssi-crash-wa-'));
const api = new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID);
// src/main.ts runs the platforms the environment configures; Telegram's fake keeps its own.
const telegram = new FakeBotApi();
beforeAll(async () => {
  await api.start();
  await telegram.start();
});
afterAll(async () => {
  await api.close();
  await telegram.close();
  rmSync(dir, { recursive: true, force: true });
});

const RESUME_WITHIN_MS = 10_000;

/** Resolves once `done` holds (checked every 20 ms), false at the deadline. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}


/** Meta's delivery to the process: signed raw bytes; a 503 (the platform still starting) is delivered again. */
function poster(bot: () => BotProcess) {
  return async (body: unknown): Promise<Response> => {
    const raw = metaJson(body);
    for (let i = 0; ; i++) {
      const r = await fetch(`http://127.0.0.1:${bot().port}/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHub(Buffer.from(raw), WA_APP_SECRET) }, body: raw });
      if (r.status !== 503 || i > 150) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
}

async function check(target: RawTarget, tag: string): Promise<void> {
  const env = { WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY, WHATSAPP_API_ROOT: api.url };
  const url = databaseUrl(target);
  let bot = new BotProcess(telegram, url, env);
  const rig = { api, clock: { get now() { return new Date(); } }, post: poster(() => bot) };
  const people = Array.from({ length: 4 }, (_, i) => new WaPerson(rig, { bsuid: `IQ.77${tag}00000000000000${i}`, phone: false }));
  try {
    await bot.listening();
    for (const p of people) expect((await p.say('hello')).status).toBe(200);
    for (const p of people) expect(FakeCloudApi.choicesOf(api.lastTo(p.who.bsuid))).toContain('consent:yes');

    // WhatsApp is slow: the "I agree" replies are committed and leased, their sends held.
    const release = api.holdSends();
    for (const p of people) void p.tap('consent:yes').catch(() => undefined);
    expect(await until(() => api.waiting >= people.length, 30_000)).toBe(true);
    await bot.kill('SIGKILL');
    const stored = await storedReplies(target);
    // The held sends are answered now: WhatsApp shows them, the dead process never learns it.
    const shown = api.messages.length;
    release();
    expect(await until(() => api.messages.length === shown + people.length, 10_000)).toBe(true);
    expect(stored.size).toBe(people.length);

    const mark = new Map(people.map((p) => [p.who.bsuid, p.texts().length]));
    bot = new BotProcess(telegram, url, env);
    const spawned = performance.now();
    await bot.listening();
    const since = (p: WaPerson) => p.texts().slice(mark.get(p.who.bsuid));
    const all = await until(() => people.every((p) => since(p).length >= (stored.get(p.who.bsuid) ?? []).length), 30_000);
    const deliveredMs = performance.now() - spawned;
    console.log(`WhatsApp (${target.provider}): resumed ${[...stored.values()].flat().length} stored replies within ${Math.round(deliveredMs)} ms of the restart`);
    expect(all).toBe(true);
    // Each person received exactly their stored replies, in order, once.
    for (const p of people) expect(since(p), p.who.bsuid).toEqual(stored.get(p.who.bsuid));
    expect(deliveredMs).toBeLessThan(RESUME_WITHIN_MS);
  } finally {
    await bot.kill('SIGTERM');
  }
}

describe('after kill -9 the WhatsApp replies held by the dead process resume within seconds', () => {
  it('on SQLite', async () => {
    await check({ provider: 'sqlite', file: join(dir, 'crash.db') }, '1');
  }, 90_000);

  it('on PostgreSQL', async () => {
    await check(await scratch.empty('postgresql'), '2');
  }, 90_000);
});
