/**
 * The organisers' command line as a real process on a real SQLite file: stats as a table and as
 * JSON, exports in CSV and JSON with pseudonymised ids, and clear errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { makeBot } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';
import { RUN_TS } from './helpers/run-ts.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'icssi-cli-'));
const db = join(dir, 'cli.db');
const env = { ...process.env, DATABASE_URL: `file:${db}`, ICSSI_SECRET: 'cli-test-secret-0123456789', LANG: 'en_GB.UTF-8', LC_ALL: '' };
const icssi = (...args: string[]) => run(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], { env, maxBuffer: 16 * 1024 * 1024 });

beforeAll(async () => {
  const store = await openStore(`file:${db}`);
  const bot = await makeBot(store);
  const people: [string, 'en' | 'ar' | 'ckb', number, string][] = [
    ['p1', 'en', 1, '=HYPERLINK("http://evil")'],
    ['p2', 'ar', 2, 'ليلى'],
    ['p3', 'ckb', 2, 'هەژار'],
  ];
  for (const [user, lang, topic, name] of people) {
    await bot.say('/start', user);
    await bot.press(`lang:${lang}`, user);
    await bot.press('consent:yes', user);
    await bot.press('menu:submit', user);
    await bot.press(`topic:${topic}`, user);
    await bot.say(name, user);
    await bot.press('skip:organisation', user);
    await bot.press('skip:country', user);
    await bot.press('skip:email', user);
    await bot.say(textOf(lang, 200 + topic * 10), user);
    await bot.press('body:done', user);
    await bot.press('review:confirm', user);
  }
  // Someone who only looked.
  await bot.say('/start', 'p4');
  await store.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run icssi', () => {
  it('stats --json gives every breakdown, the funnel and the median', async () => {
    const { stdout } = await icssi('stats', '--json');
    const s = JSON.parse(stdout);
    expect(s.contributions.byTopic).toEqual({ 1: 1, 2: 2, 3: 0 });
    expect(s.contributions.byLanguage).toEqual({ en: 1, ar: 1, ckb: 1 });
    expect(s.contributions.byPlatform).toEqual({ console: 3 });
    expect(s.contributions.byState.submitted).toBe(3);
    expect(Object.values(s.contributions.byDay)).toEqual([3]);
    expect(s.participants).toEqual({ started: 4, consented: 3, drafted: 3, submitted: 3 });
    expect(s.medianWords).toBe(220);
  }, 30_000);

  it('stats prints a readable table, in Arabic on request', async () => {
    const en = (await icssi('stats')).stdout;
    expect(en).toContain('By topic');
    expect(en).toMatch(/2\. Rebuilding Iraq\s+2/);
    expect(en).toMatch(/median word count\s+220/);
    const ar = (await icssi('stats', '--lang', 'ar')).stdout;
    expect(ar).toContain('حسب المحور');
  }, 30_000);

  it('export writes CSV with pseudonyms, no raw ids, and formulas neutralised', async () => {
    const out = join(dir, 'out.csv');
    const { stderr } = await icssi('export', '--format', 'csv', '--output', out);
    expect(stderr).toContain('Exported 3 contributions.');
    const csv = readFileSync(out, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('code,call,topic,state,language,platform,participant,created_at,updated_at,revision,word_count,name,organisation,country,email,text');
    expect(csv).not.toMatch(/,p[123],/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain('ليلى');
    const pseudonyms = lines.slice(1, 4).map((l) => l.split(',')[6]);
    expect(new Set(pseudonyms).size).toBe(3);
    // Stable: the same person has the same pseudonym in the next export.
    const again = (await icssi('export', '--format', 'json')).stdout;
    const rows = JSON.parse(again);
    expect(rows).toHaveLength(3);
    expect(rows.map((r: { participant: string }) => r.participant).sort()).toEqual([...pseudonyms].sort());
  }, 30_000);

  it('explains itself and refuses what it does not know', async () => {
    expect((await icssi('--help')).stdout).toContain('npm run icssi -- <command>');
    await expect(icssi('export', '--format', 'xml')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('use csv or json') });
    await expect(icssi('frobnicate')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command') });
  }, 30_000);
});
