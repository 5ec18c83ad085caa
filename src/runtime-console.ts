/**
 * `npm run chat` (or `npm start` with no platform configured): a chat with the bot in this
 * terminal, on the runtime's app (src/runtime.ts).
 */
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { DAY_MS, Maintenance } from './core/maintenance.js';
import type { Shutdown } from './server/shutdown.js';
import type { Runtime } from './runtime.js';

export async function runConsole(runtime: Runtime, shutdown: Shutdown): Promise<void> {
  const { app, env } = runtime;
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    handle: (e) => app.core.handle(e),
    user: env.CONSOLE_USER || 'local',
    localeHint: env.LC_ALL || env.LANG,
    interactive: Boolean(process.stdin.isTTY),
  });
  runtime.connectAdapters([adapter]);
  // Replies stored but not printed when the last session was killed come first. The console is
  // the only process on its database, so the killed session's leases are not waited out.
  await app.dispatcher.flushPending(500, { takeOver: true });
  await new Maintenance({
    store: app.store, clock: () => app.dispatcher.now(), logger: app.logger, metrics: app.dispatcher.metrics,
    processedEventMaxAgeMs: app.config.processedEventsMaxAgeDays * DAY_MS,
  }).runOnce();
  const finish = async () => {
    await adapter.stop();
    await app.dispatcher.drain();
    await runtime.close();
  };
  shutdown.setStop(finish, { logger: app.logger, graceSeconds: app.config.shutdownGraceSeconds });
  await adapter.start();
  await finish();
}
