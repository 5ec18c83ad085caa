/**
 * One request at the desk: who is signed in (if anyone), their language, the CSRF token of their
 * session, and how to answer (a page in the layout, a redirect, an error page).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TFunction } from 'i18next';
import type { Eta } from 'eta';
import type { DeskSessionRecord, DeskStore } from '../core/desk-ports.js';
import type { OrganiserCore } from '../core/bot-core.js';
import type { Logger } from '../core/log.js';
import type { Locale } from '../domain/records.js';
import type { OrganiserReports } from '../organisers/reports.js';
import type { DeskConfig } from './config.js';
import { DESK_PATH } from './config.js';
import { redirect, sendHtml } from './http.js';
import type { RateLimit } from './rate-limit.js';
import type { DeskAnnouncements } from './announce-port.js';

/** What the desk is given by the composition: the narrow seam (see README, "The organisers' desk"). */
export interface DeskDeps {
  core: Pick<OrganiserCore, 'call' | 'now' | 'texts' | 'recordDecision' | 'notifyAuthor'>;
  reports: OrganiserReports;
  store: DeskStore;
  /** Absent when no platform can carry an announcement (the page says so). */
  announcements?: DeskAnnouncements;
  config: DeskConfig;
  /** ICSSI_SECRET: keys the CSRF tokens. */
  secret: string;
  logger: Logger;
}

export interface DeskShared {
  deps: DeskDeps;
  views: Eta;
  signInLimit: RateLimit;
}

export interface Ctx {
  shared: DeskShared;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path under the desk, e.g. /contributions. */
  path: string;
  lng: Locale;
  dir: 'ltr' | 'rtl';
  t: TFunction;
  headers: Record<string, string | string[]>;
  session: (DeskSessionRecord & { hash: string }) | null;
  csrf: string;
}

export function actorOf(ctx: Ctx): string {
  return `desk:${ctx.session?.name ?? 'unknown'}`;
}

/** Renders `view` inside the layout with what every page needs. */
export function render(ctx: Ctx, view: string, data: Record<string, unknown>, status = 200): void {
  const { deps, views } = ctx.shared;
  const html = views.render(view, {
    ...data,
    t: ctx.t,
    lng: ctx.lng,
    dir: ctx.dir,
    base: DESK_PATH,
    me: ctx.session,
    csrf: ctx.csrf,
    path: ctx.path,
    time: (d: Date) => deps.core.texts.formatTime(d.toISOString(), ctx.lng),
    num: (n: number) => ctx.t('desk:number', { n }),
  });
  sendHtml(ctx.res, status, html, ctx.headers);
}

export function errorPage(ctx: Ctx, status: number, reason: string): void {
  render(ctx, 'error', { title: ctx.t(`desk:error.${reason}.title`), message: ctx.t(`desk:error.${reason}.text`) }, status);
}

export function go(ctx: Ctx, to: string): void {
  redirect(ctx.res, `${DESK_PATH}${to}`, ctx.headers);
}
