/**
 * The registry's entry for Slack: an adapter when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are
 * set, else none. readSlackConfig throws CONFIG_INVALID for a half or malformed configuration.
 */
import type { App } from '../../src/app.js';
import { SlackAdapter } from './adapter.js';
import { readSlackConfig } from './config.js';
import { deskInvitesFor } from '../../src/app-desk.js';

export function slackAdapter(app: App, env: NodeJS.ProcessEnv = process.env): SlackAdapter | null {
  const config = readSlackConfig(env);
  if (!config) return null;
  return new SlackAdapter({ config, core: app.core, reports: app.reports, desk: deskInvitesFor(app, env), logger: app.logger });
}
