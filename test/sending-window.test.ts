/**
 * The core follows what a platform's adapter declares about its sending window, whatever the
 * platform: a "template" platform gets every copy, told which people are outside the window (its
 * adapter sends an approved template to them); a "drop" platform's copies outside it are dropped;
 * a "hold" platform's are held and go when the person writes. The declarations here are made up
 * for the test (hand-built channels over a real SQLite store): no core change is needed for them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext, SendingWindow } from '../src/core/adapter.js';
import type { ConversationRef, Platform } from '../src/core/types.js';
import { Announcements, type Channel } from '../src/announcements/sending.js';
import { silentLogger } from '../src/core/log.js';
import { seed, sqliteStore } from './helpers/announce.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const day = (outside: SendingWindow['outside']): SendingWindow => ({ ms: 24 * HOUR, outside });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function rig(windows: Partial<Record<Platform, SendingWindow>>) {
  const { store, announcements: annStore } = await sqliteStore();
  close = () => store.close();
  const sent: { platform: Platform; to: string; context?: SendContext }[] = [];
  const channel = (platform: Platform): Channel => ({
    platform,
    window: windows[platform],
    pacing: { ratePerSecond: 1000, perChatMs: 0 },
    send: async (ref: ConversationRef, _m, context) => void sent.push({ platform, to: ref.chatId, ...(context ? { context } : {}) }),
  });
  const ann = new Announcements({
    store: annStore, renderer: { text: (k) => k, dir: () => 'ltr' }, channels: (Object.keys(windows) as Platform[]).map(channel), clock: () => NOW, logger: silentLogger,
  });
  return { store, annStore, ann, sent };
}

const input = { texts: { en: 'The programme is out.' }, audience: { who: 'consented' as const }, expiresAt: null };

describe('a sending window declared by the adapter', () => {
  it('"template": every copy goes now, and the channel is told who is outside the window', async () => {
    const r = await rig({ slack: day('template') });
    await seed(r.store, { platform: 'slack', userId: 'U-recent', locale: 'en', at: ago(1) });
    await seed(r.store, { platform: 'slack', userId: 'U-old', locale: 'en', at: ago(48) });
    expect((await r.ann.preview('icssi-2019', input)).byPlatform.slack).toEqual({ now: 2, held: 0, optedOut: 0, unreachable: 0 });
    const { id } = await r.ann.create('icssi-2019', input, 'cli:test');
    expect(await r.ann.send(id)).toEqual({ slack: { sent: 2 } });
    expect(r.sent.sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { platform: 'slack', to: 'U-old', context: { outsideWindow: true } },
      { platform: 'slack', to: 'U-recent' },
    ]);
  });

  it('"drop": a copy outside the window is dropped and never sent; "hold": held until they write', async () => {
    const r = await rig({ telegram: day('drop'), messenger: day('hold') });
    await seed(r.store, { platform: 'telegram', userId: '101', locale: 'en', at: ago(1) });
    await seed(r.store, { platform: 'telegram', userId: '102', locale: 'en', at: ago(30) });
    await seed(r.store, { platform: 'messenger', userId: 'psid-1', locale: 'en', at: ago(30) });
    const { id } = await r.ann.create('icssi-2019', input, 'cli:test');
    expect(await r.ann.send(id)).toEqual({ telegram: { sent: 1, dropped: 1 }, messenger: { held: 1 } });
    expect(r.sent).toEqual([{ platform: 'telegram', to: '101' }]);
    expect(r.ann.holdsCopies('messenger')).toBe(true);
    expect(r.ann.holdsCopies('telegram')).toBe(false);
    // The held person writes: the window is open again and their copy goes.
    const ref = { platform: 'messenger' as const, chatId: 'psid-1', userId: 'psid-1' };
    const wrote = await r.store.commit({
      event: { platform: 'messenger', id: 'wrote-1' }, conversationKey: 'seed-messenger-psid-1', ref,
      expectedVersion: 1, state: {}, pending: [], effects: [], receivedAt: ago(0.5),
    });
    expect(wrote.status).toBe('committed');
    const person = (await r.annStore.candidates('icssi-2019', { who: 'consented' })).find((c) => c.platformUserId === 'psid-1')!;
    expect(await r.ann.releaseFor(person.participantId)).toBe(1);
    expect(r.sent.at(-1)).toEqual({ platform: 'messenger', to: 'psid-1' });
  });
});
