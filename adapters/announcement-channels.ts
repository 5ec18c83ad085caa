/**
 * The adapters as channels for announcements: each adapter's paced send (`sendPaced`: one request
 * per part, a 429 thrown at once with its wait for the pacer), with its rendering, splitting and
 * error handling; an adapter without one (the console) sends as usual. A copy that is not
 * delivered throws the core's PlatformError (Telegram's 403 included), so who cannot be reached
 * is learned from the send itself and stored on the participant — no adapter keeps it in memory.
 * Entry points build them through connect.ts, as production does.
 */
import type { Adapter, Channel } from '../src/core/index.js';

export function announcementChannels(adapters: Adapter[]): Channel[] {
  return adapters.map((a) => ({
    platform: a.name,
    send: a.sendPaced ? (ref, m, context) => a.sendPaced!(ref, m, context) : (ref, m) => a.send(ref, m),
    commandPrefix: a.capabilities.commandPrefix,
    window: a.capabilities.window,
    pacing: a.capabilities.pacing,
  }));
}
