/**
 * A wait the platform orders (PlatformError.retryAfterMs: a 429's retry_after, WhatsApp's pair
 * limit or paused account) is no failed attempt: on a real SQLite file and the real clock, a reply
 * told to wait more times than the outbox's attempt cap is still delivered, in order with the
 * replies behind it, none dead-lettered, each time as soon as its wait ends — by the
 * dispatcher's wake (src/core/outbox-wakes.ts), with no periodic flush running.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { PlatformError } from '../src/core/errors.js';
import type { PendingReply } from '../src/core/ports.js';
import type { ConversationRef } from '../src/core/types.js';
import { sqliteStore } from './helpers/announce.js';
import { TEST_SECRET } from './helpers/harness.js';

const ref: ConversationRef = { platform: 'console', chatId: 'u1', userId: 'u1' };

describe('the outbox and ordered waits', () => {
  it('waits more often than the attempt cap without dead-lettering, and sends in order as each wait ends', async () => {
    const { store } = await sqliteStore();
    try {
      const i18n = await createI18n();
      const d = new Dispatcher({ store, i18n, call: loadCallDefinition(DEFAULT_CALL_FILE, i18n), secret: TEST_SECRET, outbox: { maxAttempts: 3 } });
      const sent: string[] = [];
      const tried: number[] = [];
      let waits = 0;
      // Every other send is told to wait 40 ms, ten times in all: more than the cap of 3 attempts.
      d.registerSender('console', async (_r, m) => {
        tried.push(performance.now());
        if (waits < 10 && tried.length % 2 === 1) {
          waits++;
          throw new PlatformError('PLATFORM_UNREACHABLE', 'console', 'wait', { retryAfterMs: 40, reason: 'console:wait' });
        }
        sent.push(m.text);
      });
      const texts = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
      const pending: PendingReply[] = texts.map((text, i) => ({ text, outbox: { id: `r-${i}` } }));
      const key = conversationKey(TEST_SECRET, ref);
      const r = await store.commit({ event: { platform: 'console', id: 'ev-1' }, conversationKey: key, ref, expectedVersion: null, state: { v: 1, step: 'menu' }, pending, dueAt: new Date(), effects: [], receivedAt: new Date() });
      expect(r.status).toBe('committed');
      const started = performance.now();
      await d.flushPending();
      // Only the wakes send from here on.
      const end = performance.now() + 10_000;
      while (sent.length < texts.length && performance.now() < end) await new Promise((res) => setTimeout(res, 10));
      expect(sent).toEqual(texts);
      expect(waits).toBe(10);
      // Each wait was waited (40 ms), not the 30 s of a periodic flush.
      expect(performance.now() - started).toBeGreaterThanOrEqual(400);
      expect(performance.now() - started).toBeLessThan(5_000);
      // The last send is seen before its outcome is written: let the conversation's queue finish.
      await d.drain();
      expect(await store.deadLetters(10)).toEqual([]);
      expect((await store.readOutbox(key))?.pending ?? []).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
