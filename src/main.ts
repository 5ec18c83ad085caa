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
import { LeaseKeeper } from './core/lease-holders.js';
import { parseDatabaseUrl } from './storage/open-store.js';
import { installProcessGuards } from './server/process-guards.js';
import { PlatformStarter } from './server/platform-start.js';
import { Shutdown } from './server/shutdown.js';
import { registerStoreGauges } from './server/store-gauges.js';
import { startAnnouncementService } from './app-announcements.js';
import type { Announcements } from './announcements/sending.js';
import { mountDesk } from './app-desk.js';

async function runConsole(app: App, shutdown: Shutdown): Promise<void> {
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
  shutdown.setStop(finish, { logger: app.logger, graceSeconds: app.config.shutdownGraceSeconds });
  await adapter.start();
  await finish();
}

async function runServer(app: App, shutdown: Shutdown): Promise<void> {
  const { logger } = app;
  // Building an adapter reads its configuration and imports its SDK; nothing goes to the network.
  // One composition (adapters/connect.ts) registers the senders and builds the announcement channels.
  const { adapters, channels } = await connectPlatforms(app);
  app.dispatcher.metrics.enableProcessMetrics();
  registerStoreGauges(app.dispatcher.metrics, app.store);
  // This process beats as a lease holder from before it takes any reply, and takes over, within
  // seconds, the replies of a holder that stopped (a killed process, this one's predecessor too).
  // On SQLite the server is the only one (several instances need PostgreSQL, docs/deploy.md):
  // what its predecessor held is taken over at once.
  const leases = new LeaseKeeper({
    store: app.store, view: app.dispatcher.outbox.holders, clock: () => app.dispatcher.now(), logger: app.logger, metrics: app.dispatcher.metrics,
    takeOver: (keys) => app.dispatcher.takeOver(keys),
  });
  // Bounded: a platform out of reach must not keep the server from answering (its replies stay
  // leased by this process and go with the next flush).
  const takenOver = leases.start({ alone: parseDatabaseUrl(app.config.databaseUrl).provider === 'sqlite' });
  await Promise.race([takenOver, new Promise((r) => setTimeout(r, 5_000).unref())]);
  // What the stop below ends: set as the start-up reaches it (a signal may come at any point).
  const running: { maintenance?: Maintenance; announcing?: Awaited<ReturnType<typeof startAnnouncementService>>; retry?: NodeJS.Timeout } = {};
  // Each platform starts in the background (platform-start.ts): one out of reach holds up nothing.
  const platforms = new PlatformStarter({ adapters, logger, onFatal: startFailed });
  const server = new HttpServer({
    routes: adapters.flatMap((a) => (a.routes?.() ?? []).map((r) => platforms.gate(a.name, r))),
    databaseReachable: () => app.store.ping().then(() => true),
    // The organisers' desk at /desk (src/desk/; README, "The organisers' desk"); its announcement
    // page waits for the announcement service started below.
    mounts: [mountDesk(app, { announcements: () => running.announcing?.announcements })],
    platformsNotReady: () => platforms.notReady(),
    metrics: app.dispatcher.metrics,
    logger,
  });
  shutdown.setStop(
    async () => {
      platforms.stop();
      clearInterval(running.retry);
      await running.maintenance?.stop();
      // /readyz answers 503 from now on; stop taking requests, finish the messages in progress
      // (bounded), then close the database.
      server.startDraining();
      running.announcing?.stop();
      const grace = new Promise((r) => setTimeout(r, app.config.shutdownGraceSeconds * 1000).unref());
      const stopAdapter = (a: (typeof adapters)[number]) => a.stop?.().catch((err: unknown) => logger.warn('stopping a platform failed', { platform: a.name, err }));
      await Promise.all([server.close(), ...adapters.map(stopAdapter)]);
      await Promise.race([app.dispatcher.drain(), grace]);
      await leases.stop();
      await app.store.close();
    },
    { logger, graceSeconds: app.config.shutdownGraceSeconds },
  );
  const addr = await server.listen(app.config.port, app.config.host);
  logger.info('listening', { host: addr.address, port: addr.port, platforms: adapters.map((a) => a.name) });
  platforms.start();

  // The database's work, whatever the platforms do. Replies left in the outbox are sent in the
  // background: a platform still out of reach keeps them there for the next flush.
  const flush = () => app.dispatcher.flushPending().catch((err: unknown) => logger.warn('retrying pending replies failed', { err }));
  void flush();
  // Old event claims are forgotten and posts about erased people rewritten: now, then hourly.
  const maintenance = (running.maintenance = new Maintenance({
    store: app.store, clock: () => app.dispatcher.now(), logger, metrics: app.dispatcher.metrics,
    processedEventMaxAgeMs: app.config.processedEventsMaxAgeDays * DAY_MS,
    tasks: adapters.flatMap((a) => (a.redactErased ? [() => a.redactErased!()] : [])),
  }));
  await maintenance.start();
  // Announcements: held copies released when people write, unfinished ones resumed, reminders.
  const announcing = (running.announcing = await startAnnouncementService(app, channels));
  // Slack's `/icssi announce` modal sends through it.
  for (const a of adapters) (a as { useAnnouncements?: (x: Announcements) => void }).useAnnouncements?.(announcing.announcements);
  // Replies whose sending failed (a platform outage) are retried while the bot runs, not only when
  // the person writes again.
  running.retry = setInterval(() => void flush(), 30_000);
  running.retry.unref();
}

/**
 * Why the bot could not start, for the operator. Configuration and call-definition problems: the
 * message says what to fix, without a stack trace; a database that cannot be opened keeps the
 * database's own reason (a missing database, a refused connection, a wrong password). Anything
 * else is a bug or an outage: one JSON line with the stack and cause.
 */
function startFailed(err: unknown): never {
  if (isAppError(err)) process.stderr.write(`${err.message}${isAppError(err, 'STORAGE_UNAVAILABLE') ? causeOf(err) : ''}\n`);
  else createLogger('error').error('failed to start', { err });
  process.exit(1);
}

/** ": <the cause's message>", e.g. `database "icssi" does not exist` or `connect ECONNREFUSED …`. */
function causeOf(err: Error): string {
  const cause = err.cause;
  if (!(cause instanceof Error)) return '';
  // A refused connection to a name with two addresses is an AggregateError without a message.
  const parts: Error[] = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors : [cause];
  const texts = [...new Set(parts.map((e) => e.message || String((e as { code?: unknown }).code ?? '')).filter(Boolean))];
  return texts.length > 0 ? `: ${texts.join('; ')}` : '';
}

async function main(): Promise<void> {
  // First thing: a SIGTERM during start-up ends the process at once, with code 0.
  const shutdown = new Shutdown().install();
  loadDotEnv();
  const config = readConfig();
  const app = await buildApp(config);
  installProcessGuards(app.logger);
  shutdown.setStop(() => app.store.close(), { logger: app.logger, graceSeconds: config.shutdownGraceSeconds });
  const wantConsole = process.argv.includes('--console') || configuredPlatforms().length === 0;
  if (wantConsole) await runConsole(app, shutdown);
  else await runServer(app, shutdown);
}

main().catch(startFailed);
