/**
 * Retention, as organisers run it: `npm run icssi -- purge` in a real process on a real SQLite
 * file. It refuses before the call's retainUntil day (or with none set) unless forced, counts with
 * --dry-run, erases every participant of the call after the day — leaving no byte of them in the
 * files, a WhatsApp person's BSUID included — and `stats` warns once the day has passed. The consent
 * text states the real retention.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { makeBot } from './helpers/harness.js';
import { foundInFiles, needles, personOf, submitAs, textFor } from './helpers/erasure.js';
import { RUN_TS } from './helpers/run-ts.js';
import { whatsappRig } from './helpers/whatsapp.js';
import { idInWamids, WaPerson } from './helpers/whatsapp-person.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icssi-purge-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const shipped = JSON.parse(fs.readFileSync('config/calls/icssi-2019.json', 'utf8')) as Record<string, unknown>;

function callFile(name: string, retainUntil: string | null): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...shipped, retainUntil }));
  return file;
}

const people = [personOf('Pa1', 'الناصرية', 'کۆیە'), personOf('Pb2', 'السماوة', 'ڕانیە')];

/** A database with two contributors and one person who only looked. */
async function database(name: string): Promise<string> {
  const db = path.join(dir, `${name}.db`);
  const store = await openStore(`file:${db}`);
  const bot = await makeBot(store);
  await submitAs(bot, 'a', people[0]!);
  await submitAs(bot, 'b', people[1]!);
  await bot.say('/start', 'looker');
  await store.close();
  return db;
}

function icssi(db: string, call: string, ...args: string[]) {
  const env = { ...process.env, DATABASE_URL: `file:${db}`, CALL_DEFINITION: call, ICSSI_SECRET: 'purge-test-secret-0123456789', LANG: 'en_GB.UTF-8', LC_ALL: '' };
  return run(process.execPath, [...RUN_TS, 'src/cli/main.ts', ...args], { env }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

const all = people.flatMap(needles);
// Each case starts three or four processes (about 3 s each on a busy machine).
const SLOW = 120_000;

describe('npm run icssi -- purge', () => {
  it('before retainUntil: counts with --dry-run, refuses without --force, and stats does not warn', async () => {
    const db = await database('early');
    const call = callFile('early', '2099-12-31');
    const dry = await icssi(db, call, 'purge', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: 'Would erase: participants 2, contributions 2, stored conversations 3. Nothing was changed.\n' });
    const refused = await icssi(db, call, 'purge');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('This call keeps its data until 2099-12-31 (retainUntil): nothing was erased. Add --force');
    expect(foundInFiles(db, all)).toEqual(all);
    const ar = await icssi(db, call, 'purge', '--lang', 'ar');
    expect(ar.stderr).toContain('يحتفظ هذا النداء ببياناته حتى');
  }, SLOW);

  it('after retainUntil: stats warns, and purge erases everyone of the call, leaving no byte of them in the files', async () => {
    const db = await database('late');
    const call = callFile('late', '2020-01-01');
    const stats = await icssi(db, call, 'stats', '--json');
    expect(() => JSON.parse(stats.stdout) as unknown).not.toThrow();
    expect(stats.stderr).toContain("Warning: this call's retention date (2020-01-01) has passed.");
    const done = await icssi(db, call, 'purge');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Erased: participants 2, contributions 2, stored conversations 3.');
    // Piped (as here, a cron job or CI): no progress bar, only the summary.
    expect(done.stderr).not.toContain('Purge');
    expect(done.stdout).toContain('Copies already exported (CSV or JSON files) are not reached');
    expect(foundInFiles(db, all)).toEqual([]);
    expect((await icssi(db, call, 'purge', '--dry-run')).stdout).toContain('participants 0, contributions 0, stored conversations 0');
  }, SLOW);

  it('on a terminal, a progress bar counts the participants erased, then the summary follows', async () => {
    const db = await database('terminal');
    const call = callFile('terminal', '2020-01-01');
    const env = { ...process.env, DATABASE_URL: `file:${db}`, CALL_DEFINITION: call, ICSSI_SECRET: 'purge-test-secret-0123456789', LANG: 'en_GB.UTF-8', LC_ALL: '' };
    // `script` runs the CLI on a pseudo-terminal, so its stderr is a TTY as on an organiser's screen.
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, ...RUN_TS, 'src/cli/main.ts', 'purge'].map(quote).join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { env });
    expect(stdout).toContain('Purge [');
    expect(stdout).toContain('2/2');
    expect(stdout).toContain('100%');
    // The bar is stopped before the summary is printed.
    expect(stdout.lastIndexOf('2/2')).toBeLessThan(stdout.indexOf('Erased: participants 2, contributions 2'));
    expect(foundInFiles(db, all)).toEqual([]);
  }, SLOW);

  it('erases a WhatsApp person too: no byte of their BSUID, details or text is left in the files', async () => {
    const db = await database('whatsapp');
    const store = await openStore(`file:${db}`);
    const rig = await whatsappRig(store);
    const who = { bsuid: 'IQ.7300000000000000731', phone: '9647731234567' };
    const p = new WaPerson(rig, who);
    const person = personOf('Pw3', 'الكوت', 'سۆران');
    try {
      await p.submits({ name: person.name, organisation: person.organisation, country: person.country, email: person.email, text: textFor(person) });
    } finally {
      await rig.close();
      await store.close();
    }
    const theirs = [...needles(person), who.bsuid];
    expect(foundInFiles(db, theirs)).toEqual(theirs);
    const done = await icssi(db, callFile('whatsapp', '2020-01-01'), 'purge');
    expect(done.stdout).toContain('Erased: participants 3, contributions 3, stored conversations 4.');
    expect(foundInFiles(db, [...all, ...theirs, who.bsuid.slice(3), who.phone, idInWamids(who), ...p.sent])).toEqual([]);
  }, SLOW);

  it('with no retainUntil: refuses unless forced', async () => {
    const db = await database('unset');
    const call = callFile('unset', null);
    const refused = await icssi(db, call, 'purge');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('The call definition sets no retention date (retainUntil)');
    const forced = await icssi(db, call, 'purge', '--force');
    expect(forced.stdout).toContain('Erased: participants 2, contributions 2');
    expect(foundInFiles(db, all)).toEqual([]);
  }, SLOW);
});
