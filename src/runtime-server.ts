/**
 * The bot's HTTP server on the runtime (src/runtime.ts): every configured platform's webhook, the
 * organisers' desk at /desk, maintenance, the lease keeper and the announcements. The order is
 * deliberate: the stop is set before anything that needs stopping, the lease keeper beats before
 * any reply is taken (bounded), and the platforms start in the background after the server listens.
 */
import { HttpServer } from './server/http-server.js';
import { DAY_MS, Maintenance } from './core/maintenance.js';
import { LeaseKeeper } from './core/lease-holders.js';
import { parseDatabaseUrl } from './storage/open-store.js';
import { PlatformStarter } from './server/platform-start.js';
import type { Shutdown } from './server/shutdown.js';
import { registerStoreGauges } from './server/store-gauges.js';
import type { Announcements } from './announcements/sending.js';
import type { Runtime } from './runtime.js';

/** `onFatal`: a platform that cannot start at all (its configuration refused): the process ends. */
export async function runServer(runtime: Runtime, shutdown: Shutdown, onFatal: (err: unknown) => never): Promise<void> {
  const { app } = runtime;
  const { logger } = app;
  // Building an adapter reads its configuration and imports its SDK; nothing goes to the network.
  // The runtime (adapters/connect.ts) registers the senders and builds the announcement channels.
  const { adapters } = await runtime.connect();
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
  const running: { maintenance?: Maintenance; announcing?: Awaited<ReturnType<Runtime['startAnnouncements']>>; retry?: NodeJS.Timeout } = {};
  // Each platform starts in the background (platform-start.ts): one out of reach holds up nothing.
  const platforms = new PlatformStarter({ adapters, logger, onFatal });
  const server = new HttpServer({
    routes: adapters.flatMap((a) => (a.routes?.() ?? []).map((r) => platforms.gate(a.name, r))),
    databaseReachable: () => app.store.ping().then(() => true),
    // The organisers' desk at /desk (src/desk/; README, "The organisers' desk"); its announcement
    // page waits for the announcement service started below.
    mounts: [runtime.desk({ announcements: () => running.announcing?.announcements })],
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
      await runtime.close();
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
  const announcing = (running.announcing = await runtime.startAnnouncements());
  // Slack's `/icssi announce` modal sends through it.
  for (const a of adapters) (a as { useAnnouncements?: (x: Announcements) => void }).useAnnouncements?.(announcing.announcements);
  // Replies whose sending failed (a platform outage) are retried while the bot runs, not only when
  // the person writes again.
  running.retry = setInterval(() => void flush(), 30_000);
  running.retry.unref();
}
