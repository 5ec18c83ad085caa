/**
 * The registry's entry for Slack: an adapter when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are
 * set, else none. readSlackConfig throws CONFIG_INVALID for a half or malformed configuration.
 */
import type { AdapterHost } from '../../src/core/index.js';
import { SlackAdapter } from './adapter.js';
import { readSlackConfig } from './config.js';

export function slackAdapter(host: AdapterHost, env: NodeJS.ProcessEnv = process.env): SlackAdapter | null {
  const config = readSlackConfig(env);
  if (!config) return null;
  return new SlackAdapter({ config, core: host.core, reports: host.reports, desk: host.desk, logger: host.logger });
}
