/**
 * Signing in with a one-time link, signing out, and the desk's language.
 *
 * The link (…/signin?t=TOKEN) is opened from a chat app, whose link previews fetch it too: so a GET
 * never uses the token. It shows a page with one button that POSTs the token; the POST uses the
 * invite (once, atomically), makes a new session (a new random id: any session cookie the
 * browser had is replaced, never reused) and redirects to the desk's clean address. The page's
 * Referrer-Policy is no-referrer and nothing logs URLs, so the token goes nowhere else.
 */
import { LOCALES, type Locale } from '../../domain/records.js';
import { actorOf, errorPage, go, render, type Ctx } from '../context.js';
import { DESK_PATH } from '../config.js';
import { clientAddress, cookie, readForm } from '../http.js';
import { hashToken, newToken, plausibleToken } from '../tokens.js';

export const SESSION_COOKIE = 'desk_session';
export const LANG_COOKIE = 'desk_lang';

export function sessionCookieName(secure: boolean): string {
  // __Secure-: a browser accepts it only over https from a Secure cookie (no downgrade by a network attacker).
  return secure ? `__Secure-${SESSION_COOKIE}` : SESSION_COOKIE;
}

function address(ctx: Ctx): string {
  return clientAddress(ctx.req, ctx.shared.deps.config.trustProxy);
}

function limited(ctx: Ctx): boolean {
  if (!ctx.shared.signInLimit.blocked(address(ctx))) return false;
  ctx.headers['retry-after'] = '60';
  errorPage(ctx, 429, 'tooMany');
  return true;
}

/** A link that is unknown, used or expired: counted against the address. */
function refused(ctx: Ctx, status: number, reason: string): void {
  ctx.shared.signInLimit.fail(address(ctx));
  errorPage(ctx, status, reason);
}

export async function signInPage(ctx: Ctx): Promise<void> {
  if (limited(ctx)) return;
  const token = ctx.url.searchParams.get('t');
  const who = plausibleToken(token) ? await ctx.shared.deps.store.inviteValid(hashToken(token), ctx.shared.deps.core.now()) : null;
  if (!who) return token ? refused(ctx, 410, 'linkUsed') : errorPage(ctx, 401, 'signedOut');
  render(ctx, 'signin', { title: ctx.t('desk:signin.title'), name: who.name, token });
}

export async function signIn(ctx: Ctx): Promise<void> {
  if (limited(ctx)) return;
  const form = await readForm(ctx.req);
  const token = form.get('t');
  const { store, core, config } = ctx.shared.deps;
  const at = core.now();
  const who = plausibleToken(token) ? await store.consumeInvite(hashToken(token), at) : null;
  if (!who) return refused(ctx, 410, 'linkUsed');
  // Rotation: the session the browser may still hold ends; the new one has a fresh id.
  if (ctx.session) await store.endSession(ctx.session.hash);
  const sessionToken = newToken();
  await store.createSession({ ...who, tokenHash: hashToken(sessionToken), at, expiresAt: new Date(at.getTime() + config.sessionHours * 3600_000) });
  await store.record({ at, actor: `desk:${who.name}`, action: 'signin', subject: who.name, detail: who.role });
  ctx.headers['set-cookie'] = [
    cookie(sessionCookieName(config.secure), sessionToken, { path: DESK_PATH, secure: config.secure, maxAgeSeconds: Math.round(config.sessionHours * 3600) }),
  ];
  go(ctx, '/');
}

export async function signOut(ctx: Ctx): Promise<void> {
  const { store, core, config } = ctx.shared.deps;
  if (ctx.session) {
    await store.endSession(ctx.session.hash);
    await store.record({ at: core.now(), actor: actorOf(ctx), action: 'signout', subject: ctx.session.name });
  }
  ctx.headers['set-cookie'] = [cookie(sessionCookieName(config.secure), '', { path: DESK_PATH, secure: config.secure, maxAgeSeconds: 0 })];
  ctx.session = null;
  render(ctx, 'error', { title: ctx.t('desk:signout.title'), message: ctx.t('desk:signout.text') });
}

/** /lang/ar: the desk in Arabic from now on (a preference cookie; nothing else changes). */
export function setLanguage(ctx: Ctx, lng: string): void {
  const { config } = ctx.shared.deps;
  if (!(LOCALES as readonly string[]).includes(lng)) return errorPage(ctx, 404, 'notFound');
  ctx.headers['set-cookie'] = [cookie(LANG_COOKIE, lng as Locale, { path: DESK_PATH, secure: config.secure, maxAgeSeconds: 365 * 86400 })];
  go(ctx, '/');
}
