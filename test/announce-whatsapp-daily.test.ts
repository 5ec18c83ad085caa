/**
 * WhatsApp's messaging limit (PLATFORM-RULES: a new business reaches at most 250 different people
 * a day outside the 24-hour window), through the production composition (src/runtime.ts, the
 * server's announcement service) over real HTTP against the fake Cloud API, on a real SQLite file:
 * past the budget (WHATSAPP_NEW_PEOPLE_PER_DAY) the copies wait, pending, and go as the budget
 * frees; a restart loses nothing and sends nothing twice; people inside the window cost nothing;
 * Meta's own refusal for the limit (131048) waits the same way; the preview says it all in three
 * languages.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import { buildRuntime, type Runtime } from '../src/runtime.js';
import { doneParams, previewLines } from '../src/announcements/preview-text.js';
import type { BotStore } from '../src/core/ports.js';
import type { Locale } from '../src/domain/records.js';
import { readWhatsAppConfig } from '../adapters/whatsapp/config.js';
import { FakeCloudApi } from './fakes/whatsapp-cloud-api.js';
import { PHONE_NUMBER_ID, WA_APP_SECRET, WA_TOKEN, WA_VERIFY } from './helpers/whatsapp.js';
import { seed } from './helpers/announce.js';
import { RUN_TS } from './helpers/run-ts.js';

const HOUR = 3600_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-wa-daily-'));
let files = 0;

let api: FakeCloudApi | undefined;
let open: { runtime: Runtime; service: Awaited<ReturnType<Runtime['startAnnouncements']>> } | undefined;

afterEach(async () => {
  await stop();
  await api?.close();
  api = undefined;
});

async function stop(): Promise<void> {
  open?.service.stop();
  await open?.runtime.close();
  open = undefined;
}

const clock = { now: new Date('2026-12-01T09:00:00Z') };

function env(fake: FakeCloudApi, perDay?: string, arabicTemplate = true): NodeJS.ProcessEnv {
  return {
    WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY,
    WHATSAPP_API_ROOT: fake.url, WHATSAPP_TEMPLATE_ANNOUNCEMENT_EN: 'icssi_announcement_en',
    ...(arabicTemplate ? { WHATSAPP_TEMPLATE_ANNOUNCEMENT_AR: 'icssi_announcement_ar' } : {}),
    ...(perDay ? { WHATSAPP_NEW_PEOPLE_PER_DAY: perDay } : {}),
  };
}

/** The server's composition on this SQLite file: the runtime, its platforms and its announcement service. */
async function start(file: string, fake: FakeCloudApi, perDay?: string, arabicTemplate = true) {
  const runtime = await buildRuntime(readConfig({ ICSSI_SECRET: 'daily-limit-test-secret-0123456789', LOG_LEVEL: 'silent', DATABASE_URL: `file:${file}` }), {
    env: env(fake, perDay, arabicTemplate), clock: () => clock.now, logger: silentLogger,
  });
  const service = await runtime.startAnnouncements();
  // The start's own run (resuming unfinished announcements) is over before the test goes on.
  await service.check();
  open = { runtime, service };
  return open;
}

const userId = (i: number) => `IQ.20000000000000000${String(i).padStart(2, '0')}`;
const LOCALES: Locale[] = ['en', 'ar', 'ckb'];

/** `outside` people last wrote 30 hours ago (every third one reads Sorani), `inside` 2 hours ago. */
async function people(store: BotStore, fake: FakeCloudApi, outside: number, inside: number): Promise<{ out: string[]; in: string[] }> {
  const out: string[] = [];
  const within: string[] = [];
  for (let i = 0; i < outside + inside; i++) {
    const id = userId(i);
    const at = new Date(clock.now.getTime() - (i < outside ? 30 : 2) * HOUR);
    await seed(store, { platform: 'whatsapp', userId: id, locale: LOCALES[i % 3]!, at });
    fake.lastInbound.set(id, at.getTime());
    (i < outside ? out : within).push(id);
  }
  return { out, in: within };
}

const announcement = { texts: { en: 'The programme is out.', ar: 'صدر البرنامج.', ckb: 'بەرنامەکە بڵاوکرایەوە.' }, audience: { who: 'consented' as const }, expiresAt: null };

async function fakeApi(): Promise<FakeCloudApi> {
  api = await new FakeCloudApi(WA_TOKEN, PHONE_NUMBER_ID).start();
  api.windowCheck = true;
  api.now = () => clock.now.getTime();
  return api;
}

const templatesTo = (fake: FakeCloudApi) => fake.messages.filter((m) => m.type === 'template').map((m) => m.to);

describe('WhatsApp: the daily limit on new people outside the window', () => {
  it('budget 5, 12 people outside the window: 5 templates today, 7 wait; a restart loses nothing; the rest follow day by day', async () => {
    const fake = await fakeApi();
    const file = path.join(dir, `d-${process.pid}-${++files}.db`);
    let { runtime, service } = await start(file, fake, '5');
    const who = await people(runtime.app.store as BotStore, fake, 12, 3);

    const preview = await service.announcements.preview(runtime.app.call.id, announcement);
    expect(preview.templates.whatsapp).toEqual({ count: 12, today: 5, later: 7, perDay: 5, substitutes: [{ from: 'ckb', to: 'ar', count: 4 }] });

    const { id } = await service.announcements.create(runtime.app.call.id, announcement, 'cli:test');
    expect(await service.announcements.send(id)).toEqual({ whatsapp: { sent: 3 + 5, pending: 7 } });
    // People inside the window got the text itself and cost no place: 5 templates, 5 people.
    for (const p of who.in) expect(fake.textsTo(p)).toHaveLength(1);
    expect(new Set(templatesTo(fake)).size).toBe(5);
    expect(templatesTo(fake)).toHaveLength(5);
    expect(fake.refusals).toEqual([]);
    // Waiting is not done: the announcement stays unfinished, and no one is marked unreachable.
    expect((await service.announcements.store.get(id))!.status).toBe('sending');
    expect((await service.announcements.store.candidates(runtime.app.call.id, announcement.audience)).filter((c) => c.unreachableAt)).toEqual([]);

    // A restart: the budget is stored, so the new process sends nothing more today.
    await stop();
    ({ runtime, service } = await start(file, fake, '5'));
    await service.check();
    expect(templatesTo(fake)).toHaveLength(5);
    expect(await service.announcements.store.counts(id)).toEqual({ whatsapp: { sent: 8, pending: 7 } });
    // What the organiser reads at the end of the run says the 7 wait, not that they failed.
    const done = doneParams(id, await service.announcements.store.counts(id));
    expect(done).toMatchObject({ sent: 8, waiting: 7, failed: 0, unreachable: 0 });
    expect(runtime.app.i18n.getFixedT('en')('announcements:cli.waiting', done)).toMatch(/^Waiting for the daily limit on new people: 7\. They go over the next days/);
    // `npm run icssi -- announcements`, another process on the same database, says so too.
    const list = spawnSync(process.execPath, [...RUN_TS, 'src/cli/main.ts', 'announcements'], {
      encoding: 'utf8', timeout: 30_000,
      env: { PATH: process.env.PATH, ICSSI_SECRET: 'daily-limit-test-secret-0123456789', LOG_LEVEL: 'silent', LANG: 'en', DATABASE_URL: `file:${file}`, ...env(fake, '5') },
    });
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('whatsapp: 8 sent, 0 held, 0 failed, 0 opted out, 0 other');
    expect(list.stdout).toContain('whatsapp: 7 waiting for the daily limit on new people (sent over the next days)');

    // 24 hours later the first places are free again: 5 more, then the last 2 the day after.
    clock.now = new Date(clock.now.getTime() + 24 * HOUR + 60_000);
    await service.check();
    expect(await service.announcements.store.counts(id)).toEqual({ whatsapp: { sent: 13, pending: 2 } });
    clock.now = new Date(clock.now.getTime() + 24 * HOUR + 60_000);
    await service.check();
    expect(await service.announcements.store.counts(id)).toEqual({ whatsapp: { sent: 15 } });
    expect((await service.announcements.store.get(id))!.status).toBe('done');
    // Everyone outside the window got exactly one template: nothing lost, nothing twice.
    expect(templatesTo(fake).sort()).toEqual([...who.out].sort());
    expect(fake.refusals).toEqual([]);
  });

  it("Meta's own refusal for the limit (131048, here at 4 people while 250 are configured) waits the same way: not failed, not unreachable", async () => {
    const fake = await fakeApi();
    fake.newPeoplePerDay = 4;
    const { runtime, service } = await start(path.join(dir, `d-${process.pid}-${++files}.db`), fake);
    await people(runtime.app.store as BotStore, fake, 9, 1);
    const { id } = await service.announcements.create(runtime.app.call.id, announcement, 'cli:test');
    const counts = await service.announcements.send(id);
    expect(counts).toEqual({ whatsapp: { sent: 1 + 4, pending: 5 } });
    expect(fake.refusals.every((c) => c === 131048)).toBe(true);
    expect(fake.refusals.length).toBeGreaterThan(0);
    expect((await service.announcements.store.candidates(runtime.app.call.id, announcement.audience)).filter((c) => c.unreachableAt)).toEqual([]);

    clock.now = new Date(clock.now.getTime() + 24 * HOUR + 60_000);
    await service.check();
    expect(await service.announcements.store.counts(id)).toEqual({ whatsapp: { sent: 9, pending: 1 } });
    clock.now = new Date(clock.now.getTime() + 24 * HOUR + 60_000);
    await service.check();
    expect(await service.announcements.store.counts(id)).toEqual({ whatsapp: { sent: 10 } });
    expect(new Set(templatesTo(fake)).size).toBe(9);
    expect(templatesTo(fake)).toHaveLength(9);
  });

  it('the preview says, in English, Arabic and Sorani, who gets a template, which Sorani speakers get the Arabic one, and how many go today', async () => {
    const fake = await fakeApi();
    const { runtime, service } = await start(path.join(dir, `d-${process.pid}-${++files}.db`), fake, '5');
    await people(runtime.app.store as BotStore, fake, 12, 3);
    const preview = await service.announcements.preview(runtime.app.call.id, announcement);
    const lines = (lng: Locale) => previewLines(preview, announcement, runtime.app.i18n.getFixedT(lng) as TFunction, (d) => d.toISOString()).join('\n');
    expect(lines('en')).toContain('Get the approved template on WhatsApp (they have not written in the last 24 hours): 12');
    expect(lines('en')).toContain('Of them, reading Sorani, which has no template, and getting the Arabic template instead: 4');
    expect(lines('en')).toContain('WhatsApp lets the bot write first to at most 5 new people in 24 hours: 5 get it now, and the other 7 follow over the next days');
    expect(lines('ar')).toContain('يصلهم القالب المعتمد على واتساب (لم يكتبوا خلال آخر 24 ساعة): 12');
    expect(lines('ar')).toContain('منهم من يقرأ السورانية، ولا قالب بها، فيصله قالب العربية بدلًا منه: 4');
    expect(lines('ar')).toContain('يصل الإعلان الآن إلى 5، ويصل إلى الـ7 الباقين خلال الأيام التالية');
    expect(lines('ckb')).toContain('قاڵبە پەسەندکراوەکە لە واتسئەپ وەردەگرن (لە ٢٤ کاتژمێری ڕابردوودا نەیاننووسیوە): ١٢');
    expect(lines('ckb')).toContain('ئەوانەی سۆرانی دەخوێننەوە، کە قاڵبی نییە، و لە جیاتی ئەوە قاڵبی عەرەبی وەردەگرن: ٤');
    expect(lines('ckb')).toContain('٥ کەس ئێستا وەریدەگرن، و ٧ کەسەکەی تر لە ڕۆژانی داهاتوودا');
    // Within the budget, no line about the next days.
    const small = await service.announcements.preview(runtime.app.call.id, { ...announcement, audience: { who: 'consented', languages: ['en'] } });
    expect(small.templates.whatsapp).toMatchObject({ count: 4, today: 4, later: 0 });
    expect(previewLines(small, announcement, runtime.app.i18n.getFixedT('en') as TFunction, (d) => d.toISOString()).join('\n')).not.toContain('over the next days');
  });

  it('with only the English template approved, Arabic and Sorani speakers outside the window get it (their own text inside), and the preview names it', async () => {
    const fake = await fakeApi();
    const { runtime, service } = await start(path.join(dir, `d-${process.pid}-${++files}.db`), fake, undefined, false);
    const who = await people(runtime.app.store as BotStore, fake, 6, 0);
    const preview = await service.announcements.preview(runtime.app.call.id, announcement);
    expect(preview.templates.whatsapp).toMatchObject({ count: 6, today: 6, later: 0, substitutes: [{ from: 'ar', to: 'en', count: 2 }, { from: 'ckb', to: 'en', count: 2 }] });
    expect(previewLines(preview, announcement, runtime.app.i18n.getFixedT('en') as TFunction, (d) => d.toISOString()).join('\n')).toContain('Of them, reading Sorani, which has no template, and getting the English template instead: 2');
    const { id } = await service.announcements.create(runtime.app.call.id, announcement, 'cli:test');
    expect(await service.announcements.send(id)).toEqual({ whatsapp: { sent: 6 } });
    const sorani = fake.lastTo(who.out[2]!)!.template!;
    expect(sorani).toMatchObject({ name: 'icssi_announcement_en', language: { code: 'en' } });
    expect(JSON.stringify(sorani.components)).toContain('بەرنامەکە بڵاوکرایەوە.');
    expect((await service.announcements.store.candidates(runtime.app.call.id, announcement.audience)).filter((c) => c.unreachableAt)).toEqual([]);
  });

  it('WHATSAPP_NEW_PEOPLE_PER_DAY: 250 unless set; anything but a positive whole number is refused', () => {
    const base = { WHATSAPP_TOKEN: WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: WA_APP_SECRET, WHATSAPP_VERIFY_TOKEN: WA_VERIFY };
    expect(readWhatsAppConfig(base)!.newPeoplePerDay).toBe(250);
    expect(readWhatsAppConfig({ ...base, WHATSAPP_NEW_PEOPLE_PER_DAY: '2000' })!.newPeoplePerDay).toBe(2000);
    for (const bad of ['0', '-5', '2.5', '1e3', 'many']) {
      expect(() => readWhatsAppConfig({ ...base, WHATSAPP_NEW_PEOPLE_PER_DAY: bad }), bad).toThrow(/WHATSAPP_NEW_PEOPLE_PER_DAY must be a positive whole number/);
    }
    // npm start stops with that one line, no stack trace.
    const r = spawnSync(process.execPath, [...RUN_TS, 'src/main.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ICSSI_SECRET: 'daily-limit-test-secret-0123456789', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: `file:${path.join(dir, `start-${process.pid}.db`)}`, ...base, WHATSAPP_NEW_PEOPLE_PER_DAY: '250 a day' },
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^WHATSAPP_NEW_PEOPLE_PER_DAY must be a positive whole number \(Meta's messaging limit: 250, 2000, 10000, 100000…\)$/);
  });
});
