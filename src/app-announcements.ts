/**
 * Builds the announcement sender for an app and its channels: the store over the app's database,
 * a pacer per platform (rates from ANNOUNCE_RATE_<PLATFORM>, messages per second), and — when
 * `listen` — held copies released whenever a participant writes.
 */
import type { App } from './app.js';
import { AppError } from './core/errors.js';
import type { Platform } from './core/types.js';
import type { Pacing } from './core/adapter.js';
import { Pacer } from './announcements/pacer.js';
import { Announcements, type Channel } from './announcements/sending.js';
import type { AnnouncementStore } from './announcements/types.js';
import { reminderConfigFromEnv, Reminders } from './announcements/reminders.js';

/** A pacer per channel: the rate its adapter declares, unless ANNOUNCE_RATE_<PLATFORM> sets one. */
export function pacersFromEnv(channels: { platform: Platform; pacing: Pacing }[], env: NodeJS.ProcessEnv = process.env): Partial<Record<Platform, Pacer>> {
  const out: Partial<Record<Platform, Pacer>> = {};
  for (const { platform: p, pacing } of channels) {
    const raw = env[`ANNOUNCE_RATE_${p.toUpperCase()}`]?.trim();
    const rate = raw ? Number(raw) : pacing.ratePerSecond;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new AppError('CONFIG_INVALID', `ANNOUNCE_RATE_${p.toUpperCase()} must be a positive number of messages per second`);
    out[p] = new Pacer({ ratePerSecond: rate, perChatMs: pacing.perChatMs });
  }
  return out;
}

/** The store's announcements port: only the database's store has one. */
export function announcementStoreOf(app: Pick<App, 'store'>): AnnouncementStore {
  if (!app.store.announcements) throw new AppError('CONFIG_INVALID', 'announcements need the database store');
  return app.store.announcements;
}

export function createAnnouncements(app: App, channels: Channel[], opts: { listen?: boolean; pacers?: Partial<Record<Platform, Pacer>> } = {}): Announcements {
  const announcements = new Announcements({
    store: announcementStoreOf(app),
    renderer: app.core.texts,
    channels,
    clock: () => app.dispatcher.now(),
    logger: app.logger,
    pacers: opts.pacers ?? pacersFromEnv(channels),
    onAccepted: (sent) => app.dispatcher.rememberSent(sent),
  });
  // Only platforms whose window holds copies (Messenger's 24 hours) have any to release: other
  // platforms' messages cost no query.
  if (opts.listen) app.dispatcher.onParticipantWrote(async (p) => (announcements.holdsCopies(p.platform) ? announcements.releaseFor(p.id) : 0));
  return announcements;
}

/**
 * In the server: held copies go when people write, announcements a stopped process left
 * unfinished are resumed, and every few minutes (REMINDER_CHECK_SECONDS) reminders are checked and
 * copies waiting for a platform's daily limit on new people are sent once it has freed.
 * `check()` runs that periodic work now.
 */
export async function startAnnouncementService(app: App, channels: Channel[], env: NodeJS.ProcessEnv = process.env): Promise<{ announcements: Announcements; check(): Promise<void>; stop(): void }> {
  const announcements = createAnnouncements(app, channels, { listen: true });
  const reminders = new Reminders({
    announcements, call: app.call, renderer: app.core.texts, clock: () => app.dispatcher.now(), logger: app.logger, config: reminderConfigFromEnv(env),
  });
  let current: Promise<void> | null = null;
  const run = async (atStart: boolean) => {
    // At the start, every unfinished announcement (a stopped process left it: its copies in flight
    // become uncertain once their lease has run out); then, those no sender is working on — copies
    // waiting for a platform's daily limit, sent as it frees.
    const resume = atStart ? announcements.resumeAll() : announcements.resumeIdle();
    await resume.catch((err: unknown) => app.logger.warn('announcements not resumed', { err }));
    await reminders.tick().catch((err: unknown) => app.logger.warn('reminders not sent', { err }));
  };
  // One run at a time: a timer firing during a long run adds nothing.
  const check = (atStart = false): Promise<void> => (current ??= run(atStart).finally(() => (current = null)));
  // Not awaited: a long announcement must not hold up the start.
  void check(true);
  const seconds = Number(env.REMINDER_CHECK_SECONDS?.trim() || 300);
  const timer = setInterval(() => void check(), Math.max(10, seconds) * 1000);
  timer.unref();
  return {
    announcements,
    // A run already under way may have begun before what the caller waits for: one more after it.
    check: async () => {
      await current;
      await check();
    },
    stop: () => clearInterval(timer),
  };
}
