/**
 * The configured adapters as channels for announcements: each adapter's own send, with its
 * rendering, splitting and error handling. A copy that is not delivered throws the core's
 * PlatformError (Telegram's 403 included), so who cannot be reached is learned from the send
 * itself and stored on the participant — no adapter keeps it in memory.
 */
import type { Adapter } from '../src/core/adapter.js';
import type { Channel } from '../src/announcements/sending.js';

export function announcementChannels(adapters: Adapter[]): Channel[] {
  return adapters.map((a) => ({
    platform: a.name,
    send: (ref, m) => a.send(ref, m),
    commandPrefix: a.capabilities.commandPrefix,
  }));
}
