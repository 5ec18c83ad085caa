/**
 * Builds the application from configuration: i18n, the call, storage, the dispatcher, and the
 * operations adapters and organisers' code are given instead of the dispatcher's parts (`core`,
 * `reports`). Entry points do not call it themselves: they go through the composition root
 * (src/runtime.ts), which adds the platforms, announcements and the desk.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from './domain/call-definition.js';
import { Dispatcher } from './core/dispatcher.js';
import { coreApi, type CoreApi } from './core/bot-core.js';
import { organiserReports, type OrganiserReports } from './organisers/reports.js';
import { createLogger, type Logger } from './core/log.js';
import { createI18n } from './config/i18n.js';
import { loadCallDefinition } from './config/load-call.js';
import type { AppConfig } from './config/env.js';
import { openStore } from './storage/open-store.js';
import type { AppStore } from './storage/prisma-store.js';

export interface App {
  config: AppConfig;
  i18n: I18n;
  call: CallDefinition;
  /** Every port; the database's store also has its own (announcements, the desk). */
  store: AppStore;
  dispatcher: Dispatcher;
  /** The core as adapters and the organisers' code use it (src/core/bot-core.ts). */
  core: CoreApi;
  reports: OrganiserReports;
  logger: Logger;
}

/** What a test, a benchmark or the transcripts give instead of the configured parts. */
export interface AppOverrides {
  logger?: Logger;
  store?: AppStore;
  clock?: () => Date;
  /** The dispatcher's random source (receipt codes): seeded where output must not change. */
  random?: () => number;
}

export async function buildApp(config: AppConfig, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const i18n = await createI18n();
  const call = loadCallDefinition(config.callFile, i18n);
  const store =
    overrides.store ??
    (await openStore(config.databaseUrl, {
      // An upgrade's schema changes, in the log: which migrations this start applied.
      onMigrated: ({ applied, edited }) => {
        if (applied.length > 0) logger.info('database migrations applied', { migrations: applied });
        if (edited.length > 0) logger.warn('applied migrations changed since they were applied', { migrations: edited });
      },
    }));
  const dispatcher = new Dispatcher({ store, i18n, call, secret: config.secret, logger, clock: overrides.clock, random: overrides.random });
  const core = coreApi(dispatcher);
  const reports = organiserReports({ store, core, secret: config.secret });
  return { config, i18n, call, store, dispatcher, core, reports, logger };
}
