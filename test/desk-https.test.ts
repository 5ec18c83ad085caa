/**
 * The desk behind TLS (DESK_PUBLIC_URL https, as behind Caddy): the session cookie is Secure with
 * the __Secure- prefix and lasts DESK_SESSION_HOURS; HSTS is sent. The proxy's plain HTTP hop is
 * played by fetching the server directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeskConfig } from '../src/desk/config.js';
import { startDeskServer, type DeskServer } from './helpers/desk.js';

let desk: DeskServer;
beforeAll(async () => {
  desk = await startDeskServer({ DESK_PUBLIC_URL: 'https://bot.example.org/desk/', DESK_SESSION_HOURS: '2', DESK_TRUST_PROXY: '1' });
}, 60_000);
afterAll(async () => {
  await desk?.close();
});

describe('the desk behind TLS', () => {
  it('links to the public address and sets a Secure, __Secure- cookie for DESK_SESSION_HOURS', async () => {
    const link = await desk.invite('Tls');
    expect(link).toMatch(/^https:\/\/bot\.example\.org\/desk\/signin\?t=[A-Za-z0-9_-]{43}$/);
    const t = new URL(link).searchParams.get('t')!;
    const page = await fetch(`${desk.base}/signin?t=${t}`);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const r = await fetch(`${desk.base}/signin`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ t }), headers: { 'sec-fetch-site': 'same-origin' } });
    expect(r.status).toBe(303);
    expect(r.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Secure-desk_session=[A-Za-z0-9_-]{43}; Path=\/desk; SameSite=Lax; HttpOnly; Secure; Max-Age=7200$/)]);
  });

  it('refuses a POST another site sends (Fetch Metadata), whatever it carries', async () => {
    const t = new URL(await desk.invite('Cross')).searchParams.get('t')!;
    const r = await fetch(`${desk.base}/signin`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ t }), headers: { 'sec-fetch-site': 'cross-site' } });
    expect(r.status).toBe(403);
  });

  it('refuses a public address that is not http(s) or not under /desk', () => {
    expect(() => readDeskConfig({ DESK_PUBLIC_URL: 'ftp://x/desk' }, { host: 'h', port: 1 })).toThrow(/DESK_PUBLIC_URL/);
    expect(() => readDeskConfig({ DESK_PUBLIC_URL: 'https://x/organisers' }, { host: 'h', port: 1 })).toThrow(/ending in \/desk/);
    expect(() => readDeskConfig({ DESK_SESSION_HOURS: '0' }, { host: 'h', port: 1 })).toThrow(/DESK_SESSION_HOURS/);
  });
});
