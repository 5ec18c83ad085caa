/**
 * `npm start`: with no platform configured (or with --console, `npm run chat`) a chat with the bot
 * in this terminal; otherwise the HTTP server with every configured platform's webhook.
 */
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { configuredPlatforms } from '../adapters/registry.js';
import { connectPlatforms } from '../adapters/connect.js';
import { buildApp, type App } from './app.js';
import { loadDotEnv, readConfig } from './config/env.js';
import { isAppError } from './core/errors.js';
import { createLogger } from './core/log.js';
import { HttpServer } from './server/http-server.js';
import { DAY_MS, Maintenance } from './core/maintenance.js';
import { installProcessGuards } from './server/process-guards.js';
import { registerStoreGauges } from './server/store-gauges.js';
import { startAnnouncementService } from './app-announcements.js';

async function runConsole(app: App): Promise<void> {
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    handle: (e) => app.core.handle(e),
    user: process.env.CONSOLE_USER || 'local',
    localeHint: process.env.LC_ALL || process.env.LANG,
    interactive: Boolean(process.stdin.isTTY),
  });
  app.dispatcher.registerSender('console', (ref, m) => adapter.send(ref, m));
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
    await app.store.close();
  };
  onShutdown(app, async () => {
    await finish();
    process.exit(0);
  });
  await adapter.start();
  await finish();
}

/** SIGTERM/SIGINT: finish the messages in progress (at most the grace period), then close cleanly. */
function onShutdown(app: App, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info('shutting down', { signal });
    setTimeout(() => process.exit(1), app.config.shutdownGraceSeconds * 1000 + 2000).unref();
    void stop();
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

async function runServer(app: App): Promise<void> {
  const { adapters, channels } = await connectPlatforms(app);
  app.dispatcher.metrics.enableProcessMetrics();
  registerStoreGauges(app.dispatcher.metrics, app.store);
  const server = new HttpServer({
    routes: adapters.flatMap((a) => a.routes?.() ?? []),
    databaseReachable: () => app.store.ping().then(() => true),
    metrics: app.dispatcher.metrics,
    logger: app.logger,
  });
  const addr = await server.listen(app.config.port, app.config.host);
  app.logger.info('listening', { host: addr.address, port: addr.port, platforms: adapters.map((a) => a.name) });
  await Promise.all(adapters.map((a) => a.start?.()));
  await app.dispatcher.flushPending();
  // Old event claims are forgotten and posts about erased people rewritten: now, then hourly.
  const maintenance = new Maintenance({
    store: app.store, clock: () => app.dispatcher.now(), logger: app.logger, metrics: app.dispatcher.metrics,
    processedEventMaxAgeMs: app.config.processedEventsMaxAgeDays * DAY_MS,
    tasks: adapters.flatMap((a) => (a.redactErased ? [() => a.redactErased!()] : [])),
  });
  await maintenance.start();
  // Announcements: held copies released when people write, unfinished ones resumed, reminders.
  const announcing = await startAnnouncementService(app, channels);
  // Slack's `/icssi announce` modal sends through it.
  for (const a of adapters) (a as { useAnnouncements?: (x: typeof announcing.announcements) => void }).useAnnouncements?.(announcing.announcements);
  // Replies whose sending failed (a platform outage) are retried while the bot runs, not only when
  // the person writes again.
  const retry = setInterval(() => {
    app.dispatcher.flushPending().catch((err: unknown) => app.logger.warn('retrying pending replies failed', { err }));
  }, 30_000);
  retry.unref();

  onShutdown(app, async () => {
    clearInterval(retry);
    await maintenance.stop();
    // /readyz answers 503 from now on; stop taking requests, finish the messages in progress
    // (bounded), then close the database.
    server.startDraining();
    announcing.stop();
    const grace = new Promise((r) => setTimeout(r, app.config.shutdownGraceSeconds * 1000).unref());
    await Promise.all([server.close(), ...adapters.map((a) => a.stop?.())]);
    await Promise.race([app.dispatcher.drain(), grace]);
    await app.store.close();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  const app = await buildApp(config);
  installProcessGuards(app.logger);
  const wantConsole = process.argv.includes('--console') || configuredPlatforms().length === 0;
  if (wantConsole) await runConsole(app);
  else await runServer(app);
}

main().catch((err: unknown) => {
  if (isAppError(err)) {
    // Configuration and call-definition problems: say what to fix, without a stack trace.
    process.stderr.write(`${err.message}\n`);
  } else {
    // Anything else is a bug or an outage: one JSON line with the stack and cause.
    createLogger('error').error('failed to start', { err });
  }
  process.exit(1);
});
