/**
 * Slack, over real HTTP against the fake Web API: what a person typed is stored, exported and
 * shown exactly (Slack's &amp; &lt; &gt; and link markup undone on the way in; their * _ ~ `
 * shown literally, in rich-text blocks, on the way out), and erasing the person rewrites the admin
 * channel's posts about their contributions so that nothing of them is left there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../src/domain/records.js';
import { fromSlackText } from '../adapters/slack/text.js';
import { parseCommandText } from '../adapters/slack/parse.js';
import { ADMIN_CHANNEL, buttonsOf, dm, press, richText, slash, startSlack, type SlackRig } from './helpers/slack.js';
import { textOf } from './helpers/texts.js';

let rig: SlackRig;
beforeEach(async () => {
  rig = await startSlack();
});
afterEach(async () => {
  await rig.close();
});

// As Slack delivers them: & < > escaped, an e-mail address as a mailto link.
const NAME_IN = 'Layla *Star* _al_ ~Basri~';
const ORG_IN = 'AT&amp;T &lt;Basra&gt;';
const EMAIL_IN = '<mailto:layla.b@example.org|layla.b@example.org>';
const SENTENCE = 'We met at `AT&T` in *Basra* & <Erbil>, _twice_.';
const TEXT_IN = `${SENTENCE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')} ${textOf('en', 190)}`;

const dmTo = (channel: string) => rig.api.callsTo('chat.postMessage').filter((c) => c.channel === channel);

async function toReview(): Promise<void> {
  await rig.event(dm('hi'));
  for (const step of ['lang:en', 'consent:yes', 'menu:submit', 'topic:1']) await rig.interact(press(step));
  await rig.event(dm(NAME_IN));
  await rig.event(dm(ORG_IN));
  await rig.interact(press('skip:country'));
  await rig.event(dm(EMAIL_IN));
  await rig.event(dm(TEXT_IN));
  await rig.interact(press('body:done'));
}

async function exported(): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const r of rig.bot.store.exportRecords(rig.bot.call.id)) out.push(r);
  return out;
}

describe('Slack text is what the person typed', () => {
  it('is decoded on the way in, stored and exported exactly, and echoed literally in the review and the admin channel', async () => {
    await toReview();
    const review = dmTo('DU0PARTNER').at(-1)!;
    const blocks = review.blocks as { type: string }[];
    // Only rich text and buttons: no mrkdwn section that would turn *Star* bold or ping <Erbil>.
    expect(new Set(blocks.map((b) => b.type))).toEqual(new Set(['rich_text', 'actions']));
    const shown = blocks.filter((b) => b.type === 'rich_text').map(richText).join('\n');
    for (const s of [NAME_IN, 'AT&T <Basra>', 'layla.b@example.org', SENTENCE]) expect(shown).toContain(s);
    expect(shown).not.toContain('&amp;');
    expect(shown).not.toContain('mailto:');

    await rig.interact(press('review:confirm'));
    const [record] = await exported();
    expect(record!.details).toEqual({ name: NAME_IN, organisation: 'AT&T <Basra>', country: null, email: 'layla.b@example.org' });
    expect(record!.text.startsWith(SENTENCE)).toBe(true);

    const post = dmTo(ADMIN_CHANNEL).at(-1)!;
    const adminText = (post.blocks as { type: string }[]).filter((b) => b.type === 'rich_text').map(richText).join('\n');
    expect(adminText).toContain(`Name: ${NAME_IN}`);
    expect(adminText).toContain('AT&T <Basra>');
    expect(adminText).toContain(SENTENCE);
    expect(JSON.stringify(post.blocks)).not.toContain('&amp;');
  });

  it('undoes every kind of Slack markup: entities, links, mentions, slash-command text', () => {
    expect(fromSlackText('AT&amp;T &lt;Basra&gt; &amp;lt;')).toBe('AT&T <Basra> &lt;');
    expect(fromSlackText('<https://example.org/a_b|example.org/a_b> and <https://x.org>')).toBe('example.org/a_b and https://x.org');
    expect(fromSlackText('<mailto:a@b.org|a@b.org>, <@U123>, <@U9|noor>, <#C1|general>, <!here>, <!subteam^S1|@team>')).toBe('a@b.org, @U123, @noor, #general, @here, @team');
    expect(parseCommandText('submit AT&amp;T')).toEqual({ sub: 'submit', args: 'AT&T' });
  });
});

describe('erasure rewrites the admin channel', () => {
  it('the post about the contribution says it was erased at the author’s request, with no personal field left', async () => {
    await toReview();
    await rig.interact(press('review:confirm'));
    const post = dmTo(ADMIN_CHANNEL).at(-1)!;
    const ts = rig.api.messages.get(ADMIN_CHANNEL)!.at(-1)!.ts;
    const code = /ICS-[A-Z0-9]{6}/.exec(JSON.stringify(post.blocks))![0];
    expect(buttonsOf(post.blocks)).toEqual(['decide:accepted', 'decide:declined', 'decide:revision_requested']);

    await rig.command(slash('delete'));
    await rig.interact(press('delete:yes'));

    const now = rig.api.message(ADMIN_CHANNEL, ts)!;
    expect(now.edited).toBe(true);
    expect(now.text).toBe(`Contribution ${code} was erased at its author's request. Nothing of it or of its author is kept here.`);
    const everything = JSON.stringify(now);
    for (const s of ['Layla', 'Basra', 'layla.b', 'We met at', 'Civil society']) expect(everything).not.toContain(s);
    expect(buttonsOf(now.blocks)).toEqual([]);
    // Rewritten once: the post is forgotten afterwards.
    expect(await rig.bot.store.postsToRedact('slack', 10)).toEqual([]);
    expect(await rig.adapter.redactErased()).toBe(0);
  });

  it('a post Slack no longer has is forgotten', async () => {
    await toReview();
    await rig.interact(press('review:confirm'));
    const ts = rig.api.messages.get(ADMIN_CHANNEL)!.at(-1)!.ts;
    // The organisers deleted the post in Slack meanwhile.
    rig.api.messages.set(ADMIN_CHANNEL, rig.api.messages.get(ADMIN_CHANNEL)!.filter((m) => m.ts !== ts));
    await rig.command(slash('delete'));
    await rig.interact(press('delete:yes'));
    expect(rig.api.callsTo('chat.update').at(-1)).toMatchObject({ channel: ADMIN_CHANNEL, ts });
    expect(await rig.bot.store.postsToRedact('slack', 10)).toEqual([]);
  });

  it('a post Slack could not update now is kept, and the next maintenance pass rewrites it', async () => {
    await toReview();
    await rig.interact(press('review:confirm'));
    const ts = rig.api.messages.get(ADMIN_CHANNEL)!.at(-1)!.ts;
    rig.api.updateErrors.push('internal_error');
    await rig.command(slash('delete'));
    await rig.interact(press('delete:yes'));
    expect(rig.api.message(ADMIN_CHANNEL, ts)!.edited).toBeUndefined();
    expect((await rig.bot.store.postsToRedact('slack', 10)).map((p) => p.ts)).toEqual([ts]);
    expect(await rig.adapter.redactErased()).toBe(1);
    expect(rig.api.message(ADMIN_CHANNEL, ts)!.text).toContain("was erased at its author's request");
    expect(await rig.bot.store.postsToRedact('slack', 10)).toEqual([]);
  });
});
