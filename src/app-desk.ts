/**
 * Builds the organisers' desk (src/desk/) for an app: its store over the app's database, the
 * organiser operations and reports it may use, and the announcements it may send. The desk is
 * given these, never the App, so it joins the organiser command table (issue 21) by taking its
 * entries instead of these operations.
 */
import type { App } from './app.js';
import { AppError } from './core/errors.js';
import type { DeskStore } from './core/desk-ports.js';
import { readDeskConfig, type DeskConfig } from './desk/config.js';
import { createDesk, type DeskMount } from './desk/desk.js';
import { deskInvites, type DeskInvites } from './desk/invites.js';
import type { DeskAnnouncements } from './desk/announce-port.js';
import type { Announcements } from './announcements/sending.js';
import { announcementStoreOf } from './app-announcements.js';

/** The store's desk port: only the database's store has one. */
export function deskStoreOf(app: Pick<App, 'store'>): DeskStore {
  if (!app.store.desk) throw new AppError('CONFIG_INVALID', 'the desk needs the database store');
  return app.store.desk;
}

export function deskConfigOf(app: Pick<App, 'config'>, env: NodeJS.ProcessEnv = process.env): DeskConfig {
  return readDeskConfig(env, app.config);
}

export function deskInvitesOf(app: App, env: NodeJS.ProcessEnv = process.env): DeskInvites {
  return deskInvites({ store: deskStoreOf(app), config: deskConfigOf(app, env), now: () => app.core.now() });
}

/**
 * For the platforms' admin commands (Slack's `/icssi desk`, Telegram's `/desk`): none when the app
 * runs on a store other than the database's (some tests), so those commands are simply absent.
 */
export function deskInvitesFor(app: App, env: NodeJS.ProcessEnv = process.env): DeskInvites | undefined {
  return app.store.desk ? deskInvitesOf(app, env) : undefined;
}

/** The announcement operations the desk uses, over the server's running Announcements. */
function deskAnnouncements(app: App, running: () => Announcements | undefined): DeskAnnouncements {
  const store = announcementStoreOf(app);
  const announcements = () => {
    const a = running();
    if (!a) throw new AppError('STORAGE_UNAVAILABLE', 'announcements are not running yet');
    return a;
  };
  return {
    preview: (input) => announcements().preview(app.call.id, input),
    async start(input, createdBy) {
      const { id } = await announcements().create(app.call.id, input, createdBy);
      // Sent in the background, paced per platform; the page polls its figures.
      void announcements().send(id).catch((err: unknown) => app.logger.warn('announcement not sent', { err }));
      return id;
    },
    async list(limit) {
      const all = (await store.list()).filter((a) => a.callId === app.call.id).reverse().slice(0, limit);
      return Promise.all(all.map(async (a) => ({ id: a.id, kind: a.kind, createdBy: a.createdBy, createdAt: a.createdAt, status: a.status, counts: await store.counts(a.id) })));
    },
    async counts(id) {
      return (await store.get(id)) ? store.counts(id) : null;
    },
  };
}

export function mountDesk(app: App, opts: { announcements?: () => Announcements | undefined; env?: NodeJS.ProcessEnv } = {}): DeskMount {
  return createDesk({
    core: app.core,
    reports: app.reports,
    store: deskStoreOf(app),
    announcements: opts.announcements ? deskAnnouncements(app, opts.announcements) : undefined,
    config: deskConfigOf(app, opts.env),
    secret: app.config.secret,
    logger: app.logger,
  });
}
