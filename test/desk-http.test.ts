/**
 * The organisers' desk over real HTTP, on the server `npm start` assembles (SQLite file, Telegram
 * against the fake Bot API): one-time sign-in links, sessions, roles, CSRF, escaping, decisions
 * told to the author, notes erased with the author, revocation.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_TS } from './helpers/run-ts.js';
import { DESK_ADMIN_TELEGRAM_ID, deskStoreOf, Person, startDeskServer, type DeskServer } from './helpers/desk.js';

let desk: DeskServer;
let arCode = '';
let xssCode = '';
const author = new Person(7_700_001, 'ar');
const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(2)> ' + 'word '.repeat(200);

/** A browser's part: cookies kept per origin path, redirects not followed. */
class Client {
  readonly jar = new Map<string, string>();
  constructor(private readonly base: string) {}

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: Response): Response {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (v === '') this.jar.delete(k!);
      else this.jar.set(k!, v!);
    }
    return r;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(this.url(path), { redirect: 'manual', headers: { cookie: this.cookieHeader() } }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await fetch(this.url(path), {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin, ...headers },
    }));
  }

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.base}${path}`;
  }

  /** Signs in with a link: the GET shows a button, the POST uses the token. */
  async signIn(link: string): Promise<Response> {
    const page = await (await this.get(link)).text();
    const token = /name="t" value="([^"]+)"/.exec(page)?.[1] ?? '';
    return this.post('/signin', { t: token });
  }

  async csrf(path = '/'): Promise<string> {
    const html = await (await this.get(path)).text();
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }
}

beforeAll(async () => {
  desk = await startDeskServer();
  arCode = await desk.contribute(author, 'ar', 2);
  xssCode = await desk.contribute(new Person(7_700_002, 'en'), 'en', 1, XSS);
}, 120_000);
afterAll(async () => {
  await desk?.close();
});

describe('signing in', () => {
  it('a link signs in once: its GET changes nothing (link previews), its POST makes a session cookie, a second use is refused', async () => {
    const link = await desk.invite('Layla');
    expect(link).toMatch(new RegExp(`^${desk.base}/signin\\?t=[A-Za-z0-9_-]{43}$`));
    const browser = new Client(desk.base);
    // A chat app's preview fetches the link first: the link still works afterwards.
    expect((await fetch(link)).status).toBe(200);
    const signedIn = await browser.signIn(link);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/desk/');
    const cookie = signedIn.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/^desk_session=[A-Za-z0-9_-]{43}; Path=\/desk; SameSite=Lax; HttpOnly; Max-Age=43200$/);
    const overview = await browser.get('/');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('Layla');
    // The same link again, from another browser: refused.
    const other = new Client(desk.base);
    expect((await other.get(link)).status).toBe(410);
    expect((await other.post('/signin', { t: new URL(link).searchParams.get('t')! })).status).toBe(410);
    expect(other.jar.size).toBe(0);
  });

  it('sends a visitor without a session to the sign-in page, and says so to a form', async () => {
    const anon = new Client(desk.base);
    const r = await anon.get('/contributions');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/desk/signin');
    expect((await anon.post('/c/' + arCode + '/notes', { note: 'x' })).status).toBe(401);
  });

  it('sets a strict CSP and security headers, and its pages hold no inline script or style', async () => {
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Headers'));
    const r = await browser.get(`/c/${arCode}`);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await r.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

});

describe('reading and deciding', () => {
  it('shows a contribution whose text is markup as text', async () => {
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Reader of markup', 'reader'));
    const html = await (await browser.get(`/c/${xssCode}`)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
  });

  it('refuses a reader a decision even by typing its URL, and shows them no decision form', async () => {
    const reader = new Client(desk.base);
    await reader.signIn(await desk.invite('Rana', 'reader'));
    const page = await (await reader.get(`/c/${arCode}`)).text();
    expect(page).not.toContain('/decision');
    const csrf = await reader.csrf(`/c/${arCode}`);
    const r = await reader.post(`/c/${arCode}/decision`, { _csrf: csrf, decision: 'accepted' });
    expect(r.status).toBe(403);
    expect((await reader.get('/export')).status).toBe(403);
    expect((await reader.post('/export', { _csrf: csrf, format: 'csv' })).status).toBe(403);
    expect((await deskStoreOf(desk.app).contribution(arCode))!.row.state).toBe('submitted');
  });

  it('refuses a form without its CSRF token, or from another origin', async () => {
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Csrf'));
    expect((await browser.post(`/c/${arCode}/notes`, { note: 'no token' })).status).toBe(403);
    expect((await browser.post(`/c/${arCode}/notes`, { note: 'wrong token', _csrf: 'x'.repeat(43) })).status).toBe(403);
    const csrf = await browser.csrf(`/c/${arCode}`);
    expect((await browser.post(`/c/${arCode}/notes`, { note: 'other site', _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await deskStoreOf(desk.app).contribution(arCode))!.notes).toEqual([]);
  });

  it('records a decision through the core, tells the author in Arabic on Telegram, and says so truthfully', async () => {
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Omar'));
    const csrf = await browser.csrf(`/c/${arCode}`);
    const before = desk.api.calls.length;
    const r = await browser.post(`/c/${arCode}/decision`, { _csrf: csrf, decision: 'revision_requested', note: 'أضف مثالًا من البصرة' });
    expect(r.status).toBe(303);
    const sent = desk.api.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(author.id));
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.params.text)).toContain('يطلب المنظمون منك تعديل مساهمتك');
    const page = await (await browser.get(r.headers.get('location')!.replace('/desk', ''))).text();
    expect(page).toContain('Decision recorded.');
    expect(page).toContain('The author has been told.');
    const activity = await (await browser.get('/activity')).text();
    expect(activity).toContain('desk:Omar');
    expect(activity).toContain(arCode);
  });

  it('says a decision on a contribution whose author blocked the bot was held, not told', async () => {
    const blocked = new Person(7_700_003, 'en');
    const code = await desk.contribute(blocked, 'en', 3);
    desk.api.blockChat(blocked.id);
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Held'));
    const csrf = await browser.csrf(`/c/${code}`);
    const r = await browser.post(`/c/${code}/decision`, { _csrf: csrf, decision: 'accepted' });
    const page = await (await browser.get(r.headers.get('location')!.replace('/desk', ''))).text();
    expect(page).toContain('Decision recorded.');
    expect(page).not.toContain('The author has been told.');
    expect(page).toMatch(/Held: the author cannot be reached now|Not delivered/);
  });
});

describe('the command line', () => {
  it('`desk invite` prints a link that signs in; `desk revoke` ends the session', async () => {
    const icssi = (...args: string[]) => promisify(execFile)(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...desk.env, TELEGRAM_BOT_TOKEN: '', LANG: 'en_GB.UTF-8', LC_ALL: '' },
    });
    const { stdout } = await icssi('desk', 'invite', '--name', 'Salma', '--role', 'reader', '--as', 'lead');
    const link = /http:\S+\/signin\?t=[A-Za-z0-9_-]{43}/.exec(stdout)?.[0];
    expect(stdout).toContain('for Salma (reader)');
    const browser = new Client(desk.base);
    expect((await browser.signIn(link!)).status).toBe(303);
    expect(await (await browser.get('/')).text()).toContain('reader');
    expect((await icssi('desk', 'revoke', 'Salma')).stdout).toContain('sessions ended: 1');
    expect((await browser.get('/')).status).toBe(303);
    await expect(icssi('desk', 'invite', '--name', 'X', '--role', 'admin')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('organiser or reader') });
  }, 60_000);
});

describe('links by direct message', () => {
  it('/desk from a Telegram admin sends them a one-time link in their private chat, previews off; anyone else gets the flow', async () => {
    const before = desk.api.calls.length;
    await desk.telegram(new Person(DESK_ADMIN_TELEGRAM_ID, 'ar').command('desk'));
    const sent = desk.api.calls.slice(before).filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.params.chat_id)).toBe(String(DESK_ADMIN_TELEGRAM_ID));
    expect(sent[0]!.params.link_preview_options).toEqual({ is_disabled: true });
    const link = /http:\S+\/signin\?t=[A-Za-z0-9_-]{43}/.exec(String(sent[0]!.params.text))?.[0];
    expect(String(sent[0]!.params.text)).toContain('رابط دخولك');
    const browser = new Client(desk.base);
    expect((await browser.signIn(link!)).status).toBe(303);
    expect(await (await browser.get('/')).text()).toContain(`telegram:${DESK_ADMIN_TELEGRAM_ID}`);

    const other = desk.api.calls.length;
    await desk.telegram(new Person(7_700_099, 'en').command('desk'));
    const replies = desk.api.calls.slice(other).filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text));
    expect(replies.join('\n')).not.toMatch(/signin\?t=/);
  });
});

describe('notes, erasure and revocation', () => {
  it('keeps notes for organisers and erases them with the author', async () => {
    const someone = new Person(7_700_004, 'ckb');
    const code = await desk.contribute(someone, 'ckb', 1);
    const browser = new Client(desk.base);
    await browser.signIn(await desk.invite('Noter', 'reader'));
    const csrf = await browser.csrf(`/c/${code}`);
    expect((await browser.post(`/c/${code}/notes`, { _csrf: csrf, note: 'Quotes the second paragraph' })).status).toBe(303);
    expect(await (await browser.get(`/c/${code}`)).text()).toContain('Quotes the second paragraph');
    // The author erases their data (/delete, then yes) through the webhook.
    await desk.telegram(someone.command('delete'));
    await desk.telegram(someone.press('delete:yes'));
    const after = await deskStoreOf(desk.app).contribution(code);
    expect(after!.notes).toEqual([]);
    expect(after!.row.erased).toBe(true);
    expect(await (await browser.get(`/c/${code}`)).text()).not.toContain('Quotes the second paragraph');
  });

  it('ends every session of a person on sign-out or `revoke`', async () => {
    const a = new Client(desk.base);
    const b = new Client(desk.base);
    await a.signIn(await desk.invite('Zaid'));
    await b.signIn(await desk.invite('Zaid'));
    const unused = await desk.invite('Zaid');
    expect((await a.get('/')).status).toBe(200);
    expect(await desk.revoke('Zaid')).toBe(2);
    expect((await a.get('/')).status).toBe(303);
    expect((await b.get('/')).status).toBe(303);
    expect((await new Client(desk.base).get(unused)).status).toBe(410);
    const c = new Client(desk.base);
    await c.signIn(await desk.invite('Huda'));
    const csrf = await c.csrf();
    const cookie = [...c.jar][0]!;
    expect((await c.post('/signout', { _csrf: csrf })).status).toBe(200);
    // The old cookie, replayed, no longer signs in.
    const replay = await fetch(`${desk.base}/`, { redirect: 'manual', headers: { cookie: `${cookie[0]}=${cookie[1]}` } });
    expect(replay.status).toBe(303);
  });
});

describe('the sign-in limit (last: it blocks this address for a minute)', () => {
  it('refuses an address after ten failed sign-ins, even with a good link', async () => {
    const anon = new Client(desk.base);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await anon.post('/signin', { t: 'A'.repeat(43) })).status);
    // Earlier tests used up a few (a link used twice, a revoked link): ten in all, then refused.
    const first = statuses.indexOf(429);
    expect(statuses[0]).toBe(410);
    expect(first).toBeGreaterThan(0);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    const good = await desk.invite('Too late');
    expect((await anon.get(good)).status).toBe(429);
  });
});
