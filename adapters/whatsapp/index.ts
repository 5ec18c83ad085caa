/**
 * The registry's entry for WhatsApp: an adapter when the token, phone number id, app secret and
 * verify token are set, else none (readWhatsAppConfig throws CONFIG_INVALID for half of them).
 */
import type { AdapterHost } from '../../src/core/index.js';
import { WhatsAppAdapter } from './adapter.js';
import { readWhatsAppConfig } from './config.js';
import { readWhatsAppPacing } from './pacing-config.js';

export function whatsappAdapter(host: AdapterHost, env: NodeJS.ProcessEnv = process.env): WhatsAppAdapter | null {
  const config = readWhatsAppConfig(env);
  if (!config) return null;
  return new WhatsAppAdapter({ config, core: host.core, secret: host.secret, logger: host.logger, pacing: readWhatsAppPacing(env) });
}
