/**
 * The registry's entry for Messenger: an adapter when the Page token, app secret and verify token
 * are set, else none (readMessengerConfig throws CONFIG_INVALID for half a configuration).
 */
import type { AdapterHost } from '../../src/core/index.js';
import { MessengerAdapter } from './adapter.js';
import { readMessengerConfig } from './config.js';

export function messengerAdapter(host: AdapterHost, env: NodeJS.ProcessEnv = process.env): MessengerAdapter | null {
  const config = readMessengerConfig(env);
  if (!config) return null;
  return new MessengerAdapter({ config, core: host.core, secret: host.secret, logger: host.logger });
}
