/**
 * The store over a generated Prisma client (SQLite or PostgreSQL; see prisma-client.ts): each port
 * implemented by its own module over one engine (prisma-engine.ts: the client, how operations run,
 * the performance machinery). Consumers take the port they need; the flat BotStore the
 * composition (src/app.ts) holds is those ports' methods, bound, not a facade of delegations.
 */
import type { BotStore } from '../core/ports.js';
import type { DeskStore } from '../core/desk-ports.js';
import type { AnnouncementStore } from '../announcements/types.js';
import type { Db } from './prisma-client.js';
import { PrismaEngine, type PrismaEngineOptions } from './prisma-engine.js';
import { PrismaConversations } from './prisma-conversations.js';
import { PrismaLeaseHolders } from './prisma-lease-holders.js';
import { PrismaNotices } from './prisma-notices.js';
import { PrismaReceipts } from './prisma-receipts.js';
import { PrismaOrganiserReads } from './prisma-organiser-reads.js';
import { PrismaPurge } from './prisma-purge.js';
import { PrismaHealth } from './prisma-health.js';
import { PrismaIdentity } from './prisma-identity.js';
import { PrismaAnnouncementStore } from './prisma-announcements.js';
import { PrismaDeskStore } from './prisma-desk.js';

export type PrismaStoreOptions = PrismaEngineOptions;

/**
 * Ports only a database store has (the memory double has neither): the composition asks the store
 * for them (src/app-announcements.ts, src/app-desk.ts) instead of asking what class it is.
 */
export interface DatabasePorts {
  readonly announcements: AnnouncementStore;
  readonly desk: DeskStore;
}

/** What the app holds: every BotStore port, and the database's own when it has them. */
export type AppStore = BotStore & Partial<DatabasePorts>;

export type PrismaStore = BotStore & {
  readonly announcements: PrismaAnnouncementStore;
  readonly desk: PrismaDeskStore;
  /** The client, for tests and benches that seed or inspect rows directly. */
  readonly db: Db;
};

/** A port's methods as own properties, bound to it: spreadable into one object. */
type Methods<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] };

function methodsOf<T extends object>(port: T): Methods<T> {
  const out: Record<string, unknown> = {};
  const proto = Object.getPrototypeOf(port) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const value = (port as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof value === 'function') out[name] = (value as (...a: unknown[]) => unknown).bind(port);
  }
  return out as Methods<T>;
}

export function prismaStore(db: Db, options: PrismaStoreOptions): PrismaStore {
  const engine = new PrismaEngine(db, options);
  const conversations = new PrismaConversations(engine);
  return {
    ...methodsOf(conversations),
    ...methodsOf(new PrismaLeaseHolders(engine)),
    ...methodsOf(new PrismaNotices(engine)),
    ...methodsOf(new PrismaReceipts(engine)),
    ...methodsOf(new PrismaOrganiserReads(engine)),
    ...methodsOf(new PrismaPurge(engine)),
    ...methodsOf(new PrismaHealth(engine)),
    ...methodsOf(new PrismaIdentity(engine)),
    announcements: new PrismaAnnouncementStore(engine, conversations),
    desk: new PrismaDeskStore(engine),
    db,
    close: () => engine.close(),
  };
}
