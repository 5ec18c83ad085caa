/**
 * One builder for the platform test rigs (Telegram, Slack, Messenger). It owns what they share: the
 * i18n, the call, the store (a MemoryStore unless given), a settable clock, a real Dispatcher with
 * a seeded random source, a log that tests can read, the project's HttpServer on 127.0.0.1 (a
 * random port) serving the adapter's routes, a recorded pause for the adapter's retries and pacing
 * (never a real wait), and the teardown in one order. Each platform gives
 * only its own part: its fake API, its adapter, and what its tests need besides.
 */
import type { i18n as I18n } from 'i18next';
import { createI18n } from '../../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../../src/config/load-call.js';
import type { Adapter } from '../../src/core/adapter.js';
import { Dispatcher } from '../../src/core/dispatcher.js';
import { createLogger, type Logger } from '../../src/core/log.js';
import type { BotStore } from '../../src/core/ports.js';
import type { Sleep } from '../../src/core/retry.js';
import type { CallDefinition } from '../../src/domain/call-definition.js';
import { HttpServer } from '../../src/server/http-server.js';
import { MemoryStore } from './memory-store.js';
import { seeded, TEST_SECRET } from './harness.js';

/** The instant every rig's clock starts at unless told otherwise. */
export const RIG_START = new Date('2026-11-26T09:00:00Z');

export interface RigOptions {
  store?: BotStore;
  call?: (c: CallDefinition) => CallDefinition;
  /** Where the settable clock starts (default RIG_START). */
  now?: Date;
  /** The dispatcher's and adapter's clock instead of the settable one. */
  clock?: () => Date;
  /**
   * Called for each pause the adapter asks for, once it is recorded (default: none; no test
   * waits real time). A test that must catch the adapter mid-wait gives one that holds.
   */
  pause?: Sleep;
}

/** The common parts, handed to the platform's part to build its adapter on. */
export interface RigCore {
  i18n: I18n;
  call: CallDefinition;
  store: BotStore;
  /** The settable clock: set `now` to move time on (unless a clock was given in the options). */
  clock: { now: Date };
  /** The clock the dispatcher reads. */
  now: () => Date;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Every log line written (adapter, dispatcher, server), at debug level. */
  logs: string[];
  /** The pause to give the adapter: records each one in `sleeps` and waits for nothing. */
  sleep: Sleep;
  /** The pauses the adapter asked for (ms), in order. */
  sleeps: number[];
}

/** What a platform adds: its adapter, and how to close what it opened (its fake API). */
export interface PlatformPart<A extends Adapter> {
  adapter: A;
  /** Passed on to registerSender (Slack's command prefix). */
  senderOptions?: { commandPrefix?: string };
  close(): Promise<void>;
}

export interface Rig<A extends Adapter> extends RigCore {
  adapter: A;
  server: HttpServer;
  /** http://127.0.0.1:<port> of the server. */
  base: string;
  /** Stops the adapter, lets the dispatcher finish, closes the server, then the platform's part. */
  close(): Promise<void>;
}

export async function buildRig<A extends Adapter>(opts: RigOptions, platform: (core: RigCore) => Promise<PlatformPart<A>>): Promise<Rig<A>> {
  const i18n = await createI18n();
  const base = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const call = opts.call ? opts.call(base) : base;
  const store = opts.store ?? new MemoryStore();
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  const clock = { now: opts.now ?? RIG_START };
  const now = opts.clock ?? (() => clock.now);
  const dispatcher = new Dispatcher({ store, i18n, call, secret: TEST_SECRET, clock: now, random: seeded(7), logger });
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    sleeps.push(ms);
    await opts.pause?.(ms, signal);
  };
  const core: RigCore = { i18n, call, store, clock, now, dispatcher, logger, logs, sleep, sleeps };
  const part = await platform(core);
  const { adapter } = part;
  dispatcher.registerSender(adapter.name, (ref, m) => adapter.send(ref, m), part.senderOptions);
  const server = new HttpServer({ routes: adapter.routes?.() ?? [], databaseReachable: async () => true, metrics: dispatcher.metrics, logger });
  const addr = await server.listen(0, '127.0.0.1');
  await adapter.start?.();
  return {
    ...core, adapter, server,
    base: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      await adapter.stop?.();
      await dispatcher.drain();
      await server.close();
      await part.close();
    },
  };
}
