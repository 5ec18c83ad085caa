/**
 * The composition root: the one place the bot is assembled. `buildRuntime(config)` builds the App
 * (src/app.ts) and gives, on demand, what the entry points add to it — the configured platforms
 * with their senders registered and their announcement channels (adapters/connect.ts, asked here
 * only), the announcements, the organisers' desk. `npm start` (src/main.ts with
 * src/runtime-server.ts and src/runtime-console.ts), every CLI command, the transcripts script and
 * every benchmark get their app from here, so none of them runs a bot assembled unlike production.
 */
import { buildApp, type App, type AppOverrides } from './app.js';
import type { AppConfig } from './config/env.js';
import type { Adapter } from './core/adapter.js';
import type { Platform } from './core/types.js';
import type { Announcements } from './announcements/sending.js';
import type { DeskMount } from './desk/desk.js';
import type { DeskInvites } from './desk/invites.js';
import { configuredPlatforms } from '../adapters/registry.js';
import { connectAdapters, connectPlatforms, type Connected } from '../adapters/connect.js';
import { createAnnouncements, startAnnouncementService } from './app-announcements.js';
import { deskInvitesOf, mountDesk } from './app-desk.js';

export type { Connected };

export interface RuntimeOptions extends AppOverrides {
  /** Where the platforms' and the desk's variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Runtime {
  app: App;
  env: NodeJS.ProcessEnv;
  /** The platforms whose variables are set (configuration errors are thrown here). */
  platformNames(): Platform[];
  /**
   * The configured platforms: built (their SDK imported, nothing sent), each one's sender
   * registered with the dispatcher and its announcement channel made. Once per runtime.
   */
  connect(): Promise<Connected>;
  /** Adapters built elsewhere (the console, a benchmark's own) connected the same way. */
  connectAdapters(adapters: Adapter[]): Connected;
  /**
   * An announcement sender over the connected platforms' channels (connecting them if needed);
   * `listen`: held copies released as people write (the server's startAnnouncements does).
   */
  announcements(opts?: { listen?: boolean }): Promise<Announcements>;
  /** The server's announcements: held copies released as people write, resumes, reminders. */
  startAnnouncements(): Promise<{ announcements: Announcements; check(): Promise<void>; stop(): void }>;
  /** The organisers' desk, mounted at /desk by the server. */
  desk(opts?: { announcements?: () => Announcements | undefined }): DeskMount;
  deskInvites(): DeskInvites;
  /** Closes the database. */
  close(): Promise<void>;
}

export async function buildRuntime(config: AppConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const { env = process.env, ...overrides } = opts;
  const app = await buildApp(config, overrides);
  let connected: Connected | undefined;
  let connecting: Promise<Connected> | undefined;
  const connect = () => (connecting ??= connectPlatforms(app, env).then((c) => (connected = c)));
  const channels = async () => (connected ?? (await connect())).channels;
  return {
    app,
    env,
    platformNames: () => configuredPlatforms(env),
    connect,
    connectAdapters(adapters) {
      connected = connectAdapters(app, adapters);
      connecting = Promise.resolve(connected);
      return connected;
    },
    announcements: async (o = {}) => createAnnouncements(app, await channels(), { listen: o.listen }),
    startAnnouncements: async () => startAnnouncementService(app, await channels(), env),
    desk: (o = {}) => mountDesk(app, { ...o, env }),
    deskInvites: () => deskInvitesOf(app, env),
    close: () => app.store.close(),
  };
}
