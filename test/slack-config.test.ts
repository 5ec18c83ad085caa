/**
 * Slack's configuration and the stats chart.
 */
import { describe, expect, it } from 'vitest';
import { readSlackConfig } from '../adapters/slack/config.js';
import { arabicFont, renderStatsChart } from '../adapters/slack/chart.js';
import { aggregateFacts } from '../src/domain/stats.js';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { isAppError } from '../src/core/errors.js';
import { SlackAdapter } from '../adapters/slack/adapter.js';
import { coreApi } from '../src/core/bot-core.js';
import { createLogger } from '../src/core/log.js';
import { organiserReports } from '../src/organisers/reports.js';
import { FakeSlackApi, FAKE_BOT_TOKEN } from './fakes/slack-api.js';
import { makeBot } from './helpers/harness.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' };

describe('Slack configuration', () => {
  it('is off without a token and a secret, and refuses half of it', () => {
    expect(readSlackConfig({})).toBeNull();
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('names the variable that is wrong and never quotes the token', () => {
    try {
      readSlackConfig({ ...base, SLACK_BOT_TOKEN: 'xoxp-user-token-9' });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).not.toContain('xoxp-user-token-9');
    }
    expect(() => readSlackConfig({ ...base, SLACK_ADMIN_CHANNEL: '#icssi-admin' })).toThrow(/channel id/);
    expect(() => readSlackConfig({ ...base, SLACK_ADMIN_USERS: 'U123,alice' })).toThrow(/"alice"/);
  });

  it('reads the organisers and defaults the API URL', () => {
    const c = readSlackConfig({ ...base, SLACK_ADMIN_USERS: 'U0A, U0B', SLACK_APP_TOKEN: 'xapp-1-X' })!;
    expect([...c.adminUsers]).toEqual(['U0A', 'U0B']);
    expect(c.apiUrl).toBe('https://slack.com/api/');
    expect(c.appToken).toBe('xapp-1-X');
  });
});

describe('the stats chart', () => {
  it('is a PNG labelled with language names where an Arabic font exists, else with codes', async () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const facts = [
      { topic: 1, state: 'submitted' as const, language: 'ar' as const, platform: 'telegram' as const, createdAt: at, wordCount: 200 },
      { topic: 2, state: 'submitted' as const, language: 'ckb' as const, platform: 'slack' as const, createdAt: at, wordCount: 250 },
    ];
    const texts = { byDayTitle: 'المساهمات يومياً', byLanguageTitle: 'حسب اللغة', topicLabel: (n: number) => `المحور ${n}`, languageLabel: (l: string) => (l === 'ar' ? 'العربية' : 'کوردی') };
    const fallback = { byDayTitle: 'per day', byLanguageTitle: 'by language', topicLabel: String, languageLabel: (l: string) => l };
    const chart = await renderStatsChart({ aggregates: aggregateFacts(facts, 'Asia/Baghdad'), topics: [1, 2, 3], texts, fallbackTexts: fallback });
    expect(chart.png.subarray(1, 4).toString()).toBe('PNG');
    // CI installs fonts-dejavu-core (.ci/run): there the labels must be the names, in Arabic script.
    if (process.env.CI) expect(arabicFont()).not.toBeNull();
    expect(chart.labels).toBe(arabicFont() ? 'names' : 'codes');
    // The picture is drawn, not an empty canvas: the bars of topic 1 and of topic 2 are there.
    const img = await loadImage(chart.png);
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    const count = (r: number, g: number, b: number) => {
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) n++;
      return n;
    };
    expect(count(0x1b, 0x7a, 0x5a)).toBeGreaterThan(1000); // topic 1's colour
    expect(count(0xd9, 0x82, 0x2b)).toBeGreaterThan(1000); // topic 2's colour
  });
});

describe('starting without the bot ids', () => {
  it('checks the token with auth.test and refuses a bad one with a clear error, not a crash', async () => {
    const api = new FakeSlackApi();
    await api.start();
    const bot = await makeBot();
    const core = coreApi(bot.dispatcher);
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown) => unhandled.push(r);
    process.on('unhandledRejection', onUnhandled);
    try {
      const make = (token: string) => new SlackAdapter({
        config: readSlackConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: api.apiUrl })!,
        core, reports: organiserReports({ store: bot.store, core, secret: 'test-secret-0123456789' }), logger: createLogger('silent'),
      });
      const bad = make('xoxb-1-2-not-the-right-one');
      await expect(bad.start()).rejects.toSatisfy((err: unknown) => isAppError(err, 'CONFIG_INVALID') && (err as Error).message.includes('auth.test: invalid_auth'));
      const good = make(FAKE_BOT_TOKEN);
      await expect(good.start()).resolves.toBeUndefined();
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await api.stop();
    }
  });

  it('Slack out of reach is not a configuration error: the start fails as it is, to be tried again', async () => {
    const api = new FakeSlackApi();
    await api.start();
    const url = api.apiUrl;
    await api.stop(); // nothing listens there any more: connections are refused
    const bot = await makeBot();
    const core = coreApi(bot.dispatcher);
    const adapter = new SlackAdapter({
      config: readSlackConfig({ SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: url })!,
      core, reports: organiserReports({ store: bot.store, core, secret: 'test-secret-0123456789' }), logger: createLogger('silent'),
    });
    const err = await adapter.start().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(false);
  });
});
