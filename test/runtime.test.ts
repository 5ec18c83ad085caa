/**
 * The composition root (src/runtime.ts): the configured platforms are built and connected once,
 * however many parts of a process ask for them (the server's routes, its announcements, the
 * desk), and a reply goes out through the connected platform as in production.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseUpdate } from '../adapters/telegram/parse.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime, type Runtime } from '../src/runtime.js';
import { FakeBotApi } from './fakes/telegram-bot-api.js';
import type { InboundEvent } from '../src/core/types.js';
import { MemoryStore } from './helpers/memory-store.js';
import { Person } from './helpers/telegram.js';

let api: FakeBotApi;
let runtime: Runtime;

async function start(): Promise<Runtime> {
  api = new FakeBotApi();
  await api.start();
  const env = { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: api.apiRoot };
  runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'runtime-test-secret-0123456789', LOG_LEVEL: 'silent' }), { store: new MemoryStore(), logger: silentLogger, env });
  return runtime;
}

afterEach(async () => {
  await runtime?.close();
  await api?.close();
});

describe('the composition root', () => {
  it('connects the configured platforms once, whoever asks, and replies go through them', async () => {
    const rt = await start();
    expect(rt.platformNames()).toEqual(['telegram']);
    const [first, second] = await Promise.all([rt.connect(), rt.connect()]);
    expect(second).toBe(first);
    expect(await rt.connect()).toBe(first);
    expect(first.adapters.map((a) => a.name)).toEqual(['telegram']);
    expect(first.channels.map((c) => c.platform)).toEqual(['telegram']);

    const parsed = parseUpdate(new Person(4242).command('start') as never, { botUsername: 'test_bot', now: () => new Date() });
    if (parsed.type !== 'event') throw new Error(`not an event: ${parsed.type}`);
    await rt.app.core.handle(parsed.event);
    await rt.app.dispatcher.drain();
    expect(api.callsOf('sendMessage').filter((c) => c.status === 200).length).toBeGreaterThan(0);
  });

  it('adapters built elsewhere (the console, a benchmark) are connected the same way and replace the configured ones', async () => {
    const rt = await start();
    const sent: string[] = [];
    const given = rt.connectAdapters([{ name: 'console', capabilities: { pacing: { ratePerSecond: 1000, perChatMs: 0 } }, send: async (_ref, m) => void sent.push(m.text) }]);
    expect(await rt.connect()).toBe(given);
    expect(given.adapters.map((a) => a.name)).toEqual(['console']);
    const hello: InboundEvent = { kind: 'command', command: 'start', args: '', raw: '/start', id: 'e1', platform: 'console', conversation: { platform: 'console', chatId: 'c', userId: 'u' }, receivedAt: new Date() };
    await rt.app.core.handle(hello);
    await rt.app.dispatcher.drain();
    expect(sent.length).toBeGreaterThan(0);
  });
});
