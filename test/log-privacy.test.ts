/**
 * Debug logs name nobody. Whole flows on every platform (Telegram, Messenger with an m.me
 * referral and Meta's data-deletion callback, Slack, WhatsApp with an ad's referral, a document,
 * receipts and a changed number, the console) at LOG_LEVEL=debug, with a
 * failing send so that warnings are logged inside events too; then every line is searched for
 * each raw platform id (user, chat, PSID, Slack user, channel and team), the names and e-mail
 * typed, and the contribution's sentences. The event id in the log context is its keyed hash
 * (the stored claim), never the platform's id, which for Messenger can contain the PSID.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createI18n } from '../src/config/i18n.js';
import { DEFAULT_CALL_FILE, loadCallDefinition } from '../src/config/load-call.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { createLogger } from '../src/core/log.js';
import { MemoryStore } from './helpers/memory-store.js';
import { fixture as messengerFixture, messengerRig, postbackFrom, PSID, signedDeletion, textFrom } from './helpers/messenger.js';
import { dm, press, startSlack } from './helpers/slack.js';
import { Person, startTelegram } from './helpers/telegram.js';
import { seeded, TEST_SECRET } from './helpers/harness.js';
import { whatsappRig } from './helpers/whatsapp.js';
import { idInWamids, WaPerson } from './helpers/whatsapp-person.js';

const NAME = 'Shireen Qaradaghi-Private';
const EMAIL = 'shireen.private@example.org';
const SENTENCES = [
  'Our neighbourhood committee in Zakho rebuilt the school roof with borrowed ladders.',
  'The youth group of Halabja records oral histories from grandmothers every Friday.',
  'Volunteers in Basra mapped every broken water pipe along the Shatt al-Arab.',
];
/** A contribution long enough to be accepted: the sentences, repeated. */
const BODY = Array.from({ length: 6 }, () => SENTENCES.join(' ')).join('\n');

/** Each secret must be absent from every line; a short slice of each sentence too. */
function expectNothingOf(logs: string[], secrets: string[]): void {
  expect(logs.length).toBeGreaterThan(10);
  const all = logs.join('\n');
  for (const s of [...secrets, NAME, EMAIL, ...SENTENCES.map((t) => t.slice(0, 24))]) expect(all, `the logs hold "${s}"`).not.toContain(s);
  // The event context is there, as a keyed hash.
  const ofEvents = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'event processed');
  expect(ofEvents.length).toBeGreaterThan(5);
  for (const l of ofEvents) expect(String(l.eventId)).toMatch(/^[\w-]{32}$/);
}

describe('debug logs hold no platform id, name or sentence', () => {
  it('Telegram', async () => {
    const bot = await startTelegram();
    try {
      const p = new Person(5391827364);
      const updates = [
        p.command('start'), p.press('lang:en'), p.press('consent:yes'), p.press('menu:submit'), p.press('topic:1'),
        p.text(NAME), p.press('skip:organisation'), p.press('skip:country'), p.text(EMAIL), p.text(BODY),
        p.press('body:done'), p.press('review:confirm'),
      ];
      for (const u of updates) expect((await bot.post(u)).status).toBe(200);
      expect(bot.api.messages(p.id).map((m) => m.text).join('\n')).toMatch(/ICS-[0-9A-Z]{6}/);
      bot.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3 });
      await bot.post(p.command('help'));
      // The fixtures' first name is Layla; the callback query's chat too.
      expectNothingOf(bot.logs, [String(p.id), 'Layla']);
    } finally {
      await bot.close();
    }
  });

  it('Messenger, with an m.me referral and the data-deletion callback', async () => {
    const rig = await messengerRig();
    try {
      // The synthesised ids of these events contain the PSID (`<PSID>:<time>:referral:topic2`).
      expect((await rig.post(messengerFixture('referral'))).status).toBe(200);
      expect((await rig.post(messengerFixture('postback-get-started-referral'))).status).toBe(200);
      await rig.post(postbackFrom(PSID, 'lang:en', rig.clock.now));
      await rig.say('I agree', 'consent:yes');
      await rig.say(NAME);
      for (const f of ['organisation', 'country']) await rig.say('Skip', `skip:${f}`);
      await rig.say(EMAIL);
      await rig.say(BODY);
      await rig.say('Done', 'body:done');
      await rig.say('Send', 'review:confirm');
      expect(rig.graph.textsTo(PSID).join('\n')).toMatch(/ICS-[A-Z0-9]{6}/);
      rig.graph.failNextMessage('server', 'server', 'server');
      await rig.post(textFrom(PSID, 'help', rig.clock.now));
      // Meta's data-deletion callback: claimed as `data-deletion:<PSID>:…`.
      expect((await rig.deletion(signedDeletion())).status).toBe(200);
      expectNothingOf(rig.logs, [PSID]);
    } finally {
      await rig.close();
    }
  });

  it('Slack', async () => {
    const rig = await startSlack();
    try {
      const user = 'U0PRIV7731';
      await rig.event(dm('hi', user));
      for (const step of ['lang:en', 'consent:yes', 'menu:submit', 'topic:1']) expect((await rig.interact(press(step, user))).status).toBe(200);
      await rig.event(dm(NAME, user));
      await rig.interact(press('skip:organisation', user));
      await rig.interact(press('skip:country', user));
      await rig.event(dm(EMAIL, user));
      await rig.event(dm(BODY, user));
      await rig.interact(press('body:done', user));
      await rig.interact(press('review:confirm', user));
      expect(JSON.stringify(rig.api.callsTo('chat.postMessage'))).toMatch(/ICS-[A-Z0-9]{6}/);
      expectNothingOf(rig.logs, [user, `D${user}`, 'T0001']);
    } finally {
      await rig.close();
    }
  });

  it('WhatsApp, with an ad referral, a document, receipts, a failed status and a changed number', async () => {
    const rig = await whatsappRig();
    try {
      const who = { bsuid: 'IQ.8123456789012345678', phone: '9647815551234', profileName: 'Shireen Profile-Private' };
      const newPhone = '9647819998877';
      const p = new WaPerson(rig, who);
      // A Click-to-WhatsApp ad's first message: its referral names the topic.
      await p.send({ type: 'text', text: { body: 'Hi! Tell me more' }, referral: { source_url: 'https://fb.me/3xAmPle', source_type: 'ad', source_id: '120210000000000', headline: 'Write on #topic1', body: 'ICSSI' } });
      await p.tap('lang:en');
      await p.tap('consent:yes');
      expect(p.texts().join('\n')).toContain('Topic 1:');
      await p.say(NAME);
      await p.tap('skip:organisation');
      await p.tap('skip:country');
      await p.say(EMAIL);
      // The text as a document, read through the media API.
      const mediaId = rig.api.addMedia(BODY, 'text/plain');
      await p.send({ type: 'document', document: { id: mediaId, filename: 'shireen-private-contribution.txt', mime_type: 'text/plain', sha256: 'x' } });
      expect(rig.api.downloads).toEqual([mediaId]);
      await p.tap('body:done');
      await p.tap('review:confirm');
      expect(p.texts().join('\n')).toMatch(/ICS-[A-Z0-9]{6}/);
      // Receipts for the bot's messages: sent, delivered, read; one failed (undeliverable).
      const [first, last] = [rig.api.sentIds.at(-2)!, rig.api.sentIds.at(-1)!];
      for (const s of ['sent', 'delivered', 'read'] as const) expect((await p.status(last, s)).status).toBe(200);
      expect((await p.status(first, 'failed', 131026)).status).toBe(200);
      // They change their number (the BSUID stays), then write from it.
      await p.send({ type: 'system', system: { body: `User ${who.profileName} changed from ${who.phone} to ${newPhone}`, wa_id: newPhone, type: 'user_changed_number' } });
      const moved = new WaPerson(rig, { ...who, phone: newPhone });
      // A send that fails (WhatsApp down), so that warnings are logged inside an event.
      rig.api.outage('503', 'drop', '503');
      await moved.say('/help');
      await rig.adapter.settled();
      const ids = [...p.sent, ...moved.sent, ...rig.api.sentIds];
      expect(ids.length).toBeGreaterThan(12);
      // The warnings of a failed status and a failed send are among the lines searched.
      const msgs = rig.logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(msgs).toContain('whatsapp message failed');
      expect(msgs).toContain('whatsapp send failed');
      expectNothingOf(rig.logs, [who.bsuid, who.bsuid.slice(3), who.phone, newPhone, who.profileName, idInWamids(who), idInWamids({ ...who, phone: newPhone }), mediaId, 'shireen-private', 'fb.me', ...ids]);
    } finally {
      await rig.close();
    }
  });

  it('the console', async () => {
    const logs: string[] = [];
    const i18n = await createI18n();
    const store = new MemoryStore();
    const dispatcher = new Dispatcher({
      store, i18n, call: loadCallDefinition(DEFAULT_CALL_FILE, i18n), secret: TEST_SECRET, random: seeded(3),
      logger: createLogger('debug', (l) => logs.push(l)),
    });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const user = 'console-user-shireen';
    const lines = ['1', '1', '2', '1', NAME, '1', '1', EMAIL, BODY, 'Done', '1'];
    const adapter = new ConsoleAdapter({ input: Readable.from(lines.map((l) => l + '\n')), output, handle: (e) => dispatcher.handle(e), user, localeHint: 'en_GB.UTF-8' });
    dispatcher.registerSender('console', (ref, m) => adapter.send(ref, m));
    await adapter.start();
    await dispatcher.drain();
    expect(printed).toContain('Your receipt code is ICS-');
    expectNothingOf(logs, [user]);
  });
});
