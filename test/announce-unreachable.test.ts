/**
 * Announcements and the stored "unreachable" mark, over real HTTP: the Telegram adapter against
 * the fake Bot API (which answers 403 for a blocked chat, as Telegram does), a real SQLite file,
 * people who consented through the webhook. A 403 to one copy is stored on the participant, so
 * later announcements make no attempt and their preview counts the person as never; Telegram's
 * my_chat_member "kicked" does the same; writing again makes them reachable. Decisions read the
 * same mark, so a 403 learned by an announcement holds a decision notice too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { silentLogger } from '../src/core/log.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { textOf } from './helpers/texts.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';
import { fakeTime, sqliteStore } from './helpers/announce.js';

const NOW = new Date('2026-11-26T09:00:00Z');
const CALL = 'icssi-2019';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.close();
  await bot?.store.close();
  bot = undefined;
});

async function rig() {
  const { store, announcements: annStore } = await sqliteStore();
  bot = await startTelegram({ store, clock: () => NOW });
  const time = fakeTime();
  const ann = new Announcements({
    store: annStore, renderer: bot.dispatcher.renderer, channels: announcementChannels([bot.adapter]), clock: () => NOW, logger: silentLogger,
    pacers: { telegram: time.pacer(30) },
  });
  const b = bot;
  /** Starts, picks English and consents through the webhook. */
  const consent = async (p: Person) => {
    for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) expect((await b.post(u)).status).toBe(200);
  };
  /** Announcement sends (sendMessage with the announcement's text) to one chat, and their answers. */
  const copiesTo = (p: Person) =>
    b.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(p.id) && String(c.params.text).startsWith('News '));
  const person = async (p: Person) => (await annStore.candidates(CALL, { who: 'consented' })).find((c) => c.platformUserId === String(p.id))!;
  const texts = (n: number) => ({ texts: { en: `News ${n}.` }, audience: { who: 'consented' as const }, expiresAt: null });
  const announce = async (n: number) => {
    const preview = await ann.preview(CALL, texts(n));
    const { id } = await ann.create(CALL, texts(n), 'cli:test');
    return { preview: preview.byPlatform.telegram, counts: await ann.send(id) };
  };
  return { b, store, annStore, ann, consent, copiesTo, person, texts, announce };
}

describe('announcements and people who cannot be reached', () => {
  it('a 403 is stored on the participant: no later attempt, the next preview counts them never, and they are reached again once they write', async () => {
    const r = await rig();
    const ana = new Person(7300000001);
    const bea = new Person(7300000002);
    await r.consent(ana);
    await r.consent(bea);
    r.b.api.blockChat(bea.id);

    // Not known yet: the preview counts her now; the send learns it from Telegram's 403.
    const first = await r.announce(1);
    expect(first.preview).toEqual({ now: 2, held: 0, optedOut: 0, unreachable: 0 });
    expect(first.counts).toEqual({ telegram: { sent: 1, unreachable: 1 } });
    expect(r.copiesTo(bea).map((c) => c.status)).toEqual([403]);
    // Stored on the participant with the platform's code: the column the outbox and notifier read.
    expect(await r.person(bea)).toMatchObject({ unreachableReason: 'telegram:403' });
    expect((await r.person(bea)).unreachableAt).toEqual(NOW);

    // The second announcement: never in the preview, an `unreachable` copy, and no attempt.
    const second = await r.announce(2);
    expect(second.preview).toEqual({ now: 1, held: 0, optedOut: 0, unreachable: 1 });
    expect(second.counts).toEqual({ telegram: { sent: 1, unreachable: 1 } });
    expect(r.copiesTo(bea)).toHaveLength(1);
    expect(r.copiesTo(ana).map((c) => c.status)).toEqual([200, 200]);

    // She unblocks the bot and writes: reachable again, and the next announcement reaches her.
    r.b.api.unblockChat(bea.id);
    expect((await r.b.post(bea.command('help'))).status).toBe(200);
    expect((await r.person(bea)).unreachableAt).toBeNull();
    const third = await r.announce(3);
    expect(third.preview).toEqual({ now: 2, held: 0, optedOut: 0, unreachable: 0 });
    expect(third.counts).toEqual({ telegram: { sent: 2 } });
    expect(r.copiesTo(bea).map((c) => [c.status, c.params.text])).toEqual([
      [403, expect.stringMatching(/^News 1\./)],
      [200, expect.stringMatching(/^News 3\./)],
    ]);
  });

  it('my_chat_member "kicked" is respected: no copy is attempted, also for an announcement stored before it; writing again clears it', async () => {
    const r = await rig();
    const ana = new Person(7300000011);
    const bea = new Person(7300000012);
    await r.consent(ana);
    await r.consent(bea);

    // Stored while she could still be reached (her copy pending), sent after she blocked the bot.
    const stored = await r.ann.create(CALL, r.texts(1), 'cli:test');
    expect(await r.annStore.counts(stored.id)).toEqual({ telegram: { pending: 2 } });
    r.b.api.blockChat(bea.id);
    expect((await r.b.post(bea.fixture('my-chat-member-kicked'))).status).toBe(200);
    expect(await r.person(bea)).toMatchObject({ unreachableReason: 'telegram:kicked' });
    expect(await r.ann.send(stored.id)).toEqual({ telegram: { sent: 1, unreachable: 1 } });

    // A new announcement: never in the preview, and still no attempt.
    const next = await r.announce(2);
    expect(next.preview).toEqual({ now: 1, held: 0, optedOut: 0, unreachable: 1 });
    expect(next.counts).toEqual({ telegram: { sent: 1, unreachable: 1 } });
    expect(r.copiesTo(bea)).toEqual([]);
    expect(r.b.api.callsOf('sendMessage').filter((c) => c.status === 403)).toEqual([]);

    // She unblocks and writes: the next announcement reaches her.
    r.b.api.unblockChat(bea.id);
    expect((await r.b.post(bea.text('hello again'))).status).toBe(200);
    expect((await r.person(bea)).unreachableAt).toBeNull();
    const again = await r.announce(3);
    expect(again.preview).toEqual({ now: 2, held: 0, optedOut: 0, unreachable: 0 });
    expect(again.counts).toEqual({ telegram: { sent: 2 } });
    expect(r.copiesTo(bea).map((c) => [c.status, String(c.params.text).split('\n')[0]])).toEqual([[200, 'News 3.']]);
  });

  it('a message Telegram refuses (400) fails that copy with its code and leaves the person reachable', async () => {
    const r = await rig();
    const ana = new Person(7300000021);
    await r.consent(ana);
    r.b.api.fail('sendMessage', { error_code: 400, description: 'Bad Request: message is too long' }, { match: (p) => String(p.chat_id) === String(ana.id) && String(p.text).startsWith('News ') });
    expect((await r.announce(1)).counts).toEqual({ telegram: { failed: 1 } });
    expect(await r.person(ana)).toMatchObject({ unreachableAt: null, unreachableReason: null });
    // Not retried (it would be refused again), and the next one is tried as usual.
    expect(r.copiesTo(ana).map((c) => c.status)).toEqual([400]);
    expect((await r.announce(2)).preview).toEqual({ now: 1, held: 0, optedOut: 0, unreachable: 0 });
  });

  it("an announcement's 403 is what decisions read too: the notice is held without an attempt and arrives when she writes", async () => {
    const r = await rig();
    const p = new Person(7300000031);
    await r.consent(p);
    for (const u of [p.press('menu:submit'), p.press('topic:1'), p.text('Layla'), p.press('skip:organisation'), p.press('skip:country'),
      p.press('skip:email'), p.text(textOf('en', 200)), p.press('body:done'), p.press('review:confirm')]) expect((await r.b.post(u)).status).toBe(200);
    const code = /ICS-[0-9A-Z]{6}/.exec(r.b.api.messages(p.id).map((m) => m.text).join('\n'))![0];
    r.b.api.blockChat(p.id);
    expect((await r.announce(1)).counts).toEqual({ telegram: { unreachable: 1 } });
    const calls = r.b.api.callsOf('sendMessage').length;
    expect(await decide(coreApi(r.b.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null })).toMatchObject({ result: 'recorded', notice: 'unreachable' });
    expect(r.b.api.callsOf('sendMessage')).toHaveLength(calls);
    r.b.api.unblockChat(p.id);
    await r.b.post(p.command('help'));
    expect(r.b.api.messages(p.id).map((m) => m.text).join('\n')).toContain(`accepted your contribution ${code}`);
  });
});
