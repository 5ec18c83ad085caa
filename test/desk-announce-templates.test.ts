/**
 * The desk's announcement preview (the server `npm start` assembles, over real HTTP) says what the
 * CLI's says about WhatsApp's templates: who gets one outside the 24-hour window, that Sorani
 * speakers get the Arabic one, and how many wait for the daily limit on new people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { startDeskServer, type DeskServer } from './helpers/desk.js';
import { PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY } from './helpers/whatsapp.js';
import { seed } from './helpers/announce.js';
import type { BotStore } from '../src/core/ports.js';
import type { Locale } from '../src/domain/records.js';

let desk: DeskServer;
let api: FakeCloudApi;

beforeAll(async () => {
  api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
  desk = await startDeskServer({
    WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY,
    WHATSAPP_API_ROOT: api.url, WHATSAPP_TEMPLATE_ANNOUNCEMENT_EN: 'icssi_announcement_en', WHATSAPP_TEMPLATE_ANNOUNCEMENT_AR: 'icssi_announcement_ar',
    WHATSAPP_NEW_PEOPLE_PER_DAY: '2',
  });
  const now = desk.app.dispatcher.now().getTime();
  const locales: Locale[] = ['en', 'ckb', 'ckb', 'ar'];
  for (const [i, locale] of locales.entries()) {
    await seed(desk.app.store as BotStore, { platform: 'whatsapp', userId: `IQ.4000000000000000${i}`, locale, at: new Date(now - 48 * 3600_000) });
  }
});

afterAll(async () => {
  await desk?.close();
  await api?.close();
});

/** Cookies kept, redirects not followed: as a browser, for this one page. */
async function signedIn(): Promise<{ get(path: string): Promise<string>; post(path: string, form: Record<string, string>): Promise<Response> }> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [k, v] = c.split(';')[0]!.split('=');
      jar.set(k!, v!);
    }
    return r;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const url = (path: string) => (path.startsWith('http') ? path : `${desk.base}${path}`);
  const get = async (path: string) => (await keep(await fetch(url(path), { redirect: 'manual', headers: { cookie: cookie() } }))).text();
  const post = async (path: string, form: Record<string, string>) =>
    keep(await fetch(url(path), {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form),
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', origin: new URL(desk.base).origin },
    }));
  const link = await desk.invite('Organiser');
  const token = /name="t" value="([^"]+)"/.exec(await get(link))?.[1] ?? '';
  expect((await post('/signin', { t: token })).status).toBe(303);
  return { get, post };
}

describe('the desk preview on WhatsApp', () => {
  it('names the template people get outside the window, the Sorani speakers getting the Arabic one, and who waits for the daily limit', async () => {
    const browser = await signedIn();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await browser.get('/announcements'))?.[1] ?? '';
    const r = await browser.post('/announcements', { _csrf: csrf, text_en: 'The programme is out.', who: 'consented', platforms: 'whatsapp', action: 'preview' });
    expect(r.status).toBe(200);
    const html = await r.text();
    // The totals and the table: every figure a number (the "cannot be reached" one was once blank).
    expect(html).toMatch(/Now: 4 · later \(held\): 0 · opted out: 0 · cannot be reached: 0/);
    expect(html).toMatch(/<th scope="row">WhatsApp<\/th><td>4<\/td><td>0<\/td><td>0<\/td><td>0<\/td>/);
    expect(html).toContain('Get the approved template on WhatsApp (they have not written in the last 24 hours): 4');
    expect(html).toContain('Of them, reading Sorani, which has no template, and getting the Arabic template instead: 2');
    expect(html).toContain('WhatsApp lets the bot write first to at most 2 new people in 24 hours: 2 get it now, and the other 2 follow over the next days as the limit frees up.');
  });
});
