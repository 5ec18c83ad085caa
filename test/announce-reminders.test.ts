/**
 * Reminders with an injected clock, over real HTTP against the fake Bot API: to people with an
 * unsent draft 7 days and 1 day before the deadline, at 10:00 in the call's time zone, once each,
 * in their language; one closing note to everyone who sent a contribution.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { dueNow, reminderConfigFromEnv, reminderTimes, Reminders } from '../src/announcements/reminders.js';
import { silentLogger } from '../src/core/log.js';
import type { CallDefinition } from '../src/domain/call-definition.js';
import { startTelegram, type TelegramTestBot } from './helpers/telegram.js';
import { fakeTime, seed, sqliteStore } from './helpers/announce.js';

// Midnight between 10 and 11 December in Baghdad (UTC+3).
const DEADLINE = new Date('2026-12-10T21:00:00Z');
const withDeadline = (c: CallDefinition): CallDefinition => ({ ...c, deadline: DEADLINE });

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.close();
  await bot?.store.close();
  bot = undefined;
});

describe('when reminders are due', () => {
  it('goes out at 10:00 call time at or before each offset, and only the latest one due', () => {
    const times = reminderTimes(DEADLINE, 'Asia/Baghdad', { offsetsHours: [168, 24], hour: 10 });
    expect(times.map((t) => t.at.toISOString())).toEqual(['2026-12-03T07:00:00.000Z', '2026-12-09T07:00:00.000Z']);
    const call = { id: 'c', timezone: 'Asia/Baghdad', deadline: DEADLINE } as CallDefinition;
    const cfg = { offsetsHours: [168, 24], hour: 10 };
    expect(dueNow(call, new Date('2026-12-03T06:59:00Z'), cfg)).toEqual([]);
    expect(dueNow(call, new Date('2026-12-03T07:00:00Z'), cfg).map((d) => d.key)).toEqual([`reminder:c:${DEADLINE.toISOString()}:168h`]);
    // A server started late sends no "a week left" message two days before the end.
    expect(dueNow(call, new Date('2026-12-09T08:00:00Z'), cfg).map((d) => d.key)).toEqual([`reminder:c:${DEADLINE.toISOString()}:24h`]);
    expect(dueNow(call, DEADLINE, cfg).map((d) => d.kind)).toEqual(['closing']);
    expect(dueNow({ ...call, deadline: null }, DEADLINE, cfg)).toEqual([]);
    expect(reminderConfigFromEnv({ REMINDER_OFFSETS: '3d, 12h', REMINDER_HOUR: '9' })).toEqual({ offsetsHours: [72, 12], hour: 9 });
    expect(() => reminderConfigFromEnv({ REMINDER_OFFSETS: 'soon' })).toThrow(/REMINDER_OFFSETS/);
  });
});

describe('reminders, sent', () => {
  it('reminds unsent drafts twice, once each, in their language; then thanks the contributors at the close', async () => {
    const { store, announcements: annStore } = await sqliteStore();
    const clock = { now: new Date('2026-12-01T09:00:00Z') };
    bot = await startTelegram({ store, call: withDeadline, clock: () => clock.now });
    const at = new Date('2026-11-20T09:00:00Z');
    await seed(store, { platform: 'telegram', userId: '601', locale: 'en', at, drafted: true });
    await seed(store, { platform: 'telegram', userId: '602', locale: 'ar', at, drafted: true });
    await seed(store, { platform: 'telegram', userId: '603', locale: 'ckb', at, contribution: { topic: 2 } });
    await seed(store, { platform: 'telegram', userId: '604', locale: 'en', at });
    await seed(store, { platform: 'telegram', userId: '605', locale: 'en', at, drafted: true, stopped: true });
    const time = fakeTime();
    const announcements = new Announcements({
      store: annStore, renderer: bot.dispatcher.renderer, channels: announcementChannels([bot.adapter]), clock: () => clock.now, logger: silentLogger,
      pacers: { telegram: time.pacer(30) },
    });
    const call = withDeadline(bot.dispatcher.deps.call);
    const reminders = new Reminders({ announcements, call, renderer: bot.dispatcher.renderer, clock: () => clock.now, logger: silentLogger });
    const texts = (chat: number) => bot!.api.messages(chat).map((m) => m.text);

    expect(await reminders.tick()).toEqual([]);
    clock.now = new Date('2026-12-03T07:00:00Z');
    expect(await reminders.tick()).toHaveLength(1);
    expect(texts(601)).toHaveLength(1);
    expect(texts(601)[0]).toMatch(/^A reminder: the call for contributions closes on .*11.*Dec.*\. Your draft is kept — send \/start to finish and send it\.\n\nTo stop announcements/);
    expect(texts(602)[0]).toMatch(/^تذكير: يُغلق باب تقديم المساهمات/);
    for (const chat of [603, 604, 605]) expect(texts(chat)).toEqual([]);
    // Checked again (every few minutes, or after a restart): nothing more.
    clock.now = new Date('2026-12-05T12:00:00Z');
    expect(await reminders.tick()).toEqual([]);
    expect(texts(601)).toHaveLength(1);

    clock.now = new Date('2026-12-09T07:05:00Z');
    expect(await reminders.tick()).toHaveLength(1);
    expect(await reminders.tick()).toEqual([]);
    expect(texts(601)).toHaveLength(2);
    expect(texts(602)).toHaveLength(2);

    clock.now = new Date('2026-12-10T21:00:00Z');
    expect(await reminders.tick()).toHaveLength(1);
    expect(await reminders.tick()).toEqual([]);
    expect(texts(603)).toHaveLength(1);
    expect(texts(603)[0]).toMatch(/^بانگەوازی بەشداری داخرا\./);
    expect(texts(601)).toHaveLength(2);
    expect(texts(604)).toEqual([]);
    expect((await annStore.list()).map((a) => a.kind)).toEqual(['reminder', 'reminder', 'closing']);
  });
});
