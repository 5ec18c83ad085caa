/**
 * The organisers' desk in a real browser: Debian's Chromium driven by playwright-core (one
 * browser for the file), against the server `npm start` assembles, with Telegram faked. Signs in
 * with an invite link, filters and searches, reads an Arabic contribution laid out right to left,
 * leaves a note, decides (the author's fake Bot API receives the notice in Arabic), exports, sends
 * an announcement, checks a reader and a form without its CSRF token are refused, and runs axe-core.
 * Screenshots of the overview and of an Arabic contribution are written to docs/desk/ with
 * DESK_SCREENSHOTS=1.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Person, startDeskServer, type DeskServer } from './helpers/desk.js';
import { textOf } from './helpers/texts.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The screenshots in the README are refreshed with DESK_SCREENSHOTS=1; otherwise they go to a
// temporary folder (they carry the time, so every run would change the committed ones).
const SHOTS = process.env.DESK_SCREENSHOTS === '1' ? 'docs/desk' : mkdtempSync(join(tmpdir(), 'icssi-desk-shots-'));

/** The page's window as the callbacks below use it (the project's types have no DOM). */
type Win = { getComputedStyle(e: unknown): { direction: string } };

let desk: DeskServer;
let browser: Browser;
const arAuthor = new Person(8_800_001, 'ar');
const codes: Record<string, string> = {};

const AR_TEXT = [
  'نما المجتمع المدني في العراق عبر الاحتجاج والعمل الصبور في كل مدينة، من البصرة إلى الموصل.',
  'عملنا مع شبكة ICSSI منذ 2014 على حملة «أنقذوا نهر دجلة» (Save the Tigris) ونريد أن نشارك ما تعلمناه.',
  textOf('ar', 180),
].join('\n\n');

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) does not apply.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run({ resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button').first().click();
  await page.waitForURL(/\/desk\/$/);
}

beforeAll(async () => {
  desk = await startDeskServer();
  codes.ar = await desk.contribute(arAuthor, 'ar', 2, AR_TEXT);
  codes.en = await desk.contribute(new Person(8_800_002, 'en'), 'en', 1);
  codes.ckb = await desk.contribute(new Person(8_800_003, 'ckb'), 'ckb', 3);
  codes.xss = await desk.contribute(new Person(8_800_004, 'en'), 'en', 3, `<script>alert(1)</script> "><img src=x onerror=alert(2)> ${textOf('en', 200)}`);
  // launch() gives the browser a fresh, temporary user-data-dir of its own (deleted on close).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

describe('the desk in Chromium', () => {
  it('is available', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium (.ci/run does)`).toBe(true);
  });

  it('an organiser signs in, filters, reads Arabic right to left, notes, decides, exports and announces', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'en-GB' });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') cspErrors.push(m.text());
    });
    await signIn(page, await desk.invite('Layla'));

    // The overview: the charts are drawn by desk.js from the figures it polls.
    await page.locator('[data-chart="topic"] svg rect').first().waitFor();
    expect(await page.locator('[data-chart="language"] svg rect').count()).toBe(3);
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Filters and search.
    await page.getByRole('link', { name: 'Contributions' }).click();
    await page.getByLabel('Language', { exact: true }).selectOption('ar');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    expect(await page.locator('table.list tbody').innerText()).toContain(codes.ar);
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await page.getByLabel('Search the texts, or a code').fill('Tigris');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // The Arabic contribution: each paragraph takes its own direction.
    await page.getByRole('link', { name: codes.ar }).click();
    const dirs = await page.locator('#text p').evaluateAll((ps) => ps.map((p) => (globalThis as unknown as Win).getComputedStyle(p).direction));
    expect(dirs).toEqual(['rtl', 'rtl', 'rtl']);
    expect(await axeViolations(page)).toEqual([]);

    // A note, then a decision: the author hears it in Arabic on Telegram.
    await page.getByLabel('Add a note').fill('النص جيد، ينقصه مثال محلي.');
    await page.getByRole('button', { name: 'Save the note' }).click();
    await expect.poll(() => page.locator('ol.notes').innerText()).toContain('ينقصه مثال محلي');
    const before = desk.api.calls.length;
    await page.getByLabel('Ask for a revision').check();
    await page.getByLabel(/Note to the author/).fill('أضف مثالًا من البصرة');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('#outcome').innerText()).toContain('The author has been told.');
    const told = desk.api.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(arAuthor.id));
    expect(told).toHaveLength(1);
    expect(String(told[0]!.params.text)).toContain('يطلب المنظمون منك تعديل مساهمتك');

    // The same page in Arabic: the whole desk right to left.
    await page.goto(`${desk.base}/lang/ar`);
    await page.goto(`${desk.base}/c/${codes.ar}`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('main').evaluate((m) => (globalThis as unknown as Win).getComputedStyle(m).direction)).toBe('rtl');
    await page.screenshot({ path: `${SHOTS}/contribution-ar.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${desk.base}/lang/en`);

    // Markup in a text stays text: no script runs, no dialog opens.
    await page.goto(`${desk.base}/c/${codes.xss}`);
    expect(await page.locator('#text p').first().innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('#text img').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // Export: a CSV download, pseudonymised, the CLI's columns.
    await page.goto(`${desk.base}/export`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFcode,call,topic,state,language,platform,participant,created_at,updated_at,revision,word_count,name,organisation,country,email,text');
    expect(csv).toContain(codes.ar);
    expect(csv).not.toContain(String(arAuthor.id));

    // An announcement: preview the counts, send, watch it go out.
    await page.goto(`${desk.base}/announcements`);
    await page.getByLabel('Text in English').fill('The programme is online.');
    await page.getByLabel('Text in العربية').fill('البرنامج متاح الآن.');
    await page.getByRole('button', { name: 'Count the recipients' }).click();
    await expect.poll(() => page.locator('#preview').innerText()).toContain('Now: 4');
    const beforeAnnounce = desk.api.calls.length;
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/announcements\/[0-9a-f-]{36}$/);
    await expect.poll(() => desk.api.calls.slice(beforeAnnounce).filter((c) => c.method === 'sendMessage').length).toBe(4);
    await expect.poll(() => page.locator('#progress').innerText(), { timeout: 10_000 }).toMatch(/sent\s+4/);
    const arCopy = desk.api.calls.slice(beforeAnnounce).find((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(arAuthor.id));
    expect(String(arCopy?.params.text)).toContain('البرنامج متاح الآن.');

    // A form whose CSRF token was removed is refused.
    await page.goto(`${desk.base}/c/${codes.en}`);
    await page.locator('#note-form input[name="_csrf"]').evaluate((i) => i.remove());
    await page.getByLabel('Add a note').fill('without a token');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save the note' }).click()]);
    expect(refused.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('Form expired');

    // The activity page lists what was done, with who.
    await page.goto(`${desk.base}/activity`);
    const activity = await page.locator('table.list').innerText();
    for (const what of ['Decision', 'Note', 'Export', 'Announcement', 'Invitation', 'Signed in']) expect(activity).toContain(what);
    expect(activity).toContain('desk:Layla');
    expect(cspErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  }, 120_000);

  it('a reader reads and comments but is refused a decision', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, await desk.invite('Rana', 'reader'));
    await page.goto(`${desk.base}/c/${codes.ckb}`);
    expect(await page.locator('#decide').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Export' }).count()).toBe(0);
    const csrf = await page.locator('#note-form input[name="_csrf"]').inputValue();
    const status = await page.evaluate(
      async ({ code, csrf }) => (await fetch(`/desk/c/${code}/decision`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, decision: 'accepted' }) })).status,
      { code: codes.ckb, csrf },
    );
    expect(status).toBe(403);
    await page.goto(`${desk.base}/export`);
    expect(await page.locator('h1').innerText()).toBe('Organisers only');
    await context.close();
  }, 60_000);
});
