/**
 * `/icssi desk` on Slack: an organiser (SLACK_ADMIN_USERS) gets a one-time sign-in link to the
 * organisers' desk in their DM with the app, never in the channel they typed it in; anyone else
 * gets the help text and no link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskInvites } from '../src/desk/invites.js';
import { openStore } from '../src/storage/open-store.js';
import type { PrismaDeskStore } from '../src/storage/prisma-desk.js';
import { ORGANISER, slash, startSlack, type SlackRig } from './helpers/slack.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-slack-desk-'));
let rig: SlackRig;
let desk: PrismaDeskStore;
beforeAll(async () => {
  const store = await openStore(`file:${join(dir, 'slack.db')}`);
  desk = store.desk;
  rig = await startSlack({ store, desk: deskInvites({ store: desk, config: { publicUrl: 'https://bot.example.org/desk', inviteHours: 24 }, now: () => new Date() }) });
});
afterAll(async () => {
  await rig.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/icssi desk', () => {
  it('sends an organiser a one-time link in their DM, unfurling off, and says so in the channel', async () => {
    expect((await rig.command(slash('desk', ORGANISER))).status).toBe(200);
    await rig.adapter.idle();
    const dms = rig.api.callsTo('chat.postMessage').filter((c) => c.channel === `D${ORGANISER}`);
    expect(dms).toHaveLength(1);
    expect(String(dms[0]!.unfurl_links)).toBe('false'); // form-encoded by the Web API client
    expect(String(dms[0]!.text)).toMatch(/https:\/\/bot\.example\.org\/desk\/signin\?t=[A-Za-z0-9_-]{43}/);
    expect(rig.api.callsTo('chat.postMessage').filter((c) => c.channel === 'C0GENERAL')).toEqual([]);
    expect(rig.api.callsTo('chat.postEphemeral').at(-1)).toMatchObject({ channel: 'C0GENERAL', user: ORGANISER, text: expect.stringContaining('direct message') });
    expect((await desk.activity({ limit: 1 }))[0]).toMatchObject({ action: 'invite', subject: `slack:${ORGANISER}`, detail: 'organiser' });
  });

  it('gives anyone else no link', async () => {
    const before = rig.api.calls.length;
    await rig.command(slash('desk', 'U0PARTNER', 'DU0PARTNER'));
    await rig.adapter.idle();
    expect(JSON.stringify(rig.api.calls.slice(before))).not.toContain('signin?t=');
  });
});
