/**
 * Erased means erased in the database files: after /delete (confirmed) and after Meta's
 * data-deletion callback, no byte of the SQLite file or its -wal holds the person's name,
 * organisation, country, e-mail or a sentence of their text — also not in the outbox (a receipt
 * that could not be sent quotes everything), a decision notice or an organiser's note, nor after a
 * clean shutdown. On PostgreSQL no row of any table holds them, and the tables were vacuumed.
 * Another participant's details stay findable: the scan does find what is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { conversationKey } from '../src/core/conversation-key.js';
import { createLogger } from '../src/core/log.js';
import { DAY_MS, Maintenance } from '../src/core/maintenance.js';
import { Metrics } from '../src/core/metrics.js';
import type { BotStore } from '../src/core/ports.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { openStore } from '../src/storage/open-store.js';
import { connectRaw } from '../src/storage/raw-connection.js';
import { makeBot, refOf, TEST_SECRET } from './helpers/harness.js';
import { foundInFiles, foundInRows, needles, personOf, submitAs, textFor, toReview } from './helpers/erasure.js';
import { APP_SECRET, fixture, messengerRig, postbackFrom, PSID, signedDeletion, type MessengerRig } from './helpers/messenger.js';
import { makeSignedRequest } from '../adapters/messenger/signatures.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';

const scratch = scratchDatabases('erasure');
const dir = scratch.dir;

const leaver = personOf('Qx7', 'قسوارة', 'قەسوەرە');

/** The leaver sends a contribution on Messenger, every detail given, from "Get Started" to the receipt. */
async function leaverSubmits(rig: MessengerRig): Promise<void> {
  await rig.post(fixture('postback-get-started'));
  await rig.post(postbackFrom(PSID, 'lang:en', rig.clock.now));
  await rig.say('I agree', 'consent:yes');
  await rig.say('Send a contribution', 'menu:submit');
  await rig.say('2', 'topic:2');
  for (const line of [leaver.name, leaver.organisation, leaver.country, leaver.email, textFor(leaver)]) await rig.say(line);
  await rig.say('Done', 'body:done');
  await rig.say('Send', 'review:confirm');
}
const stayer = personOf('Vm3', 'بعقوبة', 'هەڵەبجە');

/**
 * Two people submit; the leaver's receipt cannot be sent (it stays in the outbox), an organiser
 * asks for a revision with a note that quotes her (a notice is stored), then she erases herself.
 */
async function deleteScenario(store: BotStore, before: () => Promise<void>): Promise<void> {
  const bot = await makeBot(store);
  let down = false;
  bot.dispatcher.registerSender('console', async (ref, m) => {
    if (down) throw new Error('the console is gone');
    bot.sent.set(ref.chatId, [...(bot.sent.get(ref.chatId) ?? []), m]);
  });
  await submitAs(bot, 'stayer', stayer);
  await toReview(bot, 'leaver', leaver);
  // Her receipt and her text ("Show my text" under it) cannot be delivered: they stay in the outbox.
  down = true;
  await bot.press('review:confirm', 'leaver');
  await bot.press('receipt:text', 'leaver');
  const key = conversationKey(TEST_SECRET, refOf('leaver'));
  const pending = (await store.load(key, refOf('leaver'))).conversation?.pending ?? [];
  expect(JSON.stringify(pending)).toContain(leaver.sentences[2]);
  const code = JSON.stringify(pending).match(/ICS-[A-Z0-9]{6}/)![0];
  // An organiser's note quoting her: kept with the decision and in the (failed) notice.
  const out = await decide(coreApi(bot.dispatcher), { code, decision: 'revision_requested', actor: 'cli:test', note: `Thank you ${leaver.name}, say more of ${leaver.organisation}` });
  expect(out).toMatchObject({ result: 'recorded', notice: 'failed' });
  await before();
  await bot.say('/delete', 'leaver');
  await bot.press('delete:yes', 'leaver');
  expect((await store.load(key, refOf('leaver'))).participant).toBeNull();
}

describe('erasure on SQLite leaves no byte of the person in the files', () => {
  it('after /delete (confirmed), and after a clean shutdown', async () => {
    const file = path.join(dir, 'delete.db');
    const store = await openStore(`file:${file}`);
    await deleteScenario(store, async () => {
      expect(foundInFiles(file, needles(leaver))).toEqual(needles(leaver));
    });
    expect(foundInFiles(file, needles(leaver))).toEqual([]);
    expect(foundInFiles(file, needles(stayer))).toEqual(needles(stayer));
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    await store.close();
    expect(foundInFiles(file, needles(leaver))).toEqual([]);
    expect(foundInFiles(file, needles(stayer))).toEqual(needles(stayer));
  });

  it('a checkpoint left partial by another process reading is finished by the maintenance job', async () => {
    const file = path.join(dir, 'reader.db');
    const store = await openStore(`file:${file}`);
    const reader = new Database(file);
    await deleteScenario(store, async () => {
      // Another process (the CLI, a backup) holds a read transaction on an older snapshot.
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM "Participant"').get();
    });
    expect(foundInFiles(file, needles(leaver)).length).toBeGreaterThan(0);
    reader.exec('COMMIT');
    reader.close();
    const maintenance = new Maintenance({ store, clock: () => new Date(), processedEventMaxAgeMs: 7 * DAY_MS, logger: createLogger('silent'), metrics: new Metrics() });
    await maintenance.runOnce();
    expect(foundInFiles(file, needles(leaver))).toEqual([]);
    expect(await store.reclaimErased()).toBe(false); // nothing left to finish
    await store.close();
  });

  it("after Meta's data-deletion callback: nor the PSID, nor the callback's event id", async () => {
    const file = path.join(dir, 'messenger.db');
    const store = await openStore(`file:${file}`);
    const rig = await messengerRig(store);
    try {
      await leaverSubmits(rig);
      expect(rig.graph.textsTo(PSID).join('\n')).toMatch(/ICS-[A-Z0-9]{6}/);
      const secrets = [...needles(leaver), PSID];
      expect(foundInFiles(file, secrets)).toEqual(secrets);

      const res = await rig.deletion(signedDeletion());
      expect(res.status).toBe(200);
      expect(foundInFiles(file, [...secrets, 'data-deletion'])).toEqual([]);

      // Someone who never agreed: their conversation (its undelivered replies name them) goes too.
      const looker = '7777000011112222';
      await rig.post(postbackFrom(looker, 'lang:en', rig.clock.now));
      const lookerRef = { platform: 'messenger' as const, chatId: looker, userId: looker };
      expect((await store.load(conversationKey(TEST_SECRET, lookerRef), lookerRef)).conversation).not.toBeNull();
      const lookerSigned = makeSignedRequest({ algorithm: 'HMAC-SHA256', expires: 1_800_000_000, issued_at: 1_795_000_001, user_id: looker }, APP_SECRET);
      await rig.deletion(lookerSigned);
      expect((await store.load(conversationKey(TEST_SECRET, lookerRef), lookerRef)).conversation).toBeNull();
    } finally {
      await rig.close();
      await store.close();
    }
    expect(foundInFiles(file, [...needles(leaver), PSID])).toEqual([]);
  });
});

/** A new, empty PostgreSQL database on the test server (dropped after the file). */
async function freshPg(): Promise<string> {
  return databaseUrl(await scratch.empty('postgresql'));
}

describe('erasure on PostgreSQL', () => {
  it('after /delete no row of any table holds the person, and the tables were vacuumed', async () => {
    const url = await freshPg();
    const store = await openStore(url);
    await deleteScenario(store, async () => {
      expect((await foundInRows(url, needles(leaver))).sort()).toEqual(needles(leaver).sort());
    });
    expect(await foundInRows(url, needles(leaver))).toEqual([]);
    expect((await foundInRows(url, needles(stayer))).sort()).toEqual(needles(stayer).sort());
    await store.close(); // waits for the VACUUM the erasure started
    const raw = await connectRaw({ provider: 'postgresql', url });
    const vacuumed = await raw.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND relname IN ('Participant', 'ContributionRevision', 'Conversation')`,
    );
    await raw.close();
    expect(vacuumed.map((r) => r.relname).sort()).toEqual(['Contribution'.concat('Revision'), 'Conversation', 'Participant']);
  });

  it("after Meta's data-deletion callback and after purge, no row holds the person, the PSID or the callback's id", async () => {
    const url = await freshPg();
    const store = await openStore(url);
    const rig = await messengerRig(store);
    try {
      await leaverSubmits(rig);
      const secrets = [...needles(leaver), PSID];
      expect((await foundInRows(url, secrets)).sort()).toEqual(secrets.sort());
      const res = await rig.deletion(signedDeletion());
      expect(res.status).toBe(200);
      expect(await foundInRows(url, [...secrets, 'data-deletion'])).toEqual([]);

      // Someone else, then the call's retention ends.
      const bot = await makeBot(store);
      await submitAs(bot, 'stayer', stayer);
      expect((await foundInRows(url, needles(stayer))).sort()).toEqual(needles(stayer).sort());
      expect(await store.purge(bot.call.id, new Date())).toMatchObject({ participants: 1, contributions: 1 });
      expect(await foundInRows(url, needles(stayer))).toEqual([]);
    } finally {
      await rig.close();
      await store.close();
    }
  });
});
