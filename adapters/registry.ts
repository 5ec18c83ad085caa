/**
 * The platform adapters that the environment configures; with none, `npm start` opens the
 * console. Only each platform's configuration reader is loaded up front: an adapter's module (and
 * its SDK: grammY, the Facebook business SDK, Bolt with its chart renderer) is imported only when
 * that platform is configured, so the console and a one-platform deployment carry no unused SDK.
 */
import type { Adapter, AdapterHost, Platform } from '../src/core/index.js';
import { adapterHost, type App } from '../src/adapter-host.js';
import { readTelegramConfig } from './telegram/config.js';
import { readMessengerConfig } from './messenger/config.js';
import { readSlackConfig } from './slack/config.js';
import { readWhatsAppConfig } from './whatsapp/config.js';

interface AdapterEntry {
  platform: Platform;
  /** Reads the platform's variables: null when it is not configured; throws when misconfigured. */
  configured(env: NodeJS.ProcessEnv): boolean;
  create(host: AdapterHost, env: NodeJS.ProcessEnv): Promise<Adapter | null>;
}

const entries: AdapterEntry[] = [
  {
    platform: 'telegram',
    configured: (env) => readTelegramConfig(env) !== null,
    create: async (host, env) => (await import('./telegram/index.js')).telegramAdapter(host, env),
  },
  {
    platform: 'messenger',
    configured: (env) => readMessengerConfig(env) !== null,
    create: async (host, env) => (await import('./messenger/index.js')).messengerAdapter(host, env),
  },
  {
    platform: 'slack',
    configured: (env) => readSlackConfig(env) !== null,
    create: async (host, env) => (await import('./slack/index.js')).slackAdapter(host, env),
  },
  {
    platform: 'whatsapp',
    configured: (env) => readWhatsAppConfig(env) !== null,
    create: async (host, env) => (await import('./whatsapp/index.js')).whatsappAdapter(host, env),
  },
];

/** The platforms whose variables are set (configuration errors surface here, at start). */
export function configuredPlatforms(env: NodeJS.ProcessEnv = process.env): Platform[] {
  return entries.filter((e) => e.configured(env)).map((e) => e.platform);
}

/** The configured platforms' adapters, each given the one host built from the app (src/adapter-host.ts). */
export async function configuredAdapters(app: App, env: NodeJS.ProcessEnv = process.env): Promise<Adapter[]> {
  const host = adapterHost(app, env);
  const adapters: Adapter[] = [];
  for (const e of entries) {
    if (!e.configured(env)) continue;
    const adapter = await e.create(host, env);
    if (adapter) adapters.push(adapter);
  }
  return adapters;
}
