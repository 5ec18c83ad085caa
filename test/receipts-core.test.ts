/**
 * The core's delivery receipts with no platform in the way (src/core/receipts.ts): a sender that
 * returns the ids its platform gave a notice's parts, then BotCore.deliveryFailed by one of them.
 * A receipt that cannot be stored never turns a notice the platform accepted into a failed one
 * (it would be sent twice); a receipt store that does not answer makes deliveryFailed throw the
 * storage error, so the platform's webhook answers 503 and the report comes again.
 */
import { describe, expect, it } from 'vitest';
import { coreApi } from '../src/core/bot-core.js';
import { isAppError } from '../src/core/errors.js';
import { createLogger } from '../src/core/log.js';
import { receiptKey } from '../src/core/receipts.js';
import type { ReceiptFailure } from '../src/core/ports.js';
import type { Reply } from '../src/flow/replies.js';
import { seed } from './helpers/announce.js';
import { TEST_SECRET } from './helpers/harness.js';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { MemoryStore } from './helpers/memory-store.js';

const AT = new Date('2026-11-26T09:00:00Z');
const NOTICE: Reply = { key: 'decision.note', params: { note: 'Please add an example.' } };

class ReceiptsDown extends MemoryStore {
  override async rememberReceipts(): Promise<void> {
    throw new Error('database is locked');
  }

  override async failReceipt(): Promise<ReceiptFailure> {
    throw new Error('database is locked');
  }
}

async function setUp(store: MemoryStore) {
  const i18n = await createI18n();
  const lines: string[] = [];
  const dispatcher = new Dispatcher({ store, i18n, call: loadCallDefinition(DEFAULT_CALL_FILE, i18n), secret: TEST_SECRET, clock: () => AT, logger: createLogger('debug', (line) => lines.push(line)) });
  // A platform that names each part it accepts.
  dispatcher.registerSender('console', async () => ({ platformIds: ['msg-part-1', 'msg-part-2'] }));
  await seed(store, { platform: 'console', userId: 'u1', locale: 'en', at: AT });
  const pid = (await store.load('seed-console-u1', { platform: 'console', chatId: 'u1', userId: 'u1' })).participant!.id;
  return { dispatcher, core: coreApi(dispatcher), pid, lines };
}

describe('delivery receipts in the core', () => {
  it('a notice accepted in two parts is held again when either part fails, once; another id is a reply', async () => {
    const store = new MemoryStore();
    const { dispatcher, core, pid } = await setUp(store);
    expect(await core.notifyAuthor(pid, NOTICE)).toEqual({ outcome: 'sent' });
    await core.deliveryFailed({ platform: 'console', platformId: 'msg-part-2', reason: 'console:undeliverable' });
    expect(await store.noticesFor(pid, ['held'])).toEqual([expect.objectContaining({ reason: 'console:undeliverable' })]);
    await core.deliveryFailed({ platform: 'console', platformId: 'msg-part-1', reason: 'console:undeliverable' });
    await core.deliveryFailed({ platform: 'console', platformId: 'msg-part-2', reason: 'console:undeliverable' });
    await core.deliveryFailed({ platform: 'console', platformId: 'a-reply', reason: 'console:undeliverable' });
    const count = (kind: string) => dispatcher.metrics.value('deliveries_failed_after_send_total', { platform: 'console', kind });
    expect([count('notice'), count('reply')]).toEqual([1, 1]);
    // The same id on another platform is another message.
    await core.deliveryFailed({ platform: 'telegram', platformId: 'msg-part-1', reason: 'telegram:x' });
    expect(dispatcher.metrics.value('deliveries_failed_after_send_total', { platform: 'telegram', kind: 'reply' })).toBe(1);
    // Keyed: the stored key is neither the id nor the same under another secret.
    expect(receiptKey(TEST_SECRET, 'console', 'msg-part-1')).not.toContain('msg-part-1');
    expect(receiptKey('another-secret-0123456789', 'console', 'msg-part-1')).not.toBe(receiptKey(TEST_SECRET, 'console', 'msg-part-1'));
  });

  it('a receipt not stored leaves the notice sent (logged), and a receipt store down makes deliveryFailed throw STORAGE_UNAVAILABLE', async () => {
    const store = new ReceiptsDown();
    const { core, pid, lines } = await setUp(store);
    expect(await core.notifyAuthor(pid, NOTICE)).toEqual({ outcome: 'sent' });
    expect(await store.noticesFor(pid, ['sent'])).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/send receipt not stored/);
    const err = await core.deliveryFailed({ platform: 'console', platformId: 'msg-part-1', reason: 'console:undeliverable' }).then(() => null, (e: unknown) => e);
    expect(isAppError(err, 'STORAGE_UNAVAILABLE')).toBe(true);
  });
});
