/**
 * Erased means erased on WhatsApp too, over real HTTP with signed webhooks against the fake Cloud
 * API. Two people type "/delete" (WhatsApp has no commands: the typed text is one) and confirm:
 * one who has a phone number besides her business-scoped user id (BSUID), one with a username
 * and no phone. Afterwards no byte of the SQLite file (or its -wal) and no row of any PostgreSQL
 * table holds their BSUID, phone number, profile name, the name, organisation, country and e-mail
 * they typed, a sentence of their text, or the id of a message they sent — also not in an answer
 * that waited in the outbox or an organiser's note. A third person's details and BSUID stay
 * findable: the scan does find what is there. Purge then erases the third person as well.
 * A wamid holds the sender's phone number (base64): none is stored, not even in a draft.
 */
import { describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { coreApi } from '../src/core/bot-core.js';
import { decide } from '../src/organisers/decisions.js';
import { openStore } from '../src/storage/open-store.js';
import { foundInFiles, foundInRows, needles, personOf, textFor, type Person } from './helpers/erasure.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';
import { conversationKey } from '../src/core/conversation-key.js';
import { TEST_SECRET } from './helpers/harness.js';
import { idInWamids, WaPerson, type WaWho } from './helpers/whatsapp-person.js';

const scratch = scratchDatabases('erasure-wa');

const withPhone = { details: personOf('Wp5', 'الزبير', 'چەمچەماڵ'), who: { bsuid: 'IQ.1234567890123456789', phone: '9647712345678', profileName: 'Zubaida Wp5 profile' } };
const usernameOnly = { details: personOf('Wu6', 'الفاو', 'پێنجوێن'), who: { bsuid: 'IQ.1234098765432109876', phone: false, profileName: 'Zubaida Wu6 profile' } } as const;
const stayer = { details: personOf('Ws7', 'القرنة', 'دوکان'), who: { bsuid: 'IQ.5550001112223334445', phone: '9647719876543', profileName: 'Zubaida Ws7 profile' } };

/**
 * A WhatsApp person's traces: what is stored while they take part (what they typed; the BSUID,
 * needed to reply) and what is never stored at all (the phone number, the profile name, their
 * messages' ids — each holds the phone number — and the phone as it appears inside them).
 */
function tracesOf(p: Person, who: WaWho, sent: string[]): { stored: string[]; never: string[] } {
  return {
    stored: [...needles(p), who.bsuid, who.bsuid.slice(3)],
    never: [...(who.phone ? [who.phone] : []), who.profileName!, idInWamids(who), ...sent],
  };
}

async function submits(person: WaPerson, p: Person): Promise<string> {
  return person.submits({ name: p.name, organisation: p.organisation, country: p.country, email: p.email, text: textFor(p) });
}

/**
 * The stayer and both leavers submit. The phone-holder's receipt cannot be sent at first (it
 * waits in the outbox, quoting her), and an organiser's note quotes her (a stored notice); then
 * `check` sees everything in the store, then both leavers type /delete and confirm.
 */
async function scenario(rig: WhatsAppRig, scan: (strings: string[]) => Promise<string[]>): Promise<void> {
  const s = new WaPerson(rig, stayer.who);
  await submits(s, stayer.details);

  const a = new WaPerson(rig, withPhone.who);
  await a.say('hello');
  await a.tap('consent:yes');
  await a.tap('menu:submit');
  await a.tap('topic:2');
  for (const line of [withPhone.details.name, withPhone.details.organisation, withPhone.details.country, withPhone.details.email, textFor(withPhone.details)]) await a.say(line);
  // Her draft is stored while she writes, without the wamids (each holds her phone number).
  const ref = { platform: 'whatsapp' as const, chatId: withPhone.who.bsuid, userId: withPhone.who.bsuid };
  const draft = JSON.stringify(await rig.store.load(conversationKey(TEST_SECRET, ref), ref));
  expect(draft).toContain(withPhone.details.sentences[0]);
  for (const id of [...a.sent, idInWamids(withPhone.who)]) expect(draft).not.toContain(id);
  await a.tap('body:done');
  // WhatsApp is down for her receipt (the request's three tries): it waits in the outbox.
  rig.api.outage('503', '503', '503');
  await a.tap('review:confirm');
  // And for "Show my text" under it (the receipt is tried first, in order, and fails again).
  rig.api.outage('503', '503', '503');
  await a.tap('receipt:text');
  const waiting = JSON.stringify(await rig.store.listPending(10));
  expect(waiting).toContain(withPhone.details.sentences[2]);
  // The answers wait in the outbox, quoting her text, when `check` first looks.
  const code = /ICS-[A-Z0-9]{6}/.exec(waiting)![0];
  const out = await decide(coreApi(rig.dispatcher), { code, decision: 'revision_requested', actor: 'cli:test', note: `Thank you ${withPhone.details.name}, say more of ${withPhone.details.organisation}` });
  expect(out.notice).toBe('sent');

  const b = new WaPerson(rig, usernameOnly.who);
  await submits(b, usernameOnly.details);

  const leavers = () => [tracesOf(withPhone.details, withPhone.who, a.sent), tracesOf(usernameOnly.details, usernameOnly.who, b.sent)];
  const kept = tracesOf(stayer.details, stayer.who, s.sent);
  const sorted = async (strings: string[]) => (await scan(strings)).sort();
  // Before: the scan finds what is there; what is never stored is not there.
  const stored = leavers().flatMap((t) => t.stored);
  expect(await sorted(stored)).toEqual([...stored].sort());
  expect(await scan(leavers().flatMap((t) => t.never))).toEqual([]);

  for (const leaver of [a, b]) {
    await leaver.say('/delete');
    await leaver.tap('delete:yes');
    expect(leaver.texts().at(-1)).toMatch(/Your data is erased/);
    expect((await rig.dispatcher.participantView({ platform: 'whatsapp', chatId: leaver.who.bsuid, userId: leaver.who.bsuid })).participant).toBeNull();
  }
  // After (with the ids of "/delete" and its confirmation): nothing of either leaver.
  expect(await scan(leavers().flatMap((t) => [...t.stored, ...t.never]))).toEqual([]);
  // The stayer is untouched, and their phone, profile name and message ids were never stored.
  expect(await sorted(kept.stored)).toEqual([...kept.stored].sort());
  expect(await scan(kept.never)).toEqual([]);
}

describe('a WhatsApp person who types /delete is erased from the database', () => {
  it('on SQLite: no byte of the file or its -wal holds their BSUID, phone, names, e-mail, sentences or message ids', async () => {
    const target = await scratch.empty('sqlite');
    const file = target.provider === 'sqlite' ? target.file : '';
    const store: BotStore = await openStore(databaseUrl(target));
    const rig = await whatsappRig(store);
    try {
      await scenario(rig, async (strings) => foundInFiles(file, strings));
    } finally {
      await rig.close();
      await store.close();
    }
    // After the store is closed (checkpointed) too.
    const gone = [...needles(withPhone.details), ...needles(usernameOnly.details), withPhone.who.bsuid, withPhone.who.phone, usernameOnly.who.bsuid];
    expect(foundInFiles(file, gone)).toEqual([]);
    expect(foundInFiles(file, needles(stayer.details))).toEqual(needles(stayer.details));
  });

  it('on PostgreSQL: no row of any table holds them; then purge erases the stayer and their BSUID', async () => {
    const url = databaseUrl(await scratch.empty('postgresql'));
    const store: BotStore = await openStore(url);
    const rig = await whatsappRig(store);
    try {
      await scenario(rig, (strings) => foundInRows(url, strings));
      // The call's retention ends: everyone of it is erased, the stayer's BSUID too.
      expect(await store.purge(rig.dispatcher.call.id, new Date())).toMatchObject({ participants: 1, contributions: 1 });
      expect(await foundInRows(url, [...needles(stayer.details), stayer.who.bsuid, stayer.who.bsuid.slice(3)])).toEqual([]);
    } finally {
      await rig.close();
      await store.close();
    }
  });
});
