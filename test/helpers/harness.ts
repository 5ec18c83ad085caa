/**
 * A bot on a real Dispatcher with a given store, a fixed clock and a seeded random source; sent
 * messages are captured per conversation, as a platform's API would receive them.
 */
import { randomUUID } from 'node:crypto';
import { createI18n } from '../../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../../src/config/load-call.js';
import { Dispatcher } from '../../src/core/dispatcher.js';
import { seeded } from './prng.js';
import type { BotStore } from '../../src/core/ports.js';
import { MemoryStore } from './memory-store.js';
import type { ConversationRef, InboundEvent, OutboundMessage } from '../../src/core/types.js';
import type { CallDefinition } from '../../src/domain/call-definition.js';

export const TEST_SECRET = 'test-secret-0123456789';

export { seeded } from './prng.js';

/** Omit that keeps a union a union (each member loses the keys). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<InboundEvent, 'id' | 'platform' | 'conversation' | 'receivedAt' | 'raw'> & { id?: string };

export interface Bot {
  dispatcher: Dispatcher;
  store: BotStore;
  call: CallDefinition;
  clock: { now: Date };
  sent: Map<string, OutboundMessage[]>;
  /** Sends a text (or /command) and returns the replies it produced. */
  say(text: string, user?: string, localeHint?: string): Promise<OutboundMessage[]>;
  press(choiceId: string, user?: string): Promise<OutboundMessage[]>;
  send(event: EventBody, user?: string): Promise<OutboundMessage[]>;
  last(user?: string): OutboundMessage;
}

export function refOf(user: string): ConversationRef {
  return { platform: 'console', chatId: user, userId: user };
}

export async function makeBot(store: BotStore = new MemoryStore(), opts: { now?: Date; call?: (c: CallDefinition) => CallDefinition; seed?: number } = {}): Promise<Bot> {
  const i18n = await createI18n();
  const base = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const call = opts.call ? opts.call(base) : base;
  const clock = { now: opts.now ?? new Date('2026-11-26T09:00:00Z') };
  const dispatcher = new Dispatcher({ store, i18n, call, secret: TEST_SECRET, clock: () => clock.now, random: seeded(opts.seed ?? 7) });
  return consoleBot({ dispatcher, store, call, clock });
}

/** A console conversation on a dispatcher built elsewhere (a platform rig's): its replies are captured. */
export function consoleBot({ dispatcher, store, call, clock }: Pick<Bot, 'dispatcher' | 'store' | 'call' | 'clock'>): Bot {
  const sent = new Map<string, OutboundMessage[]>();
  dispatcher.registerSender('console', async (ref, m) => {
    sent.set(ref.chatId, [...(sent.get(ref.chatId) ?? []), m]);
  });
  const send: Bot['send'] = async (partial, user = 'u1') => {
    const before = sent.get(user)?.length ?? 0;
    const event = { id: randomUUID(), platform: 'console', conversation: refOf(user), receivedAt: clock.now, raw: null, ...partial } as InboundEvent;
    await dispatcher.handle(event);
    return (sent.get(user) ?? []).slice(before);
  };
  const say = (text: string, user = 'u1', localeHint?: string) => {
    const cmd = /^\/(\w+)(?:\s+(.*))?$/.exec(text);
    return cmd
      ? send({ kind: 'command', command: cmd[1]!, args: cmd[2] ?? '', localeHint }, user)
      : send({ kind: 'message', text, localeHint }, user);
  };
  return {
    dispatcher, store, call, clock, sent, say, send,
    press: (choice, user = 'u1') => send({ kind: 'choice', choice }, user),
    last: (user = 'u1') => sent.get(user)!.at(-1)!,
  };
}

/** Text of all replies joined, for assertions. */
export const textOf = (ms: OutboundMessage[]) => ms.map((m) => m.text).join('\n---\n');
export const choiceIds = (m: OutboundMessage | undefined) => (m?.choices ?? []).map((c) => c.id);
