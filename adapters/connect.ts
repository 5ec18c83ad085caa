/**
 * The one composition of the platforms' senders, used by the server, the CLI and the benchmarks:
 * the configured adapters; each one's `send` registered with the dispatcher (replies, notices,
 * decisions: bounded waits and retries inside the request, as nothing else paces them); and each
 * one's announcement channel, built on `sendPaced` — never a wait inside the request, so a 429
 * reaches the announcements' pacer, which pauses the whole platform and sends again through its
 * slots. Building either differently somewhere (a benchmark with other retry settings than
 * production) would measure or run something production does not.
 */
import type { App } from '../src/adapter-host.js';
import type { Adapter, Channel } from '../src/core/index.js';
import { configuredAdapters } from './registry.js';
import { announcementChannels } from './announcement-channels.js';

export interface Connected {
  adapters: Adapter[];
  /** Announcements' channels, one per adapter. */
  channels: Channel[];
}

/** Registers the adapters' senders with the app's dispatcher; returns the adapters and channels. */
export function connectAdapters(app: Pick<App, 'dispatcher'>, adapters: Adapter[]): Connected {
  for (const a of adapters) app.dispatcher.registerSender(a.name, (ref, m) => a.send(ref, m), { commandPrefix: a.capabilities.commandPrefix });
  return { adapters, channels: announcementChannels(adapters) };
}

/** The platforms the environment configures, connected (connectAdapters). */
export async function connectPlatforms(app: App, env: NodeJS.ProcessEnv = process.env): Promise<Connected> {
  return connectAdapters(app, await configuredAdapters(app, env));
}
