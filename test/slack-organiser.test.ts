/**
 * Organisers on Slack: new contributions in the admin channel with decision buttons, decisions told
 * to the author on their own platform and language, /icssi stats (ephemeral figures and a PNG
 * chart), /icssi export csv, and nothing of this for anyone else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_CHANNEL, blockText, buttonsOf, dm, fixture, ORGANISER, press, slash, startSlack, textsTo, type SlackRig } from './helpers/slack.js';
import { textOf } from './helpers/texts.js';
import type { Bot } from './helpers/harness.js';

let rig: SlackRig;
beforeEach(async () => {
  rig = await startSlack();
});
afterEach(async () => {
  await rig.close();
});

/** A contribution sent on another platform (the console) by a person writing in `lang`. */
async function contributionOn(bot: Bot, lang: 'en' | 'ar', user = 'u1'): Promise<string> {
  await bot.say('/start', user);
  for (const c of [`lang:${lang}`, 'consent:yes', 'menu:submit', 'topic:3']) await bot.press(c, user);
  await bot.say('Noor', user);
  for (const c of ['skip:organisation', 'skip:country', 'skip:email']) await bot.press(c, user);
  await bot.say(textOf(lang, 200), user);
  await bot.press('body:done', user);
  const r = await bot.press('review:confirm', user);
  await rig.adapter.idle();
  return /ICS-[A-Z0-9]{6}/.exec(r[0]!.text)![0];
}

function decisionPress(action: string, code: string, user: string) {
  const base = press(action, user, 'decide');
  return { ...base, channel: { id: ADMIN_CHANNEL, name: 'icssi-admin' }, message: { type: 'message', ts: '1700000000.000001', text: '', blocks: [] }, actions: [{ ...(base.actions as object[])[0], value: code }] };
}

describe('the admin channel', () => {
  it('gets each new contribution with decision buttons; Accept records who and tells the author in Arabic', async () => {
    const code = await contributionOn(rig.bot, 'ar');
    const alert = rig.api.callsTo('chat.postMessage').find((c) => c.channel === ADMIN_CHANNEL)!;
    expect(blockText(alert.blocks)).toContain(`New contribution ${code}`);
    expect(blockText(alert.blocks)).toContain('Platform: console');
    expect(buttonsOf(alert.blocks)).toEqual(['decide:accepted', 'decide:declined', 'decide:revision_requested']);

    const r = await rig.interact(decisionPress('decide:accepted', code, ORGANISER));
    expect(r.status).toBe(200);
    expect((await rig.bot.store.history(code)).at(-1)).toMatchObject({ to: 'accepted', actor: `slack:${ORGANISER}` });
    expect(rig.bot.last('u1').text).toMatch(/قبل المنظمون/);
    const update = rig.api.callsTo('chat.update').at(-1)!;
    expect(update).toMatchObject({ channel: ADMIN_CHANNEL, ts: '1700000000.000001' });
    expect(buttonsOf(update.blocks)).toEqual([]);
    expect(JSON.stringify(update.blocks)).toContain(`Accepted by <@${ORGANISER}> on <!date^`);
    // The plain text (notifications, clients without blocks) names the organiser and the time as people read them.
    expect(update.text).toBe(`Accepted by <@${ORGANISER}> on 26 November 2026 at 12:00 (Baghdad time)`);
  });

  it('announces edits and withdrawals too', async () => {
    const code = await contributionOn(rig.bot, 'en');
    await rig.bot.say('/status');
    await rig.bot.press(`mine:withdraw:${code}`);
    await rig.bot.press('withdraw:yes');
    await rig.adapter.idle();
    const last = rig.api.callsTo('chat.postMessage').filter((c) => c.channel === ADMIN_CHANNEL).at(-1)!;
    expect(blockText(last.blocks)).toContain(`Contribution ${code} withdrawn by its author`);
    expect(buttonsOf(last.blocks)).toEqual([]);
  });

  it('a non-organiser pressing Accept records nothing and is told so privately', async () => {
    const code = await contributionOn(rig.bot, 'en');
    await rig.interact(decisionPress('decide:accepted', code, 'U0PARTNER'));
    expect((await rig.bot.store.history(code)).map((h) => h.to)).not.toContain('accepted');
    expect(rig.api.callsTo('chat.postEphemeral').at(-1)).toMatchObject({ user: 'U0PARTNER', text: 'Only the organisers can do this.' });
  });

  it('Ask for a revision opens a modal; its note reaches the author and reopens editing', async () => {
    const code = await contributionOn(rig.bot, 'en');
    await rig.interact(decisionPress('decide:revision_requested', code, ORGANISER));
    const modal = rig.api.callsTo('views.open').at(-1)!.view as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe('icssi_revision');
    const submit = fixture<Record<string, unknown> & { view: Record<string, unknown> }>('view_submission');
    const empty = await rig.interact({ ...submit, user: { id: ORGANISER }, view: { ...submit.view, callback_id: 'icssi_revision', private_metadata: modal.private_metadata, state: { values: { note: { value: { type: 'plain_text_input', value: ' ' } } } } } });
    expect(JSON.parse(empty.text)).toEqual({ response_action: 'errors', errors: { note: 'Please say what should be changed.' } });
    await rig.interact({ ...submit, user: { id: ORGANISER }, view: { ...submit.view, callback_id: 'icssi_revision', private_metadata: modal.private_metadata, state: { values: { note: { value: { type: 'plain_text_input', value: 'Add an example from Basra.' } } } } } });
    expect((await rig.bot.store.history(code)).at(-1)).toMatchObject({ to: 'revision_requested', actor: `slack:${ORGANISER}`, note: 'Add an example from Basra.' });
    expect(rig.bot.last('u1').text).toContain('Their note: Add an example from Basra.');
    const status = await rig.bot.say('/status');
    expect(status.at(-1)!.choices!.map((c) => c.id)).toContain(`mine:edit:${code}`);
  });
});

describe('/icssi stats and export', () => {
  it('shows the organiser the figures privately and uploads a PNG chart to their DM', async () => {
    await contributionOn(rig.bot, 'ar', 'u1');
    await contributionOn(rig.bot, 'en', 'u2');
    const r = await rig.command(slash('stats', ORGANISER));
    expect(r.status).toBe(200);
    const eph = rig.api.callsTo('chat.postEphemeral').at(-1)!;
    expect(eph).toMatchObject({ channel: 'C0GENERAL', user: ORGANISER });
    const figures = blockText(eph.blocks);
    expect(figures).toContain('By topic');
    expect(figures).toMatch(/3\. Solidarity\s+2/);
    expect(figures).toMatch(/active \(not withdrawn\)\s+2/);
    const upload = rig.uploadsTo(`D${ORGANISER}`)[0]!;
    expect(upload.filename).toMatch(/^icssi-stats-.*\.png$/);
    expect([...upload.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('gives a non-organiser no figures, whatever they type: they get the help text', async () => {
    await rig.event(dm('hi'));
    for (const text of ['stats', 'STATS', 'export csv']) await rig.command(slash(text, 'U0PARTNER', 'DU0PARTNER'));
    expect(rig.api.callsTo('chat.postEphemeral')).toEqual([]);
    expect(rig.api.uploads).toEqual([]);
    const help = textsTo(rig.api, 'DU0PARTNER').filter((t) => t.includes('I help you send a written contribution'));
    expect(help).toHaveLength(3);
  });

  it('uploads the CSV export to the admin channel', async () => {
    const code = await contributionOn(rig.bot, 'ar');
    await rig.command(slash('export csv', ORGANISER));
    const upload = rig.uploadsTo(ADMIN_CHANNEL)[0]!;
    expect(upload.filename).toMatch(/^icssi-contributions-.*\.csv$/);
    const csv = upload.bytes.toString('utf8');
    expect(csv.startsWith('\uFEFFcode,call,topic')).toBe(true);
    expect(csv).toContain(code);
    expect(csv).not.toContain(',u1,'); // platform ids are pseudonymised
    expect(rig.api.callsTo('chat.postEphemeral').at(-1)!.text).toContain('1 contribution in');
  });
});

describe('rate limits', () => {
  it('waits exactly the Retry-After of a 429, then delivers the message once', async () => {
    rig.api.rateLimit('DU0PARTNER', 7);
    await rig.event(dm('hi'));
    expect(rig.sleeps).toContain(7000);
    const posts = rig.api.callsTo('chat.postMessage').filter((c) => c.channel === 'DU0PARTNER');
    // The refused call and its retry: the person sees the greeting once.
    expect(posts.filter((p) => blockText(p.blocks).includes('automated assistant'))).toHaveLength(2);
    expect(rig.api.calls.filter((c) => c.method === 'chat.postMessage').length).toBe(posts.length);
  });

  it('keeps ~1 s between two messages to one channel', async () => {
    await rig.event(dm('hi'));
    await rig.interact(press('consent:yes'));
    // Four posts to one channel (greeting and terms, thanks and menu); the rig's clock moves only
    // when the sender sleeps, so each post after the first waits the whole second, exactly.
    expect(rig.api.callsTo('chat.postMessage').map((c) => c.channel)).toEqual(['DU0PARTNER', 'DU0PARTNER', 'DU0PARTNER', 'DU0PARTNER']);
    expect(rig.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('a send still refused after the retries stays in the outbox and goes out later, after the Retry-After', async () => {
    rig.api.rateLimit('DU0PARTNER', 1, 3);
    await rig.event(dm('hi'));
    expect(await rig.bot.store.listPending(10)).toHaveLength(1);
    // Slack asked for a second: the flush does not send before it.
    expect(await rig.bot.dispatcher.flushPending()).toBe(0);
    rig.bot.clock.now = new Date(rig.bot.clock.now.getTime() + 1000);
    expect(await rig.bot.dispatcher.flushPending()).toBe(1);
    expect(textsTo(rig.api, 'DU0PARTNER').join('\n')).toContain('automated assistant');
    expect(await rig.bot.store.listPending(10)).toHaveLength(0);
  });
  it('stopping the adapter ends a Retry-After being waited: the send fails with the wait, for the outbox to keep', async () => {
    let held!: () => void;
    const waiting = new Promise<void>((resolve) => (held = resolve));
    // A pause that ends only when its signal is aborted.
    const other = await startSlack({
      pause: (_ms, signal) => {
        held();
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)));
      },
    });
    try {
      other.api.rateLimit('DU0PARTNER', 7);
      const sending = other.adapter.send({ platform: 'slack', chatId: 'U0PARTNER', userId: 'U0PARTNER' }, { text: 'Hello' });
      await waiting;
      expect(other.sleeps).toEqual([7000]);
      await other.adapter.stop();
      await expect(sending).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE', reason: 'slack:ratelimited', retryAfterMs: 7000 });
      expect(other.api.callsTo('chat.postMessage')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('start-up', () => {
  it('without SLACK_BOT_ID/SLACK_BOT_USER_ID Bolt asks auth.test — of the configured API URL', async () => {
    const other = await startSlack({ env: { SLACK_BOT_ID: '', SLACK_BOT_USER_ID: '' } });
    try {
      await other.event(dm('hi'));
      expect(other.api.callsTo('auth.test').length).toBeGreaterThan(0);
      expect(rig.api.callsTo('auth.test')).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
