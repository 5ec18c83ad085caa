/**
 * Announcements on Messenger, over real HTTP against the fake Graph API: only inside the 24-hour
 * window and as messaging_type UPDATE (never a message tag); outside it the copy is held, sent
 * when the person writes, or dropped once the announcement expired.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import type { Audience } from '../src/announcements/types.js';
import { silentLogger } from '../src/core/log.js';
import { messengerRig, textFrom, type MessengerRig } from './helpers/messenger.js';
import { fakeTime, seed, sqliteStore } from './helpers/announce.js';

const HOUR = 3600_000;
let rig: MessengerRig | undefined;
afterEach(async () => {
  await rig?.close();
  await rig?.store.close();
  rig = undefined;
});

const INSIDE = '1000000000000001';
const OUTSIDE = '1000000000000002';
const LATER = '1000000000000003';

async function setUp() {
  const { store, announcements: annStore } = await sqliteStore();
  rig = await messengerRig(store);
  const r = rig;
  const at = (h: number) => new Date(r.clock.now.getTime() - h * HOUR);
  await seed(store, { platform: 'messenger', userId: INSIDE, locale: 'ar', at: at(2) });
  await seed(store, { platform: 'messenger', userId: OUTSIDE, locale: 'en', at: at(30) });
  await seed(store, { platform: 'messenger', userId: LATER, locale: 'en', at: at(50) });
  const time = fakeTime();
  const ann = new Announcements({
    store: annStore, renderer: r.dispatcher.renderer, channels: announcementChannels([r.adapter]), clock: () => r.clock.now, logger: silentLogger,
    pacers: { messenger: time.pacer(40) },
  });
  r.dispatcher.onParticipantWrote((p) => ann.releaseFor(p.id));
  return { r, ann, annStore };
}

const announcement = (expiresAt: Date | null, audience: Audience = { who: 'consented' }) => ({ texts: { en: 'The programme is out.', ar: 'صدر البرنامج.' }, audience, expiresAt });
const textOf = (m: MessengerRig['graph']['messages'][number]) => m.message.text ?? m.message.attachment?.payload.text ?? '';
const announcementsTo = (r: MessengerRig, psid: string) => r.graph.messages.filter((m) => m.psid === psid && /programme|البرنامج/.test(textOf(m)));

describe('announcements and the 24-hour window', () => {
  it('sends inside the window as UPDATE, holds the others, and sends a held copy when the person writes', async () => {
    const { r, ann, annStore } = await setUp();
    const { id } = await ann.create('icssi-2019', announcement(new Date(r.clock.now.getTime() + 48 * HOUR)), 'cli:test');
    expect(await ann.send(id)).toEqual({ messenger: { sent: 1, held: 2 } });
    const [inside] = announcementsTo(r, INSIDE);
    expect(inside!.messagingType).toBe('UPDATE');
    expect(textOf(inside!)).toMatch(/^صدر البرنامج\.\n\nلإيقاف الإعلانات/);
    // Nothing was even attempted outside the window: Meta would refuse it and may restrict the Page.
    expect(r.graph.messages.filter((m) => m.psid !== INSIDE)).toEqual([]);
    expect(r.graph.messages.every((m) => m.messagingType !== 'MESSAGE_TAG')).toBe(true);

    const res = await r.post(textFrom(OUTSIDE, 'hello', r.clock.now));
    expect(res.status).toBe(200);
    const held = announcementsTo(r, OUTSIDE);
    expect(held).toHaveLength(1);
    expect(held[0]!.messagingType).toBe('UPDATE');
    expect((await annStore.counts(id)).messenger).toEqual({ sent: 2, held: 1 });
    // Writing again sends nothing more.
    await r.post(textFrom(OUTSIDE, 'hello again', r.clock.now));
    expect(announcementsTo(r, OUTSIDE)).toHaveLength(1);
  });

  it('sends a copy held while this instance had the conversation cached: the cache never hides it', async () => {
    const { r, ann, annStore } = await setUp();
    // OUTSIDE writes (their conversation is now cached, with nothing waiting), then stays silent past the window.
    await r.post(textFrom(OUTSIDE, 'hello', r.clock.now));
    r.clock.now = new Date(r.clock.now.getTime() + 25 * HOUR);
    const { id } = await ann.create('icssi-2019', announcement(null, { who: 'consented', languages: ['en'] }), 'cli:test');
    expect(await ann.send(id)).toEqual({ messenger: { held: 2 } });
    expect(announcementsTo(r, OUTSIDE)).toEqual([]);
    await r.post(textFrom(OUTSIDE, 'hello again', r.clock.now));
    expect(announcementsTo(r, OUTSIDE)).toHaveLength(1);
    expect((await annStore.counts(id)).messenger).toEqual({ sent: 1, held: 1 });
  });

  it('drops a held copy once the announcement expired', async () => {
    const { r, ann, annStore } = await setUp();
    const { id } = await ann.create('icssi-2019', announcement(new Date(r.clock.now.getTime() + HOUR)), 'cli:test');
    await ann.send(id);
    r.clock.now = new Date(r.clock.now.getTime() + 2 * HOUR);
    await r.post(textFrom(LATER, 'hello', r.clock.now));
    expect(announcementsTo(r, LATER)).toEqual([]);
    expect((await annStore.counts(id)).messenger).toEqual({ sent: 1, held: 1, dropped: 1 });
  });

  it('holds a copy Meta refuses as outside the window, instead of failing it', async () => {
    const { r, ann, annStore } = await setUp();
    // Stored as inside the window, but Meta counts otherwise (its clock, a late webhook).
    r.graph.closedWindows.add(INSIDE);
    const { id } = await ann.create('icssi-2019', announcement(null, { who: 'consented', languages: ['ar'] }), 'cli:test');
    expect(await ann.send(id)).toEqual({ messenger: { held: 1 } });
    r.graph.closedWindows.delete(INSIDE);
    await r.post(textFrom(INSIDE, 'مرحبا', r.clock.now));
    expect(announcementsTo(r, INSIDE)).toHaveLength(1);
    expect((await annStore.counts(id)).messenger).toEqual({ sent: 1 });
  });

  it('a person Meta says is unavailable (551) is stored unreachable: the next announcement counts them never and makes no attempt', async () => {
    const { r, ann, annStore } = await setUp();
    r.graph.unreachable.set(INSIDE, 'unavailable');
    const only = (n: number) => ({ texts: { en: `News ${n}.` }, audience: { who: 'consented' as const, languages: ['ar' as const] }, expiresAt: null });
    const first = await ann.create('icssi-2019', only(1), 'cli:test');
    expect(await ann.send(first.id)).toEqual({ messenger: { unreachable: 1 } });
    const person = async () => (await annStore.candidates('icssi-2019', { who: 'consented' })).find((c) => c.platformUserId === INSIDE)!;
    expect(await person()).toMatchObject({ unreachableReason: 'messenger:551/1545041' });
    const attempts = r.graph.requests;
    expect((await ann.preview('icssi-2019', only(2))).byPlatform.messenger).toEqual({ now: 0, held: 0, optedOut: 0, unreachable: 1 });
    const second = await ann.create('icssi-2019', only(2), 'cli:test');
    expect(await ann.send(second.id)).toEqual({ messenger: { unreachable: 1 } });
    expect(r.graph.requests).toBe(attempts);
  });
});

describe('the stop button under a long announcement', () => {
  it('reads the quick reply by its payload: a press of "stop" turns announcements off at any step, and "on" turns them on', async () => {
    const { r, ann, annStore } = await setUp();
    // A conversation under way (at the language question), so the press is not a first contact.
    await r.post(textFrom(INSIDE, 'مرحبا', r.clock.now));
    // Over 640 characters: Messenger gets a text with quick replies (a button template cannot hold it).
    const long = `صدر البرنامج. ${'تفاصيل الجلسات والقاعات والمواعيد. '.repeat(25)}`;
    expect(long.length).toBeGreaterThan(640);
    const { id } = await ann.create('icssi-2019', { texts: { en: long, ar: long }, audience: { who: 'consented', languages: ['ar'] }, expiresAt: null }, 'cli:test');
    expect(await ann.send(id)).toEqual({ messenger: { sent: 1 } });
    const sent = announcementsTo(r, INSIDE).at(-1)!;
    const stop = sent.message.quick_replies?.find((q) => q.payload === 'ann:stop');
    expect(stop).toBeDefined();

    // Meta sends a quick reply press as a message with its title as text and the payload alongside.
    expect((await r.post(textFrom(INSIDE, stop!.title, r.clock.now, stop!.payload))).status).toBe(200);
    const stopped = r.graph.textsTo(INSIDE).find((t) => t.startsWith('تم: لن تصلك إعلانات'));
    expect(stopped).toBeDefined();
    const person = async () => (await annStore.candidates('icssi-2019', { who: 'consented' })).find((c) => c.platformUserId === INSIDE)!;
    expect((await person()).announcementsOffAt).not.toBeNull();

    // The "on" button comes with the confirmation; pressed as a quick reply it is read the same way.
    const on = r.graph.messages.filter((m) => m.psid === INSIDE).flatMap((m): { title: string; payload: string }[] => m.message.quick_replies ?? m.message.attachment?.payload.buttons ?? []).find((b) => b.payload === 'ann:on');
    expect(on).toBeDefined();
    await r.post(textFrom(INSIDE, on!.title, r.clock.now, 'ann:on'));
    expect(r.graph.textsTo(INSIDE)).toContain('أُعيد تشغيل الإعلانات.');
    expect((await person()).announcementsOffAt).toBeNull();
  });
});
