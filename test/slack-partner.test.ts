/**
 * Partners on Slack: the conversation in a DM with buttons, the /icssi submit modal with the
 * server's field errors, the receipt by DM, /icssi commands and the App Home tab.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockText, buttonsOf, dm, fixture, press, richText, slash, startSlack, textsTo, type SlackRig } from './helpers/slack.js';
import { textOf } from './helpers/texts.js';

let rig: SlackRig;
beforeEach(async () => {
  rig = await startSlack();
});
afterEach(async () => {
  await rig.close();
});

const lastTo = (channel: string) => rig.api.callsTo('chat.postMessage').filter((c) => c.channel === channel).at(-1)!;

function submission(values: Record<string, unknown>, user = 'U0PARTNER', viewId = 'V0FORM0001') {
  const f = fixture<{ view: { state: { values: Record<string, unknown> } } & Record<string, unknown> } & Record<string, unknown>>('view_submission');
  return { ...f, user: { id: user, team_id: 'T0001' }, view: { ...f.view, id: viewId, state: { values: { ...f.view.state.values, ...values } } } };
}
const input = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

describe('a DM conversation', () => {
  it('runs the whole flow with buttons and ends with a receipt', async () => {
    await rig.event(dm('hi'));
    // Written in English: the terms in English at once, the other two languages as buttons.
    expect(buttonsOf(lastTo('DU0PARTNER').blocks)).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
    for (const step of ['consent:yes', 'menu:submit', 'topic:1']) {
      const r = await rig.interact(press(step));
      expect(r.status).toBe(200);
    }
    expect(blockText(lastTo('DU0PARTNER').blocks)).toContain('What name should appear');
    await rig.event(dm('Noor'));
    for (const skip of ['skip:organisation', 'skip:country', 'skip:email']) await rig.interact(press(skip));
    await rig.event(dm(textOf('en', 200)));
    await rig.interact(press('body:done'));
    await rig.interact(press('review:confirm'));
    const receipt = textsTo(rig.api, 'DU0PARTNER').find((t) => t.includes('Received — thank you'));
    expect(receipt).toMatch(/ICS-[A-Z0-9]{6}/);
    expect(receipt).not.toContain(textOf('en', 200).slice(0, 40));
    expect(buttonsOf(lastTo('DU0PARTNER').blocks).at(-1)).toBe('receipt:text');
  });

  it('an edited message is answered with the edit notice, and bot messages are ignored', async () => {
    await rig.event(dm('hi'));
    const before = rig.api.callsTo('chat.postMessage').length;
    await rig.event(dm('', 'U0PARTNER', { subtype: 'bot_message', bot_id: 'BOTHER' }));
    expect(rig.api.callsTo('chat.postMessage').length).toBe(before);
    await rig.event(dm('', 'U0PARTNER', { subtype: 'message_changed', user: undefined, message: { user: 'U0PARTNER', text: 'hi there' } }));
    expect(textsTo(rig.api, 'DU0PARTNER').slice(-2).join('\n')).toContain('You edited a message');
  });
});

describe('/icssi submit', () => {
  it('opens the form in the person’s language, with the consent box for a newcomer', async () => {
    await rig.event(dm('مرحبا'));
    const r = await rig.command(slash('submit'));
    expect(r.status).toBe(200);
    const open = rig.api.callsTo('views.open').at(-1)!;
    expect(open.trigger_id).toMatch(/^trig\./);
    const view = open.view as { title: { text: string }; blocks: { block_id?: string; label?: { text: string } }[] };
    expect(view.title.text).toBe('إرسال مساهمة');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['topic', 'name', 'organisation', 'country', 'email', 'text', 'consent']);
    expect(view.blocks.find((b) => b.block_id === 'email')!.label!.text).toBe('البريد الإلكتروني');
    // The consent text names Slack's command and the contact address, not {{p}} or {{email}}.
    const consent = JSON.stringify(view.blocks);
    expect(consent).not.toContain('{{');
    expect(consent).toContain('\u2068/icssi delete\u2069');
    expect(consent).toContain('\u2068icssi.project@gmail.com\u2069');
  });

  it('shows the server’s errors under the fields: word range, e-mail, required name', async () => {
    const r = await rig.interact(submission({ name: input(''), email: input('layla@'), text: input(textOf('en', 40)) }));
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['email', 'name', 'text']);
    expect(body.errors.text).toContain('110 words short of the minimum (150–350');
    expect(body.errors.email).toContain('does not look like an e-mail address');
    expect(body.errors.name).toBe('A name or pseudonym is needed.');
    expect(rig.api.callsTo('chat.postMessage')).toEqual([]);
  });

  it('requires the consent box from someone who never agreed', async () => {
    const r = await rig.interact(submission({ text: input(textOf('en', 200)), consent: { value: { type: 'checkboxes', selected_options: [] } } }));
    expect(JSON.parse(r.text).errors).toEqual({ consent: 'Please tick the box to agree that the organisers keep what you send.' });
  });

  it('closes the modal on success and sends the receipt by DM; the App Home then lists it', async () => {
    const r = await rig.interact(submission({ text: input(textOf('en', 220)) }));
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    const receipt = textsTo(rig.api, 'DU0PARTNER').join('\n');
    expect(receipt).toContain('Received — thank you!');
    expect(receipt).toContain('220 words');
    const code = /ICS-[A-Z0-9]{6}/.exec(receipt)![0];

    await rig.event(fixture('app_home_opened'));
    const publish = rig.api.callsTo('views.publish').at(-1)!;
    expect(publish.user_id).toBe('U0PARTNER');
    const home = blockText((publish.view as { blocks: unknown }).blocks);
    expect(home).toContain('Iraqi Civil Society Solidarity Initiative');
    expect(home).toContain('no deadline has been announced');
    expect(home).toContain(`*${code}* — Rebuilding Iraq\nreceived`);
  });

  it('a long contribution is split across rich-text blocks of at most 3000 characters', async () => {
    const long = Array<string>(300).fill('internationalisation').join(' '); // 300 long words
    await rig.interact(submission({ text: input(long) }));
    // The form's receipt offers the text rather than repeating it; shown, it is split.
    const posted = () => rig.api.callsTo('chat.postMessage').filter((c) => c.channel === 'DU0PARTNER');
    expect(buttonsOf(posted().at(-1)!.blocks)).toEqual(['receipt:text']);
    await rig.interact(press('receipt:text'));
    const receipt = posted().find((c) => JSON.stringify(c.blocks).includes('internationalisation'))!;
    const sections = (receipt.blocks as { type: string }[]).filter((b) => b.type === 'rich_text');
    expect(long.length).toBeGreaterThan(3000);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(richText(s).length).toBeLessThanOrEqual(3000);
    expect(sections.map(richText).join(' ')).toContain(long);
  });
});

describe('/icssi commands', () => {
  it('status, help and lang answer in the DM; typed in a channel, an ephemeral line says where', async () => {
    await rig.event(dm('hi'));
    const r = await rig.command(slash('help'));
    expect(JSON.parse(r.text)).toMatchObject({ response_type: 'ephemeral', text: 'I answered in our direct messages.' });
    const help = textsTo(rig.api, 'DU0PARTNER').join('\n');
    expect(help).toContain('I help you send a written contribution');
    // Commands are named as Slack users type them: `/status` would be Slack's own command.
    expect(help).toContain('/icssi status — your contributions');
    expect(help).not.toMatch(/(^|\n)\/status/);
    await rig.command(slash('lang', 'U0PARTNER', 'DU0PARTNER'));
    expect(buttonsOf(lastTo('DU0PARTNER').blocks)).toContain('lang:ckb');
    // `/icssi stop`, as the terms and the help say, is the stop command, not the help.
    const n = textsTo(rig.api, 'DU0PARTNER').length;
    await rig.command(slash('stop', 'U0PARTNER', 'DU0PARTNER'));
    const stop = textsTo(rig.api, 'DU0PARTNER').slice(n).join('\n');
    expect(stop).not.toContain('I help you send a written contribution');
    expect(stop).toMatch(/announcement/i);
  });
});
