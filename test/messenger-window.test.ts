/**
 * Messenger's 24-hour rule: messages the bot starts reach only people who wrote in the last 24
 * hours; the others are held (and counted in the organisers' stats) until they write again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../src/core/errors.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { loadStats } from '../src/organisers/stats.js';
import { MemoryStore } from './helpers/memory-store.js';
import { GraphError } from '../adapters/messenger/graph-errors.js';
import { messengerRig, PSID, submitted, textFrom, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig;
afterEach(async () => rig?.close());

const HOUR = 3600_000;

describe('the 24-hour window', () => {
  it('holds a decision for a person whose last message is 25 hours old, counts it, and sends it as UPDATE when they write again', async () => {
    const store = new MemoryStore();
    rig = await messengerRig(store);
    const code = await submitted(rig);
    rig.clock.now = new Date(rig.clock.now.getTime() + 25 * HOUR);
    const before = rig.graph.messages.length;
    expect(await decide(coreApi(rig.dispatcher), { code, decision: 'accepted', actor: 'cli', note: null })).toEqual({ result: 'recorded', notice: 'held' });
    // Nothing was even attempted: Meta would refuse it (code 10) and could restrict the Page.
    expect(rig.graph.messages.length).toBe(before);
    expect((await loadStats(store, rig.dispatcher.deps.call, rig.clock.now)).heldNotices).toEqual({ messenger: 1 });

    await rig.post(textFrom(PSID, 'hello again', rig.clock.now));
    const after = rig.graph.messages.slice(before);
    const notice = after.find((m) => /accepted your contribution/.test(m.message.text ?? ''));
    expect(notice?.messagingType).toBe('UPDATE');
    // The answer to "hello again" itself is a RESPONSE.
    expect(after.filter((m) => m !== notice).every((m) => m.messagingType === 'RESPONSE')).toBe(true);
    expect((await loadStats(store, rig.dispatcher.deps.call, rig.clock.now)).heldNotices).toEqual({});
  });

  it('sends a decision at once, as UPDATE, to a person who wrote within 24 hours', async () => {
    rig = await messengerRig();
    const code = await submitted(rig);
    rig.clock.now = new Date(rig.clock.now.getTime() + 23 * HOUR);
    const out = await decide(coreApi(rig.dispatcher), { code, decision: 'revision_requested', actor: 'cli', note: 'Please add an example.' });
    expect(out).toEqual({ result: 'recorded', notice: 'sent' });
    const last = rig.graph.lastTo(PSID)!;
    expect(last.messagingType).toBe('UPDATE');
    expect(last.message.text).toContain('Please add an example.');
  });

  it('maps Meta\'s "outside the allowed window" refusal to PLATFORM_REFUSED without retrying', async () => {
    rig = await messengerRig();
    rig.graph.closedWindows.add(PSID);
    const err = await rig.adapter.send({ platform: 'messenger', chatId: PSID, userId: PSID }, { text: 'Hello', initiated: true }).catch((e: unknown) => e);
    expect(isAppError(err, 'PLATFORM_REFUSED')).toBe(true);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).kind).toBe('outside-window');
    expect(rig.graph.requests).toBe(1);
  });
});
