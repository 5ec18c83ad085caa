/**
 * The registry's entry for Messenger: an adapter when the Page token, app secret and verify token
 * are set, else none (readMessengerConfig throws CONFIG_INVALID for half a configuration).
 */
import type { App } from '../../src/app.js';
import { MessengerAdapter } from './adapter.js';
import { readMessengerConfig } from './config.js';

export function messengerAdapter(app: App, env: NodeJS.ProcessEnv = process.env): MessengerAdapter | null {
  const config = readMessengerConfig(env);
  if (!config) return null;
  return new MessengerAdapter({ config, core: app.core, secret: app.config.secret, logger: app.logger });
}
