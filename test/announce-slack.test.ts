/**
 * `/icssi announce` over real HTTP: the signed slash command opens a modal (organisers only); a
 * bad first step is answered under the fields; a good one is replaced by the preview; its Send
 * (the second confirmation) stores and sends the announcement by DM, paced, and tells the
 * organiser the result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { announcementChannels } from '../adapters/announcement-channels.js';
import { Announcements } from '../src/announcements/sending.js';
import { silentLogger } from '../src/core/log.js';
import { blockText, fixture, ORGANISER, slash, startSlack, textsTo, type SlackRig } from './helpers/slack.js';
import { fakeTime, seed, sqliteStore } from './helpers/announce.js';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  await rig?.bot.store.close();
  rig = undefined;
});

type View = { id?: string; hash?: string; callback_id: string; private_metadata: string; blocks: unknown[] };

function submission(view: View, values: Record<string, unknown>, user = ORGANISER) {
  const base = fixture<Record<string, unknown> & { view: Record<string, unknown> }>('view_submission');
  return { ...base, user: { id: user }, view: { ...base.view, id: view.id ?? 'V0ANNOUNCE', hash: view.hash ?? 'h1', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values } } };
}

const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

describe('/icssi announce', () => {
  it('opens a modal, previews, and sends after the second confirmation', async () => {
    const { store, announcements: annStore } = await sqliteStore();
    rig = await startSlack({ store });
    const r = rig;
    const at = new Date(r.bot.clock.now.getTime() - 3600_000);
    await seed(store, { platform: 'slack', userId: 'U0AAA', locale: 'en', at });
    await seed(store, { platform: 'slack', userId: 'U0BBB', locale: 'ar', at });
    await seed(store, { platform: 'telegram', userId: '777', locale: 'en', at });
    const ann = new Announcements({
      store: annStore, renderer: r.bot.dispatcher.renderer, channels: announcementChannels([r.adapter]), clock: () => r.bot.clock.now, logger: silentLogger,
      pacers: { slack: fakeTime().pacer(4) },
    });
    r.adapter.useAnnouncements(ann);

    // Not an organiser: no modal.
    await r.command(slash('announce', 'U0PARTNER'));
    expect(r.api.callsTo('views.open')).toEqual([]);

    await r.command(slash('announce', ORGANISER));
    const modal = r.api.callsTo('views.open').at(-1)!.view as View;
    expect(modal.callback_id).toBe('icssi_announce');
    expect(blockText(modal.blocks)).toBeDefined();

    const bad = await r.interact(submission(modal, { text_en: text(null), text_ar: text('صدر البرنامج.'), expires: text('yesterday') }));
    expect(JSON.parse(bad.text)).toEqual({
      response_action: 'errors',
      errors: { text_en: 'the text in en is required: it goes to everyone whose language has no text', expires: expect.stringMatching(/^--expires must be a date/) },
    });
    expect(await annStore.list()).toEqual([]);

    const good = await r.interact(submission(modal, {
      text_en: text('The programme is out.'), text_ar: text('صدر البرنامج.'), text_ckb: text(null),
      who: { value: { type: 'static_select', selected_option: { value: 'consented' } } }, expires: text(''),
    }));
    const update = JSON.parse(good.text) as { response_action: string; view: View & { submit: { text: string } } };
    expect(update.response_action).toBe('update');
    const shown = update.view.blocks.map((b) => (b as { text?: { text: string } }).text?.text ?? '').join('\n');
    expect(shown).toContain('slack | 2 | 0 | 0 | 0');
    expect(shown).toContain('telegram | 0 | 0 | 0 | 1');
    expect(update.view.submit.text).toBe('Send to 2');
    // The preview stored nothing and sent nothing.
    expect(await annStore.list()).toEqual([]);
    expect(textsTo(r.api, 'DU0AAA')).toEqual([]);

    await r.interact(submission({ ...update.view, callback_id: 'icssi_announce_confirm' }, {}));
    expect(textsTo(r.api, 'DU0AAA').join('\n')).toContain('The programme is out.');
    expect(textsTo(r.api, 'DU0AAA').join('\n')).toContain('/icssi stop');
    expect(textsTo(r.api, 'DU0BBB').join('\n')).toContain('صدر البرنامج.');
    const [a] = await annStore.list();
    expect(a!.createdBy).toBe(`slack:${ORGANISER}`);
    expect(await annStore.counts(a!.id)).toEqual({ slack: { sent: 2 }, telegram: { unreachable: 1 } });
    expect(String(r.api.callsTo('chat.postMessage').filter((c) => c.channel === `D${ORGANISER}`).at(-1)?.text)).toMatch(/: 2 sent, 0 held, 0 failed, 0 uncertain \(.*\), 0 opted out, 1 unreachable, 0 expired while held\.$/);
  });
});
