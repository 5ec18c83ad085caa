/**
 * Slack as its users know it, over real HTTP against the fake Web API: the Messages tab's first
 * opening, the first DM answered with the Slack ways to take part, modal errors about the modal's
 * own fields, a double-submitted view, auth.test asked once, and edits with the message's ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessageIm, type MessageImEvent } from '../adapters/slack/parse.js';
import { blockText, buttonsOf, dm, fixture, press, slash, startSlack, textsTo, type SlackRig } from './helpers/slack.js';
import { textOf } from './helpers/texts.js';

let rig: SlackRig;
afterEach(async () => rig?.close());

const DM = 'DU0PARTNER';
const posts = (r: SlackRig) => r.api.callsTo('chat.postMessage').filter((c) => c.channel === DM);
let seq = 0;
const messagesTab = (user = 'U0PARTNER') => {
  const f = fixture<{ event: Record<string, unknown> }>('app_home_opened');
  return { ...f, event_id: `Ev0TAB${++seq}`, event: { ...f.event, user, tab: 'messages' } };
};

function submission(values: Record<string, unknown>, viewId = 'V0FORM0001') {
  const f = fixture<{ view: { state: { values: Record<string, unknown> } } & Record<string, unknown> } & Record<string, unknown>>('view_submission');
  return { ...f, view: { ...f.view, id: viewId, state: { values: { ...f.view.state.values, ...values } } } };
}
const input = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

describe('first contact in Slack', () => {
  it('welcomes on the first opening of the Messages tab only: the three languages, then the Slack ways in the one chosen', async () => {
    rig = await startSlack();
    expect((await rig.event(messagesTab())).status).toBe(200);
    // Slack gives no language (the app reads no profile): one short screen in all three.
    expect(posts(rig)).toHaveLength(1);
    const first = blockText(posts(rig)[0]!.blocks);
    expect(first).toMatch(/automated assistant[\s\S]*يُرجى اختيار اللغة[\s\S]*تکایە زمانەکەتان هەڵبژێرن/);
    expect(buttonsOf(posts(rig)[0]!.blocks)).toEqual(['lang:en', 'lang:ar', 'lang:ckb']);
    // Opened again (Slack sends the event every time): nothing new.
    await rig.event(messagesTab());
    expect(posts(rig)).toHaveLength(1);
    // Sorani chosen: the Slack ways to take part in Sorani, with the form's button, then the terms.
    await rig.interact(press('lang:ckb'));
    expect(posts(rig)).toHaveLength(3);
    const ways = blockText(posts(rig)[1]!.blocks);
    expect(ways).toContain('دەتوانن هەر لێرە لە سلاک');
    expect(ways).toContain('\u2068/icssi submit\u2069');
    expect(buttonsOf(posts(rig)[1]!.blocks)).toEqual(['slack:form']);
    expect(blockText(posts(rig)[2]!.blocks)).toContain('مەرجەکانم');
    expect(buttonsOf(posts(rig)[2]!.blocks)).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ar']);
  });

  it('a first DM after the Messages tab\'s first screen gets the Slack ways in the language it is written in', async () => {
    rig = await startSlack();
    await rig.event(messagesTab());
    await rig.event(dm('مرحبا، كيف أشارك؟'));
    // The three-language screen, the answer to the question, the ways, the terms.
    const [, , ways, terms] = posts(rig);
    expect(blockText(ways!.blocks)).toContain('يمكنك المشاركة هنا في سلاك');
    expect(buttonsOf(ways!.blocks)).toEqual(['slack:form']);
    expect(blockText(terms!.blocks)).toContain('إليك شروطي');
  });

  it('says nothing when someone who already wrote opens the Messages tab', async () => {
    rig = await startSlack();
    await rig.event(dm('hi'));
    const n = posts(rig).length;
    await rig.event(messagesTab());
    expect(posts(rig)).toHaveLength(n);
  });

  it('answers a first DM with the Slack ways to take part, in the language it is written in', async () => {
    rig = await startSlack();
    await rig.event(dm('Hello! How do I submit a contribution?'));
    const first = blockText(posts(rig)[0]!.blocks);
    expect(first).toMatch(/two ways[\s\S]*\/icssi submit[\s\S]*this conversation/);
    expect(buttonsOf(posts(rig)[0]!.blocks)).toEqual(['slack:form']);
    // The button opens the form (a modal), not a step of the conversation.
    expect((await rig.interact(press('slack:form'))).status).toBe(200);
    expect(rig.api.callsTo('views.open')).toHaveLength(1);

    await rig.event(dm('سڵاو، چۆن بەشداری بنێرم؟', 'U0KURD'));
    const sorani = blockText(rig.api.callsTo('chat.postMessage').find((c) => c.channel === 'DU0KURD')!.blocks);
    expect(sorani).toContain('دەتوانن هەر لێرە لە سلاک');
    expect(sorani).toContain('\u2068/icssi submit\u2069');
    // And in Arabic, in Arabic.
    await rig.event(dm('مرحبا، كيف أشارك؟', 'U0ARAB'));
    const arabic = blockText(rig.api.callsTo('chat.postMessage').find((c) => c.channel === 'DU0ARAB')!.blocks);
    expect(arabic).toContain('يمكنك المشاركة هنا في سلاك');
    expect(arabic).toContain('«فتح النموذج»');
  });
});

describe('the /icssi submit modal', () => {
  it('words its errors for the modal: no “Skip”, no menu that is not there', async () => {
    rig = await startSlack();
    const r = await rig.interact(submission({ email: input('layla-at-example'), text: input(textOf('en', 200)) }));
    const errors = (JSON.parse(r.text) as { errors: Record<string, string> }).errors;
    expect(errors.email).toMatch(/leave the field empty/);
    expect(errors.email).not.toMatch(/Skip/);
    await rig.interact(submission({ email: input('layla@example.org'), text: input(textOf('en', 200)) }));
    const again = await rig.interact(submission({ text: input(textOf('en', 200)) }, 'V0FORM0002'));
    const topic = (JSON.parse(again.text) as { errors: Record<string, string> }).errors.topic!;
    expect(topic).toMatch(/Choose another topic here/);
    expect(topic).toContain('/icssi status');
  });

  it('answers a double-submitted view with the first outcome, and stores one contribution', async () => {
    rig = await startSlack();
    const view = submission({ text: input(textOf('en', 200)) });
    const [a, b] = await Promise.all([rig.interact(view), rig.interact(view)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    // Both close the modal: no "You have already sent a contribution on …" for the one just sent.
    expect(a.text).toBe('');
    expect(b.text).toBe('');
    const receipts = textsTo(rig.api, DM).filter((t) => t.includes('Received — thank you'));
    expect(receipts).toHaveLength(1);
  });
});

describe('the bot’s identity', () => {
  it('asks auth.test once, not before every request, when the bot ids are not configured', async () => {
    rig = await startSlack({ env: { SLACK_BOT_ID: '', SLACK_BOT_USER_ID: '' } });
    await rig.event(dm('hi'));
    await rig.interact(press('lang:en'));
    await rig.command(slash('help', 'U0PARTNER', DM));
    await rig.event(dm('again'));
    expect(rig.api.callsTo('auth.test')).toHaveLength(1);
    expect(posts(rig).length).toBeGreaterThan(3);
  });
});

describe('edits', () => {
  it('passes an edit with the ts of the edited message, and messages with their ts', () => {
    const at = new Date('2026-11-26T09:00:00Z');
    const edit = parseMessageIm({ type: 'message', channel_type: 'im', subtype: 'message_changed', message: { user: 'U0PARTNER', text: 'Noor H.', ts: '1700000100.000100' } } as MessageImEvent, 'Ev1', at, null);
    expect(edit).toMatchObject({ kind: 'edit', text: 'Noor H.', messageId: '1700000100.000100' });
    const msg = parseMessageIm({ type: 'message', channel_type: 'im', user: 'U0PARTNER', text: 'Noor', ts: '1700000100.000100' } as MessageImEvent, 'Ev2', at, null);
    expect(msg).toMatchObject({ kind: 'message', messageId: '1700000100.000100' });
  });
});
