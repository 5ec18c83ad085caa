/**
 * The Graph side of the Messenger adapter: the SDK adds no process-wide handler, failures are
 * retried only when worth it and mapped to coded errors, every button the flow can show fits
 * Messenger's 20 characters, and messenger:setup sets the profile in the three languages.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { isAppError } from '../src/core/errors.js';
import { Renderer } from '../src/core/render.js';
import type { ContributionRecord, Locale } from '../src/domain/records.js';
import { choicesFor } from '../src/flow/prompts.js';
import type { ReplyChoice } from '../src/flow/replies.js';
import { emptyDraft, initialState, type StepName } from '../src/flow/state.js';
import { GraphClient } from '../adapters/messenger/graph-client.js';
import { GraphError } from '../adapters/messenger/graph-errors.js';
import { MAX_TITLE, titleOf, truncateTitle } from '../adapters/messenger/labels.js';
import { messengerSetup } from '../adapters/messenger/setup.js';
import { FakeGraphApi } from './fakes/graph-api.js';
import { messengerRig, PAGE_TOKEN, PSID, type MessengerRig } from './helpers/messenger.js';

let rig: MessengerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const ref = { platform: 'messenger' as const, chatId: PSID, userId: PSID };
const EVENTS = ['uncaughtException', 'unhandledRejection', 'uncaughtExceptionMonitor', 'exit', 'beforeExit', 'warning', 'SIGTERM', 'SIGINT'] as const;
const listenerCounts = () => Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)]));


/** A renderer and a flow context for listing the choices every step shows; one contribution with a long name. */
async function flowChoices() {
  const i18n = await createI18n();
  const call = loadCallDefinition(DEFAULT_CALL_FILE, i18n);
  const renderer = new Renderer(i18n, call);
  const now = new Date('2026-11-26T09:00:00Z');
  const mine: ContributionRecord = {
    id: 'c1', code: 'ICS-7K4QM9', callId: call.id, topic: 1, state: 'submitted', language: 'ar', platform: 'messenger', createdAt: now, updatedAt: now,
    revision: 1, text: 'x', wordCount: 200, details: { name: 'Layla Abdul-Rahman Al-Baghdadi', organisation: null, country: null, email: null },
  };
  const ctx = { now, call, participant: null, contributions: [mine], random: Math.random, localeHint: null, label: (c: ReplyChoice, lng: Locale) => renderer.choice(c, lng).label };
  return { i18n, call, renderer, ctx };
}

describe('facebook-nodejs-business-sdk', () => {
  it('building and using the adapter adds no process-wide handler', async () => {
    const before = listenerCounts();
    rig = await messengerRig();
    await rig.adapter.send(ref, { text: 'Hello' });
    rig.graph.failNext('server');
    await rig.adapter.send(ref, { text: 'Hello again' });
    await messengerSetup({ config: { pageAccessToken: PAGE_TOKEN, appSecret: 's', verifyToken: 'v', graphUrl: rig.graph.url, graphVersion: 'v26.0', publicUrl: undefined }, i18n: await createI18n(), lng: 'en' });
    expect(rig.graph.messages).toHaveLength(2);
    expect(listenerCounts()).toEqual(before);
  });

  it('(control) the SDK with its default crash_log would add an uncaughtException handler', () => {
    // In a child process: the handler it installs cannot be removed from this one.
    const script = "const { FacebookAdsApi } = require('facebook-nodejs-business-sdk'); const n = process.listenerCount('uncaughtException'); new FacebookAdsApi('token'); console.log(process.listenerCount('uncaughtException') - n);";
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).toBe('1');
  });

  it('calls the configured base URL and version', async () => {
    const graph = await new FakeGraphApi(PAGE_TOKEN, 'v25.0').start();
    try {
      const client = new GraphClient({ token: PAGE_TOKEN, graphUrl: graph.url, version: 'v25.0' });
      expect(await client.post('me/messages', { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'hi' } })).toMatchObject({ recipient_id: PSID });
      const wrongVersion = new GraphClient({ token: PAGE_TOKEN, graphUrl: graph.url, version: 'v26.0' });
      const err = await wrongVersion.post('me/messages', { recipient: { id: PSID } }).catch((e: unknown) => e);
      expect((err as GraphError).graphCode).toBe(2500);
    } finally {
      await graph.close();
    }
  });
});

describe('sending', () => {
  it('retries a 5xx and a dropped connection, then delivers once', async () => {
    rig = await messengerRig();
    rig.graph.failNext('server', 'network');
    await rig.adapter.send(ref, { text: 'Hello' });
    expect(rig.graph.requests).toBe(3);
    expect(rig.graph.textsTo(PSID)).toEqual(['Hello']);
  });

  it('gives up after bounded retries and throws PLATFORM_UNREACHABLE, so the core keeps the reply', async () => {
    rig = await messengerRig();
    rig.graph.failNext('server', 'server', 'server', 'server');
    const err = await rig.adapter.send(ref, { text: 'Hello' }).catch((e: unknown) => e);
    expect(isAppError(err, 'PLATFORM_UNREACHABLE')).toBe(true);
    expect(rig.graph.requests).toBe(3);
  });

  it('pauses between retries (300 ms, doubled) without waiting them, and a stop ends a pause in progress', async () => {
    rig = await messengerRig();
    rig.graph.failNext('server', 'network');
    await rig.adapter.send(ref, { text: 'Hello' });
    expect(rig.sleeps).toEqual([300, 600]);
    await rig.close();

    let held!: () => void;
    const waiting = new Promise<void>((resolve) => (held = resolve));
    // A pause that ends only when its signal is aborted.
    rig = await messengerRig(undefined, {
      pause: (_ms, signal) => {
        held();
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)));
      },
    });
    rig.graph.failNext('server');
    const sending = rig.adapter.send(ref, { text: 'Hello' });
    await waiting;
    await rig.adapter.stop();
    await expect(sending).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE', kind: 'server' });
    expect(rig.graph.requests).toBe(1);
  });

  it('does not hammer a rate limit: 613 and 4 fail at once with a wait to respect', async () => {
    rig = await messengerRig();
    for (const failure of ['rate-limit', 'app-rate-limit'] as const) {
      const before = rig.graph.requests;
      rig.graph.failNext(failure);
      const err = (await rig.adapter.send(ref, { text: 'Hello' }).catch((e: unknown) => e)) as GraphError;
      expect(err.kind).toBe('rate-limited');
      expect(err.code).toBe('PLATFORM_UNREACHABLE');
      expect(err.retryAfterMs).toBeGreaterThan(0);
      expect(rig.graph.requests - before).toBe(1);
    }
  });

  it('a refused request (a bad token) is PLATFORM_REFUSED and never carries the token', async () => {
    const graph = await new FakeGraphApi('the-real-token').start();
    try {
      const client = new GraphClient({ token: 'a-stale-token', graphUrl: graph.url, version: 'v26.0' });
      const err = (await client.post('me/messages', { recipient: { id: PSID } }).catch((e: unknown) => e)) as GraphError;
      expect(err.kind).toBe('auth');
      expect(err.code).toBe('PLATFORM_REFUSED');
      expect(JSON.stringify({ m: err.message, s: err.stack, c: err.cause })).not.toContain('a-stale-token');
    } finally {
      await graph.close();
    }
  });
});

describe('quick-reply titles', () => {
  it('cuts a long title at a word, with an ellipsis, never inside a code', () => {
    expect(truncateTitle('Same details as before (Layla)')).toBe('Same details as…');
    expect(truncateTitle('Short')).toBe('Short');
    const cut = truncateTitle('سحب الموافقة \u2068ICS-7K4QM9\u2069 الآن');
    expect(cut.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(cut.includes('\u2068')).toBe(cut.includes('\u2069'));
  });

  it('every button the flow can show fits in every language, and the fake Send API accepts it', async () => {
    const { renderer, ctx } = await flowChoices();
    const steps: StepName[] = ['language', 'consent', 'menu', 'topic', 'name', 'organisation', 'country', 'email', 'body', 'review', 'edit-pick', 'draft-found', 'mine', 'confirm-withdraw', 'confirm-delete'];
    rig = await messengerRig();
    const shown: string[] = [];
    for (const lng of ['en', 'ar', 'ckb'] as Locale[]) {
      for (const consent of ['given', null] as const) {
        for (const step of steps) {
          const state = { ...initialState(), step, locale: lng, consent, greeted: true, draft: { ...emptyDraft(), topic: 1, parts: ['text'] } };
          const choices = choicesFor(state, ctx).map((c) => renderer.choice(c, lng));
          for (const c of choices) {
            const title = titleOf(c);
            shown.push(title);
            expect(title.length, `${lng} ${c.id}: ${title}`).toBeLessThanOrEqual(MAX_TITLE);
            // Short labels exist for every long one: nothing the flow shows needs cutting.
            expect(title, `${lng} ${c.id}`).not.toContain('…');
          }
          if (choices.length > 0) await rig.adapter.send(ref, { text: 'Choose', choices, lang: lng, expectsText: true });
        }
      }
    }
    expect(shown.length).toBeGreaterThan(100);
    expect(shown).toContain('التحديات والإنجازات');
  });
});

describe('short titles from the renderer', () => {
  const FSI = '\u2068';
  const PDI = '\u2069';

  it('topics, codes and same-details buttons in Arabic and Sorani use the renderer’s short label, codes isolated', async () => {
    const { i18n, call, renderer, ctx } = await flowChoices();
    rig = await messengerRig();
    const sentTitles = async (lng: Locale, step: StepName) => {
      const state = { ...initialState(), step, locale: lng, consent: 'given' as const, greeted: true, draft: { ...emptyDraft(), topic: 1 } };
      const choices = choicesFor(state, ctx).map((c) => renderer.choice(c, lng));
      await rig!.adapter.send(ref, { text: 'Choose', choices, lang: lng, expectsText: true });
      return Object.fromEntries(rig!.graph.lastTo(PSID)!.message.quick_replies!.map((q) => [q.payload, q.title]));
    };
    const code = `${FSI}ICS-7K4QM9${PDI}`;
    // One topic's full label is too long, so all three use their short titles and read alike.
    expect(await sentTitles('ar', 'topic')).toEqual({ 'topic:1': 'التحديات والإنجازات', 'topic:2': 'إعادة بناء العراق', 'topic:3': 'التضامن الدولي' });
    expect(await sentTitles('en', 'topic')).toEqual(Object.fromEntries([1, 2, 3].map((n) => [`topic:${n}`, i18n.t(`${call.textsNamespace}:topics.${n}.short`, { lng: 'en' })])));
    expect(await sentTitles('ckb', 'topic')).toEqual({ 'topic:1': 'ئاستەنگ و دەستکەوت', 'topic:2': 'بنیاتنانەوەی عێراق', 'topic:3': 'هاوپشتیی نێودەوڵەتی' });
    expect(await sentTitles('ar', 'name')).toEqual({ 'details:same': 'كالمرة السابقة' });
    expect(await sentTitles('ckb', 'name')).toEqual({ 'details:same': 'وەک جاری پێشوو' });
    // The state has an unsent draft: /status offers to continue it.
    expect(await sentTitles('ar', 'mine')).toEqual({ 'draft:continue': 'متابعة المسودة', 'mine:edit:ICS-7K4QM9': `تعديل ${code}`, 'mine:withdraw:ICS-7K4QM9': `سحب ${code}`, 'menu:back': 'القائمة' });
    // "کێشانەوەی ICS-7K4QM9" is 22 characters: the short label puts the code first.
    expect(await sentTitles('ckb', 'mine')).toEqual({ 'draft:continue': 'درێژەدان بە ڕەشنووس', 'mine:edit:ICS-7K4QM9': `گۆڕینی ${code}`, 'mine:withdraw:ICS-7K4QM9': `${code} بکێشەوە`, 'menu:back': 'لیستی سەرەکی' });
  });

  it('reads no choice id: a long label without a short one (a reply stored before) is cut, and so is a short label still too long', () => {
    expect(titleOf({ id: 'topic:1', label: '1. التحديات والإنجازات' })).toBe('1. التحديات…');
    expect(titleOf({ id: 'x', label: 'A label that is much too long', short: 'Short one' })).toBe('Short one');
    const cut = titleOf({ id: 'x', label: 'A label that is much too long', short: `سحب المساهمة ذات الرمز ${FSI}ICS-7K4QM9${PDI}` });
    expect(cut.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.includes(FSI)).toBe(cut.includes(PDI));
  });
});

describe('messenger:setup', () => {
  it('sets Get Started, the greeting and the persistent menu for default, ar_AR and cb_IQ', async () => {
    const graph = await new FakeGraphApi(PAGE_TOKEN).start();
    try {
      const i18n = await createI18n();
      const lines = await messengerSetup({ config: { pageAccessToken: PAGE_TOKEN, appSecret: 's', verifyToken: 'v', graphUrl: graph.url, graphVersion: 'v26.0', publicUrl: undefined }, i18n, lng: 'en' });
      expect(lines.join('\n')).toContain('default, ar_AR, cb_IQ');
      expect(graph.profiles).toHaveLength(1);
      const p = graph.profiles[0] as {
        get_started: { payload: string };
        greeting: { locale: string; text: string }[];
        persistent_menu: { locale: string; call_to_actions: { title: string; payload: string }[] }[];
      };
      expect(p.get_started).toEqual({ payload: 'GET_STARTED' });
      expect(p.greeting.map((g) => g.locale)).toEqual(['default', 'ar_AR', 'cb_IQ']);
      expect(p.greeting.every((g) => g.text.length > 20 && g.text.length <= 160)).toBe(true);
      expect(p.greeting[2]!.text).toMatch(/[\u06A9\u06CC\u06D5]/); // Sorani letters in the cb_IQ greeting
      expect(p.persistent_menu.map((m) => m.locale)).toEqual(['default', 'ar_AR', 'cb_IQ']);
      // About the conference is in the menu in every language; it sends the core's About command.
      for (const menu of p.persistent_menu) {
        expect(menu.call_to_actions.map((a) => a.payload)).toEqual(['CMD:start', 'CMD:about', 'CMD:status', 'CMD:lang', 'CMD:help', 'CMD:delete']);
      }
      expect(p.persistent_menu.map((m) => m.call_to_actions[1]!.title)).toEqual(['About the conference', 'عن المؤتمر', 'دەربارەی کۆنفرانس']);
      expect(p.persistent_menu[1]!.call_to_actions[2]!.title).toBe('مساهماتي');
      // The Page is subscribed to every webhook field the bot reads, referrals and edits included.
      expect(graph.subscriptions).toEqual([['messages', 'messaging_postbacks', 'messaging_referrals', 'message_edits']]);
      expect(lines.join('\n')).toContain('messaging_referrals');
    } finally {
      await graph.close();
    }
  });

  it('says what to set when Messenger is not configured', async () => {
    const err = await messengerSetup({ config: null, i18n: await createI18n(), lng: 'en' }).catch((e: unknown) => e);
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('MESSENGER_PAGE_ACCESS_TOKEN');
  });
});

describe('configuration', () => {
  it('is off with no variables, refuses half a configuration, and defaults the Graph URL and version', async () => {
    const { readMessengerConfig } = await import('../adapters/messenger/config.js');
    expect(readMessengerConfig({})).toBeNull();
    expect(() => readMessengerConfig({ MESSENGER_PAGE_ACCESS_TOKEN: 'EAAtoken' })).toThrow(/MESSENGER_APP_SECRET/);
    const c = readMessengerConfig({ MESSENGER_PAGE_ACCESS_TOKEN: 'EAAtoken', MESSENGER_APP_SECRET: 'secret', MESSENGER_VERIFY_TOKEN: 'verify' });
    expect(c).toMatchObject({ graphUrl: 'https://graph.facebook.com', graphVersion: 'v26.0', publicUrl: undefined });
    expect(() => readMessengerConfig({ MESSENGER_PAGE_ACCESS_TOKEN: 'EAAtoken', MESSENGER_APP_SECRET: 'secret', MESSENGER_VERIFY_TOKEN: 'verify', MESSENGER_GRAPH_VERSION: '26' })).toThrow(/v26\.0/);
  });
});
