/**
 * Refusals for good on Messenger and Slack, over real HTTP against the fake Graph and Web APIs,
 * on real SQLite files: dead-lettered with the platform's code, never retried every 30 s, never
 * blocking the next replies; a person who cannot be reached is stored as such, a decision for
 * them is held (the organiser is told so, never "told"), and it goes out when they write again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BotStore } from '../src/core/ports.js';
import { decide } from '../src/organisers/decisions.js';
import { coreApi } from '../src/core/bot-core.js';
import { openStore } from '../src/storage/open-store.js';
import { textOf } from './helpers/texts.js';
import { fixture, messengerRig, postbackFrom, PSID, textFrom, type MessengerRig } from './helpers/messenger.js';
import { ADMIN_CHANNEL, dm, ORGANISER, press, startSlack, textsTo, type SlackRig } from './helpers/slack.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-outbox-ms-'));
let n = 0;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqlite(): Promise<BotStore> {
  const store = await openStore(`file:${join(dir, `s${++n}.db`)}`);
  closers.push(() => store.close());
  return store;
}

describe('Messenger', () => {
  async function rig(): Promise<MessengerRig> {
    const r = await messengerRig(await sqlite());
    closers.push(() => r.close());
    return r;
  }

  async function submitted(r: MessengerRig): Promise<string> {
    const say = (text: string, quick?: string) => r.post(textFrom(PSID, text, r.clock.now, quick));
    const body = fixture('postback-get-started');
    (body.entry[0]!.messaging[0]! as { timestamp: number }).timestamp = r.clock.now.getTime();
    await r.post(body);
    await r.post(postbackFrom(PSID, 'lang:en', r.clock.now));
    await say('I agree', 'consent:yes');
    await say('Send a contribution', 'menu:submit');
    await say('Solidarity', 'topic:3');
    await say('Noor');
    for (const f of ['organisation', 'country', 'email']) await say('Skip', `skip:${f}`);
    await say(textOf('en', 200));
    await say('Done', 'body:done');
    await say('Send', 'review:confirm');
    return r.graph.textsTo(PSID).join('\n').match(/ICS-[A-Z0-9]{6}/)![0];
  }

  it('a person who cannot receive messages (#10 subcode 2018108): reply dead-lettered, decision held without a request, both fine when they write again', async () => {
    const r = await rig();
    const code = await submitted(r);
    r.graph.unreachable.set(PSID, 'cannot-receive');
    const delivered = r.graph.messages.length;
    await r.post(textFrom(PSID, 'menu', r.clock.now));
    expect(r.graph.messages.length).toBe(delivered);
    expect((await r.store.deadLetters(10)).map((d) => d.reason)).toContain('messenger:10/2018108');
    expect(await r.store.listPending(10)).toEqual([]);

    // Known unreachable (stored): the decision is held without a request, and the flush tries nothing.
    const requests = r.graph.requests;
    const out = await decide(coreApi(r.dispatcher), { code, decision: 'accepted', actor: 'cli:test', note: null });
    expect(out.notice).toBe('unreachable');
    r.clock.now = new Date(r.clock.now.getTime() + 60_000);
    await r.dispatcher.flushPending();
    expect(r.graph.requests).toBe(requests);

    r.graph.unreachable.delete(PSID);
    await r.post(textFrom(PSID, 'hello again', r.clock.now));
    const notice = r.graph.messages.find((m) => /accepted your contribution/.test(m.message.text ?? ''));
    expect(notice?.messagingType).toBe('UPDATE');
    const participant = (await r.store.getContribution(code))!.participant;
    expect(participant.unreachableAt).toBeNull();
  });

  it('(#551) person unavailable on a decision: held with the reason, never "sent"', async () => {
    const r = await rig();
    const code = await submitted(r);
    r.graph.failNextMessage('unavailable');
    const out = await decide(coreApi(r.dispatcher), { code, decision: 'declined', actor: 'cli:test', note: null });
    expect(out).toEqual({ result: 'recorded', notice: 'unreachable', noticeReason: 'messenger:551/1545041' });
    const participant = (await r.store.getContribution(code))!.participant;
    expect((await r.store.noticesFor(participant.id, ['held'])).map((x) => x.reason)).toEqual(['messenger:551/1545041']);
    expect(await r.store.noticesFor(participant.id, ['sent'])).toEqual([]);
    expect(participant.unreachableReason).toBe('messenger:551/1545041');
  });

  it('a message refused as invalid is dead-lettered and the next reply is not blocked by it', async () => {
    const r = await rig();
    await submitted(r);
    r.graph.failNextMessage('invalid');
    await r.post(textFrom(PSID, 'menu', r.clock.now));
    expect((await r.store.deadLetters(10)).map((d) => d.reason)).toEqual(['messenger:100']);
    const before = r.graph.messages.length;
    await r.post(textFrom(PSID, 'help', r.clock.now));
    expect(r.graph.messages.length).toBeGreaterThan(before);
    expect(await r.store.listPending(10)).toEqual([]);
  });
});

describe('Slack', () => {
  async function rig(): Promise<SlackRig> {
    const r = await startSlack({ store: await sqlite() });
    closers.push(() => r.close());
    return r;
  }

  it('channel_not_found: the reply is dead-lettered and not retried every 30 s', async () => {
    const r = await rig();
    r.api.goneChannels.add('DU0PARTNER');
    await r.event(dm('hi'));
    expect((await r.bot.store.deadLetters(10)).map((d) => d.reason)).toEqual(['slack:channel_not_found', 'slack:channel_not_found']);
    const posts = r.api.callsTo('chat.postMessage').length;
    for (let i = 0; i < 3; i++) {
      r.bot.clock.now = new Date(r.bot.clock.now.getTime() + 30_000);
      await r.bot.dispatcher.flushPending();
    }
    expect(r.api.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(await r.bot.dispatcher.metrics.toPrometheus()).toContain('icssi_replies_dead_lettered_total{platform="slack"} 2');
  });

  it('a decision button for an author whose DM is archived says it is held, and the author is told when they write again', async () => {
    const r = await rig();
    const go = (p: Record<string, unknown>) => r.interact(p);
    await r.event(dm('hi'));
    for (const c of ['lang:en', 'consent:yes', 'menu:submit', 'topic:3']) await go(press(c));
    await r.event(dm('Noor'));
    for (const c of ['skip:organisation', 'skip:country', 'skip:email']) await go(press(c));
    await r.event(dm(textOf('en', 200)));
    await go(press('body:done'));
    await go(press('review:confirm'));
    const code = /ICS-[A-Z0-9]{6}/.exec(textsTo(r.api, 'DU0PARTNER').join('\n'))![0];

    r.api.archivedChannels.add('DU0PARTNER');
    const base = press('decide:accepted', ORGANISER, 'decide');
    const post = r.api.messages.get(ADMIN_CHANNEL)!.at(-1)!; // the admin channel's post about it
    await r.interact({ ...base, channel: { id: ADMIN_CHANNEL, name: 'icssi-admin' }, message: { type: 'message', ts: post.ts, text: '', blocks: [] },
      actions: [{ ...(base.actions as object[])[0], value: code }] });
    const said = r.api.callsTo('chat.postEphemeral').at(-1)!;
    expect(said).toMatchObject({ user: ORGANISER });
    expect(String(said.text)).toContain('Held: the author cannot be reached now; they will be told when they write again.');
    const participant = (await r.bot.store.getContribution(code))!.participant;
    expect((await r.bot.store.noticesFor(participant.id, ['held'])).map((x) => x.reason)).toEqual(['slack:is_archived']);

    r.api.archivedChannels.delete('DU0PARTNER');
    await r.event(dm('hello'));
    expect(textsTo(r.api, 'DU0PARTNER').join('\n')).toMatch(new RegExp(`accepted your contribution ${code}`));
    expect(await r.bot.store.noticesFor(participant.id, ['held'])).toEqual([]);
  });
});
