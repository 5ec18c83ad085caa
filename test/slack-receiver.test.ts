/**
 * /slack/events on the project's HTTP server: Slack's signature, url_verification, and retries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dm, fixture, startSlack, textsTo, type SlackRig } from './helpers/slack.js';
import { signSlackRequest } from '../adapters/slack/verify.js';

let rig: SlackRig;
beforeEach(async () => {
  rig = await startSlack();
});
afterEach(async () => {
  await rig.close();
});

const nowSec = () => Math.floor(rig.bot.clock.now.getTime() / 1000);

describe('Slack requests', () => {
  it('answers url_verification with the challenge', async () => {
    const f = fixture<{ challenge: string }>('url_verification');
    const r = await rig.event(f);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: f.challenge });
  });

  it('a direct message gets the greeting with language buttons', async () => {
    const r = await rig.event(dm('hello'));
    expect(r.status).toBe(200);
    const sent = rig.api.callsTo('chat.postMessage').filter((c) => c.channel === 'DU0PARTNER');
    expect(sent.length).toBeGreaterThan(0);
    expect(textsTo(rig.api, 'DU0PARTNER').join('\n')).toContain('automated assistant');
    expect(JSON.stringify(sent.at(-1)!.blocks)).toContain('"action_id":"lang:ar"');
  });

  it.each([
    ['a wrong signature', (body: string) => ({ signature: signSlackRequest('not-the-secret', nowSec(), body) })],
    ['a timestamp 6 minutes old', (body: string) => ({ ts: nowSec() - 360, signature: signSlackRequest('slack-signing-secret-for-tests', nowSec() - 360, body) })],
    ['a timestamp 6 minutes ahead', (body: string) => ({ ts: nowSec() + 360, signature: signSlackRequest('slack-signing-secret-for-tests', nowSec() + 360, body) })],
    ['no signature', () => ({ signature: '' })],
  ])('refuses %s with 401 and an empty body, and processes nothing', async (_name, opts) => {
    const body = JSON.stringify(dm('hello'));
    const r = await rig.post(body, opts(body));
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
    expect(rig.api.calls).toEqual([]);
    expect(await rig.bot.store.funnel(rig.bot.call.id)).toMatchObject({ started: 0 });
  });

  it('accepts a correctly signed request from 4 minutes in the future (clock skew within Slack’s 5 minutes)', async () => {
    const body = JSON.stringify(dm('hello'));
    const ts = nowSec() + 240;
    const r = await rig.post(body, { ts, signature: signSlackRequest('slack-signing-secret-for-tests', ts, body) });
    expect(r.status).toBe(200);
    expect(rig.api.callsTo('chat.postMessage').length).toBeGreaterThan(0);
  });

  it('processes a retried event (X-Slack-Retry-Num) once', async () => {
    const event = dm('hello');
    await rig.event(event);
    const once = rig.api.callsTo('chat.postMessage').length;
    expect(once).toBeGreaterThan(0);
    const retry = await rig.event(event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    expect(rig.api.callsTo('chat.postMessage').length).toBe(once);
  });

  it('never logs the message text, the token or the raw user id', async () => {
    rig.api.rateLimit('DU0PARTNER', 1); // something worth logging
    await rig.event(dm('my secret words'));
    await rig.post(JSON.stringify(dm('my secret words')), { signature: 'v0=00' });
    const all = rig.logs.join('\n');
    expect(all).toContain('slack asked to wait');
    expect(all).toContain('slack request refused');
    expect(all).not.toContain('xoxb-');
    expect(all).not.toContain('my secret words');
    expect(all).not.toContain('U0PARTNER');
  });
});
