/**
 * The organisers' desk: server-rendered pages under /desk of the bot's HTTP server. This is its
 * one entry: `createDesk(deps)` returns the handler the server mounts. Every request gets the
 * security headers; every page but sign-in needs a live session; every POST needs the session's
 * CSRF token and a same-origin Origin; organiser-only actions refuse readers whatever the URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { localeFromHint } from '../core/locale-hint.js';
import type { Locale } from '../domain/records.js';
import { DESK_PATH } from './config.js';
import { errorPage, go, type Ctx, type DeskDeps, type DeskShared } from './context.js';
import { cookies, DeskHttpError, readForm, securityHeaders } from './http.js';
import { RateLimit } from './rate-limit.js';
import { loadStaticFiles } from './static-files.js';
import { csrfToken, hashToken, plausibleToken, sameSecret } from './tokens.js';
import { createViews } from './views.js';
import { LANG_COOKIE, sessionCookieName, setLanguage, signIn, signInPage, signOut } from './pages/signin.js';
import { addNote, contributionPage, decideOn, listPage } from './pages/contributions.js';
import { overviewJson, overviewPage } from './pages/overview.js';
import { activityPage } from './pages/activity.js';
import { exportDownload, exportPage } from './pages/export.js';
import { announcePage, announcementJson, announcementPage, announcePost } from './pages/announce.js';

export interface DeskMount {
  /** Requests whose path is this or starts with it + '/' go to `handle`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

type Access = 'anyone' | 'reader' | 'organiser';

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  access: Access;
  /** GET handlers get the path's groups; POST handlers also get the form (read and CSRF-checked). */
  run(ctx: Ctx, groups: string[], form: URLSearchParams): Promise<void> | void;
}

const CODE = '([A-Za-z0-9-]{1,20})';

/**
 * The desk's commands. When the organiser command table lands (issue 21), each organiser entry
 * here (decide, export, announce, invite, revoke) becomes a renderer of that table's entry.
 */
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/signin$/, access: 'anyone', run: (ctx) => signInPage(ctx) },
  { method: 'POST', pattern: /^\/signin$/, access: 'anyone', run: (ctx) => signIn(ctx) },
  { method: 'GET', pattern: /^\/lang\/([a-z]{2,3})$/, access: 'anyone', run: (ctx, [lng]) => setLanguage(ctx, lng!) },
  { method: 'POST', pattern: /^\/signout$/, access: 'reader', run: (ctx) => signOut(ctx) },
  { method: 'GET', pattern: /^\/?$/, access: 'reader', run: (ctx) => overviewPage(ctx) },
  { method: 'GET', pattern: /^\/overview\.json$/, access: 'reader', run: (ctx) => overviewJson(ctx) },
  { method: 'GET', pattern: /^\/contributions$/, access: 'reader', run: (ctx) => listPage(ctx) },
  { method: 'GET', pattern: new RegExp(`^/c/${CODE}$`), access: 'reader', run: (ctx, [code]) => contributionPage(ctx, code!) },
  { method: 'POST', pattern: new RegExp(`^/c/${CODE}/notes$`), access: 'reader', run: (ctx, [code], form) => addNote(ctx, code!, form) },
  { method: 'POST', pattern: new RegExp(`^/c/${CODE}/decision$`), access: 'organiser', run: (ctx, [code], form) => decideOn(ctx, code!, form) },
  { method: 'GET', pattern: /^\/activity$/, access: 'reader', run: (ctx) => activityPage(ctx) },
  { method: 'GET', pattern: /^\/export$/, access: 'organiser', run: (ctx) => exportPage(ctx) },
  { method: 'POST', pattern: /^\/export$/, access: 'organiser', run: (ctx, _g, form) => exportDownload(ctx, form) },
  { method: 'GET', pattern: /^\/announcements$/, access: 'organiser', run: (ctx) => announcePage(ctx) },
  { method: 'POST', pattern: /^\/announcements$/, access: 'organiser', run: (ctx, _g, form) => announcePost(ctx, form) },
  { method: 'GET', pattern: /^\/announcements\/([0-9a-f-]{36})$/, access: 'organiser', run: (ctx, [id]) => announcementPage(ctx, id!) },
  { method: 'GET', pattern: /^\/announcements\/([0-9a-f-]{36})\.json$/, access: 'organiser', run: (ctx, [id]) => announcementJson(ctx, id!) },
];

function languageOf(req: IncomingMessage, chosen: string | undefined): Locale {
  if (chosen === 'en' || chosen === 'ar' || chosen === 'ckb') return chosen;
  const first = String(req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0];
  return localeFromHint(first) ?? 'en';
}

/**
 * Same-origin POSTs only. Browsers say where a request comes from in Sec-Fetch-Site; with
 * Referrer-Policy no-referrer (ours) they send `Origin: null` on a form POST, so Origin is only
 * the fallback for clients without Fetch Metadata. The CSRF token is checked as well, always.
 */
function sameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return true;
  if (origin === new URL(publicUrl).origin) return true;
  // Reached directly (not through the public address, e.g. on the server itself): its own host.
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export function createDesk(deps: DeskDeps): DeskMount {
  const statics = loadStaticFiles();
  // Ten failed sign-ins a minute per address; a person with a valid link never fails.
  const shared: DeskShared = { deps, views: createViews(), signInLimit: new RateLimit(10, 60_000) };
  const { config } = deps;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.slice(DESK_PATH.length) || '/';
    const headers: Record<string, string | string[]> = securityHeaders(config.secure);
    if (path.startsWith('/static/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const file = statics.get(path.slice('/static/'.length));
      if (!file) return void res.writeHead(404, headers).end();
      if (req.headers['if-none-match'] === file.etag) return void res.writeHead(304, { ...headers, etag: file.etag }).end();
      res.writeHead(200, { ...headers, 'content-type': file.type, etag: file.etag, 'cache-control': 'no-cache' });
      return void res.end(req.method === 'HEAD' ? undefined : file.body);
    }
    const jar = cookies(req);
    const lng = languageOf(req, jar.get(LANG_COOKIE));
    const t = deps.core.texts.fixedT(lng);
    const ctx: Ctx = { shared, req, res, url, path, lng, dir: deps.core.texts.dir(lng), t, headers, session: null, csrf: '' };
    const token = jar.get(sessionCookieName(config.secure));
    if (plausibleToken(token)) {
      const hash = hashToken(token);
      const s = await deps.store.session(hash, deps.core.now());
      if (s) {
        ctx.session = { ...s, hash };
        ctx.csrf = csrfToken(deps.secret, hash);
      }
    }
    const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
    const hit = matches.find((x) => x.r.method === req.method);
    if (!hit) {
      if (matches.length === 0) return errorPage(ctx, 404, 'notFound');
      ctx.headers.allow = [...new Set(matches.map((x) => x.r.method))].join(', ');
      return errorPage(ctx, 405, 'method');
    }
    const { r, m } = hit;
    if (r.access !== 'anyone' && !ctx.session) {
      if (req.method === 'GET' && path !== '/overview.json') return go(ctx, '/signin');
      return errorPage(ctx, 401, 'signedOut');
    }
    if (r.access === 'organiser' && ctx.session?.role !== 'organiser') return errorPage(ctx, 403, 'forbidden');
    try {
      let form = new URLSearchParams();
      if (req.method === 'POST') {
        if (!sameOrigin(req, config.publicUrl)) return errorPage(ctx, 403, 'csrf');
        if (r.access !== 'anyone') {
          form = await readForm(req);
          if (!sameSecret(form.get('_csrf') ?? '', ctx.csrf)) return errorPage(ctx, 403, 'csrf');
        }
      }
      await r.run(ctx, m!.slice(1), form);
    } catch (err) {
      if (err instanceof DeskHttpError) return errorPage(ctx, err.status, err.reason);
      throw err;
    }
  }

  return { prefix: DESK_PATH, handle };
}
