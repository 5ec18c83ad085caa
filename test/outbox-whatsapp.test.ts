/**
 * The outbox on WhatsApp, over real HTTP with signed webhooks against the fake Cloud API, on real
 * SQLite files. A reply the Cloud API refuses for the person (131026 undeliverable, 131047 outside
 * the 24-hour window) is dead-lettered with its code, never retried every 30 s, never sent again as
 * free-form text, and the person is stored as unreachable (a decision for them is held, never
 * "sent", and goes out when they write again). A 5xx or a dropped connection is retried and
 * delivered later, in order; a 131056 (one person, too fast) waits about 6 s and is delivered. A
 * failed status (131026 or 131047, after the Cloud API had accepted the message) marks the person
 * unreachable too, stored, so another instance on the same database holds their notices as well.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { coreApi } from '../src/core/bot-core.js';
import { decide } from '../src/organisers/decisions.js';
import { openStore } from '../src/storage/open-store.js';
import { textOf } from './helpers/texts.js';
import { BSUID, whatsappRig, type WhatsAppRig } from './helpers/whatsapp.js';
import { WaPerson } from './helpers/whatsapp-person.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-outbox-wa-'));
let n = 0;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function rig(): Promise<WhatsAppRig> {
  const store: BotStore = await openStore(`file:${join(dir, `w${++n}.db`)}`);
  closers.push(() => store.close());
  const r = await whatsappRig(store);
  closers.push(() => r.close());
  return r;
}

const later = (r: WhatsAppRig, ms: number) => {
  r.clock.now = new Date(r.clock.now.getTime() + ms);
};

/** Three periodic flushes 30 s apart ask nothing of the Cloud API; returns its request count. */
async function flushesAskNothing(r: WhatsAppRig): Promise<number> {
  const requests = r.api.requests;
  for (let i = 0; i < 3; i++) {
    later(r, 30_000);
    await r.dispatcher.flushPending();
  }
  expect(r.api.requests).toBe(requests);
  return requests;
}

const DETAILS = { name: 'Layla', organisation: null, country: null, email: null, text: textOf('en', 200) };

/** The stored participant behind a receipt code. */
async function participantOf(r: WhatsAppRig, code: string) {
  return (await r.store.getContribution(code))!.participant;
}

describe('refusals for the person', () => {
  it('131026 undeliverable: the reply is dead-lettered with the code, not retried every 30 s, the person unreachable; a decision is held, and delivered when they write again', async () => {
    const r = await rig();
    const p = new WaPerson(r);
    const code = await p.submits(DETAILS);
    r.api.undeliverable.add(BSUID);
    const delivered = r.api.messages.length;
    expect((await p.say('/help')).status).toBe(200);
    expect(r.api.messages.length).toBe(delivered);
    expect((await r.store.deadLetters(10)).map((d) => d.reason)).toContain('whatsapp:131026');
    expect(await r.store.listPending(10)).toEqual([]);
    expect((await participantOf(r, code)).unreachableReason).toBe('whatsapp:131026');

    // Not retried every 30 s: the flush finds nothing to send and asks nothing of the Cloud API.
    const requests = await flushesAskNothing(r);

    // Known unreachable (stored): the decision is held without a request, and reported so.
    const out = await decide(coreApi(r.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null });
    expect(out).toEqual({ result: 'recorded', notice: 'unreachable', noticeReason: 'unreachable' });
    expect(r.api.requests).toBe(requests);
    const participant = await participantOf(r, code);
    expect(await r.store.noticesFor(participant.id, ['sent'])).toEqual([]);
    expect((await r.store.noticesFor(participant.id, ['held'])).map((x) => x.reason)).toEqual(['unreachable']);

    // WhatsApp reaches them again and they write: answered, told the decision, reachable again.
    r.api.undeliverable.delete(BSUID);
    await p.say('hello again');
    expect(p.texts().join('\n')).toContain(`accepted your contribution ${code}`);
    expect(await r.store.noticesFor(participant.id, ['held'])).toEqual([]);
    expect((await r.store.participantById(participant.id))!.unreachableAt).toBeNull();
    expect(r.dispatcher.metrics.value('replies_dead_lettered_total', { platform: 'whatsapp' })).toBeGreaterThan(0);
  });

  it('131047 outside the window: a reply that waited past 24 hours is dead-lettered with the code, never resent free-form', async () => {
    const r = await rig();
    const p = new WaPerson(r);
    const code = await p.submits(DETAILS);
    r.api.windowCheck = true;
    r.api.lastInbound.set(BSUID, r.clock.now.getTime());
    // WhatsApp is down for the answer to /help (three tries in the request): it waits in the outbox.
    r.api.outage('503', '503', '503');
    await p.say('/help');
    expect(await r.store.listPending(10)).toHaveLength(1);
    // It stays down past the person's window; then the flush finds the window closed.
    later(r, 25 * HOUR);
    await r.dispatcher.flushPending();
    // Three 503s (code 2), then one refusal for the first part; the rest is not even tried.
    expect(r.api.refusals).toEqual([2, 2, 2, 131047]);
    expect(await r.store.listPending(10)).toEqual([]);
    expect((await r.store.deadLetters(10)).map((d) => d.reason)).toContain('whatsapp:131047');
    expect((await participantOf(r, code)).unreachableReason).toBe('whatsapp:131047');
    // Never again as free-form text: later flushes ask nothing of the Cloud API.
    const requests = await flushesAskNothing(r);
    // A decision now is held without a request (the person is marked unreachable until they write).
    const out = await decide(coreApi(r.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null });
    expect(out.notice).toBe('unreachable');
    expect(r.api.requests).toBe(requests);
  });
});

describe('passing failures', () => {
  it('a 503 and a dropped connection are retried by the outbox and delivered later, in order, each once', async () => {
    const r = await rig();
    const p = new WaPerson(r);
    await p.say('hello');
    await p.tap('consent:yes');
    const mark = r.api.messages.length;
    // Three failures: the request's own tries (its pauses recorded, never waited) are used up.
    r.api.outage('503', 'drop', '503');
    await p.tap('menu:about');
    expect(r.api.messages.length).toBe(mark);
    expect(r.sleeps.length).toBeGreaterThan(0);
    const [waiting] = await r.store.listPending(10);
    expect(waiting!.pending.length).toBeGreaterThan(1);
    // The person writes meanwhile: the new answer waits behind the earlier ones, never overtakes.
    await p.say('/help');
    later(r, 30_000);
    await r.dispatcher.flushPending();
    expect(await r.store.listPending(10)).toEqual([]);
    const texts = p.texts().slice(mark);
    const about = texts.findIndex((t) => t.startsWith('The Iraqi Civil Society Solidarity Initiative'));
    const help = texts.findIndex((t) => t.includes('/status'));
    expect(about).toBeGreaterThanOrEqual(0);
    expect(help).toBeGreaterThan(about);
    // The about texts and their menu, then the help and its menu: nothing lost, nothing twice.
    expect(texts).toHaveLength(7);
    expect(texts.at(-1)).toBe('What would you like to do?');
    expect(texts.filter((t) => t.startsWith('The Iraqi Civil Society Solidarity Initiative'))).toHaveLength(1);
    expect(await r.store.deadLetters(10)).toEqual([]);
  });

  it('131056 (one person, too fast) waits about 6 s, then the reply is delivered once', async () => {
    const r = await rig();
    const p = new WaPerson(r);
    await p.say('hello');
    await p.tap('consent:yes');
    const mark = r.api.messages.length;
    r.api.failNext(131056);
    await p.say('/help');
    const attempts = r.api.requests;
    // Kept by the outbox with the pause (the webhook did not wait for it): a flush before it does not try.
    expect(await r.store.listPending(10)).toHaveLength(1);
    later(r, 1_000);
    await r.dispatcher.flushPending();
    expect(r.api.requests).toBe(attempts);
    later(r, 6_000);
    // Meta's 131056 emptied the person's bucket: one message per 6 s from here, so the help
    // text goes now and the menu behind it one interval later, in order.
    await r.dispatcher.flushPending();
    expect(p.texts().slice(mark).filter((t) => t.includes('/status'))).toHaveLength(1);
    later(r, 6_000);
    expect(await r.dispatcher.flushPending()).toBe(1);
    expect(await r.store.listPending(10)).toEqual([]);
    const texts = p.texts().slice(mark);
    expect(texts.filter((t) => t.includes('/status'))).toHaveLength(1);
    expect(await r.store.deadLetters(10)).toEqual([]);
  });
});

describe('failed statuses', () => {
  for (const [code, what] of [[131026, 'undeliverable'], [131047, 'outside the window']] as const) {
    it(`a decision the Cloud API accepted but WhatsApp could not deliver (status failed, ${code} ${what}): the person is unreachable, that notice and the next are held, not "sent"`, async () => {
      const r = await rig();
      const p = new WaPerson(r);
      const receipt = await p.submits(DETAILS);
      const first = await decide(coreApi(r.dispatcher), { code: receipt, decision: 'revision_requested', actor: 'cli:test', note: null });
      expect(first.notice).toBe('sent');
      const wamid = r.api.sentIds.at(-1)!;
      const answered = r.api.messages.length;
      // The receipt comes later, in its own webhook: never answered, never retried as free-form.
      expect((await p.status(wamid, 'failed', code)).status).toBe(200);
      expect(r.api.messages.length).toBe(answered);
      const participant = await participantOf(r, receipt);
      expect((await r.store.participantById(participant.id))!.unreachableReason).toBe(`whatsapp:${code}`);

      const requests = r.api.requests;
      const second = await decide(coreApi(r.dispatcher), { code: receipt, decision: 'accepted', actor: 'cli:test', note: null });
      expect(second).toEqual({ result: 'recorded', notice: 'unreachable', noticeReason: 'unreachable' });
      expect(r.api.requests).toBe(requests);
      // The first notice, counted sent when the Cloud API accepted it, is held again by its
      // receipt (src/core/receipts.ts) with WhatsApp's code; the second was never tried.
      // (Both made at the rig's one instant: compared as a set.)
      expect((await r.store.noticesFor(participant.id, ['held'])).map((x) => x.reason).sort()).toEqual(['unreachable', `whatsapp:${code}`]);
      expect(await r.store.noticesFor(participant.id, ['sent'])).toEqual([]);

      // Delivered and read receipts change nothing; a message from them clears the mark and releases it.
      await p.status(wamid, 'delivered');
      expect((await r.store.participantById(participant.id))!.unreachableReason).toBe(`whatsapp:${code}`);
      await p.say('hello');
      expect(p.texts().join('\n')).toContain(`accepted your contribution ${receipt}`);
      expect((await r.store.noticesFor(participant.id, ['sent'])).length).toBe(2);
      expect((await r.store.participantById(participant.id))!.unreachableAt).toBeNull();
    });
  }

  it('the mark is stored: another instance on the same database file holds a decision without trying', async () => {
    const r = await rig();
    const p = new WaPerson(r);
    const receipt = await p.submits(DETAILS);
    await p.status(r.api.sentIds.at(-1)!, 'failed', 131026);
    // Another process (the CLI, a second instance, a restart) on the same SQLite file.
    const other = await openStore(`file:${join(dir, `w${n}.db`)}`);
    closers.push(() => other.close());
    const b = await whatsappRig(other);
    closers.push(() => b.close());
    const out = await decide(coreApi(b.dispatcher), { code: receipt, decision: 'declined', actor: 'cli:test', note: null });
    expect(out.notice).toBe('unreachable');
    expect(b.api.requests).toBe(0);
  });
});
