/**
 * What a platform adapter is given instead of the App: the core's operations, the organisers'
 * reports, the desk's invitations (when the database store runs), the logger and the secret. Built
 * from the App here and only here; the adapters' registry (adapters/registry.ts) calls it once and
 * hands the same host to every configured platform, so what adapters may reach is this list.
 */
import type { App } from './app.js';
import type { CoreApi } from './core/bot-core.js';
import type { Logger } from './core/log.js';
import type { OrganiserReports } from './organisers/reports.js';
import type { DeskInvites } from './desk/invites.js';
import { deskInvitesFor } from './app-desk.js';

export type { App } from './app.js';

export interface AdapterHost {
  /** The core's operations (BotCore for the conversation, OrganiserCore for the admin commands). */
  readonly core: CoreApi;
  /** Stats and exports for the organisers' platform commands (`/icssi stats`, `/stats`). */
  readonly reports: OrganiserReports;
  /** One-time links to the organisers' desk; absent when the app runs without the database store. */
  readonly desk?: DeskInvites;
  readonly logger: Logger;
  /** ICSSI_SECRET: keys what a platform signs with it (Messenger's data-deletion confirmation codes). */
  readonly secret: string;
}

export function adapterHost(app: App, env: NodeJS.ProcessEnv = process.env): AdapterHost {
  // The desk's invitations are read when a platform asks for them (Telegram's and Slack's entries),
  // as before: a desk misconfiguration stays an error of the platforms that offer `/desk`.
  let desk: { value: DeskInvites | undefined } | undefined;
  return {
    core: app.core, reports: app.reports, logger: app.logger, secret: app.config.secret,
    get desk() {
      desk ??= { value: deskInvitesFor(app, env) };
      return desk.value;
    },
  };
}
