/**
 * The Telegram webhook over real HTTP on the project's server, against the fake Bot API: the
 * secret token, the status policy, redelivery, old buttons, media, a blocked bot, /stats.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../src/core/conversation-key.js';
import { MemoryStore } from './helpers/memory-store.js';
import type { BotStore } from '../src/core/ports.js';
import { TEST_SECRET } from './helpers/harness.js';
import { Person, startTelegram, WEBHOOK_SECRET, type TelegramTestBot } from './helpers/telegram.js';

let bot: TelegramTestBot;
afterEach(() => bot?.close());

const refOf = (p: Person) => ({ platform: 'telegram' as const, chatId: String(p.id), userId: String(p.id) });

async function stored(store: BotStore, p: Person) {
  return (await store.load(conversationKey(TEST_SECRET, refOf(p)), refOf(p))).conversation;
}

/** /start, English, consent: the menu. */
async function consented(b: TelegramTestBot, p: Person) {
  for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes')]) expect((await b.post(u)).status).toBe(200);
}

describe('the Telegram webhook', () => {
  it('answers 401 with an empty body to a missing or wrong secret token, and nothing is stored or sent', async () => {
    bot = await startTelegram();
    const p = new Person(5100000001);
    for (const secret of [null, 'wrong-secret', WEBHOOK_SECRET + 'x', WEBHOOK_SECRET.slice(0, -1), '']) {
      const r = await bot.post(p.command('start'), secret);
      expect(r.status, `secret ${JSON.stringify(secret)}`).toBe(401);
      expect(await r.text()).toBe('');
    }
    expect(bot.api.messages()).toEqual([]);
    expect(await stored(bot.store, p)).toBeNull();
    expect(bot.dispatcher.metrics.value('events_total', { platform: 'telegram', outcome: 'processed' })).toBe(0);
    // The right secret is accepted: the test above can fail.
    expect((await bot.post(p.command('start'))).status).toBe(200);
    expect(bot.api.messages(p.id).length).toBeGreaterThan(0);
  });

  it('answers 400 to a body that is not a JSON Update', async () => {
    bot = await startTelegram();
    expect((await bot.post('{"update_id": 1, "message": ')).status).toBe(400);
    expect((await bot.post('{"message": {"text": "hi"}}')).status).toBe(400);
    expect((await bot.post('[1,2]')).status).toBe(400);
    expect(bot.api.messages()).toEqual([]);
  });

  it('greets in the language of language_code and processes a redelivered update once', async () => {
    bot = await startTelegram();
    const p = new Person(5100000002, 'ar');
    const start = p.command('start');
    expect((await bot.post(start)).status).toBe(200);
    const first = bot.api.messages(p.id);
    expect(first[0]!.text).toContain('آلي');
    expect(first.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
    // Telegram did not get our 200 in time and sends the same update_id again.
    expect((await bot.post(start)).status).toBe(200);
    expect(bot.api.messages(p.id)).toHaveLength(first.length);
    expect(bot.dispatcher.metrics.value('events_total', { platform: 'telegram', outcome: 'duplicate' })).toBe(1);
  });

  it('answers 503 when the update could not be stored, and the redelivery is answered', async () => {
    let down = true;
    const memory = new MemoryStore();
    const store = new Proxy(memory, {
      get(target, key, receiver) {
        if (key === 'commit' && down) return async () => Promise.reject(new Error('database is away'));
        const v = Reflect.get(target, key, receiver) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    bot = await startTelegram({ store });
    const p = new Person(5100000003);
    const start = p.command('start');
    const r = await bot.post(start);
    expect(r.status).toBe(503);
    expect(await r.text()).toBe('');
    expect(bot.api.messages(p.id)).toEqual([]);
    down = false;
    expect((await bot.post(start)).status).toBe(200);
    expect(bot.api.messages(p.id)[0]!.text).toContain('automated');
  });

  it('answers a button from an old message with a notice (answerCallbackQuery) and the current step', async () => {
    bot = await startTelegram();
    // No language_code: the first screen offers the three languages.
    const p = new Person(5100000004, '');
    await bot.post(p.command('start'));
    // A fresh press is acknowledged without a notice.
    const lang = p.press('lang:en');
    await bot.post(lang);
    const ack = bot.api.callsOf('answerCallbackQuery').find((c) => c.params.callback_query_id === lang.callback_query!.id)!;
    expect(ack.params.text).toBeUndefined();
    // English pressed again after the step moved on (the terms offer only the other two).
    const old = p.press('lang:en');
    const before = bot.api.messages(p.id).length;
    const answered = await bot.post(old);
    expect(answered.status).toBe(200);
    // The answer rides in the webhook's 200 (Telegram performs it), not in a request of the bot's own.
    expect(answered.headers.get('content-type')).toBe('application/json');
    expect(await answered.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: old.callback_query!.id, text: 'That button is from an earlier message. Here is where we are now.' });
    const notice = bot.api.callsOf('answerCallbackQuery').find((c) => c.params.callback_query_id === old.callback_query!.id)!;
    expect(notice.params.text).toBe('That button is from an earlier message. Here is where we are now.');
    const again = bot.api.messages(p.id).slice(before);
    expect(again.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no', 'lang:ar', 'lang:ckb']);
  });

  it('the old-button notice is in the person’s language', async () => {
    bot = await startTelegram();
    const p = new Person(5100000005, 'ckb');
    await bot.post(p.command('start'));
    await bot.post(p.press('lang:ckb'));
    const old = p.press('topic:1');
    await bot.post(old);
    const notice = bot.api.callsOf('answerCallbackQuery').find((c) => c.params.callback_query_id === old.callback_query!.id)!;
    expect(notice.params.text).toBe('ئەم دوگمەیە هی نامەیەکی پێشووە. ئەمە ئەو شوێنەیە کە ئێستا تێیداین.');
  });

  it('says clearly that stickers and photos cannot be read, and that edits do not reach the bot', async () => {
    bot = await startTelegram();
    const p = new Person(5100000006);
    await consented(bot, p);
    let before = bot.api.messages(p.id).length;
    await bot.post(p.fixture('sticker'));
    const media = (kind: string) => bot.i18n.t('files.media', { lng: 'en', media: bot.i18n.t(`files.kinds.${kind}`, { lng: 'en' }) });
    expect(bot.api.messages(p.id)[before]!.text).toBe(media('sticker'));
    before = bot.api.messages(p.id).length;
    await bot.post(p.fixture('photo'));
    expect(bot.api.messages(p.id)[before]!.text).toBe(media('image'));
    before = bot.api.messages(p.id).length;
    await bot.post(p.fixture('edited-message'));
    expect(bot.api.messages(p.id)[before]!.text).toContain('You edited a message');
  });

  it('refuses a document over 20 MB without downloading it', async () => {
    bot = await startTelegram();
    const p = new Person(5100000007);
    await consented(bot, p);
    await bot.post(p.press('menu:submit'));
    await bot.post(p.press('topic:1'));
    await bot.post(p.text('Kawa'));
    for (const skip of ['skip:organisation', 'skip:country', 'skip:email']) await bot.post(p.press(skip));
    const before = bot.api.messages(p.id).length;
    await bot.post(p.document('BQACAgIAAxkBAAIBig', 'thesis.pdf', 21 * 1024 * 1024, 'application/pdf'));
    expect(bot.api.messages(p.id)[before]!.text).toBe('The file thesis.pdf is too large for me to read (at most 20 MB).');
    expect(bot.api.callsOf('getFile')).toEqual([]);
  });

  it('sends nothing more to a person who blocked the bot, until they write again', async () => {
    bot = await startTelegram();
    const p = new Person(5100000008, '');
    await bot.post(p.command('start'));
    // The next replies cannot be delivered (Telegram is down): they wait in the outbox.
    bot.api.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' }, { times: 3 });
    expect((await bot.post(p.press('lang:en'))).status).toBe(200);
    expect((await bot.store.listPending(10)).length).toBe(1);
    // Then the person blocks the bot: Telegram sends my_chat_member with status "kicked".
    expect((await bot.post(p.fixture('my-chat-member-kicked'))).status).toBe(200);
    const attempts = bot.api.callsOf('sendMessage').length;
    await bot.dispatcher.flushPending();
    expect(bot.api.callsOf('sendMessage')).toHaveLength(attempts);
    // The waiting replies were dead-lettered with Telegram's reason, not kept to be retried.
    expect((await bot.store.deadLetters(10)).map((d) => d.reason)).toEqual(['telegram:kicked']);
    expect(await bot.store.listPending(10)).toEqual([]);
    // They unblock and write: answered again.
    const before = bot.api.messages(p.id).length;
    await bot.post(p.command('help'));
    expect(bot.api.messages(p.id)[before]!.text).toContain('/status — ');
  });

  it('a 403 on send (blocked before we knew) stops further sends to that chat', async () => {
    bot = await startTelegram();
    const p = new Person(5100000009);
    bot.api.blockChat(p.id);
    expect((await bot.post(p.command('start'))).status).toBe(200);
    // The greeting got a 403; the language question after it was not attempted.
    expect(bot.api.callsOf('sendMessage').map((c) => c.status)).toEqual([403]);
    expect((await bot.store.deadLetters(10)).map((d) => d.reason)).toEqual(['telegram:403', 'telegram:403']);
    expect(bot.dispatcher.metrics.value('replies_dead_lettered_total', { platform: 'telegram' })).toBe(2);
  });

  it('/stats shows the organisers’ figures to an admin, and is an unknown command for anyone else', async () => {
    const admin = new Person(5200000001);
    bot = await startTelegram({ adminIds: [String(admin.id)] });
    const other = new Person(5200000002);
    await consented(bot, other);
    await bot.post(admin.command('stats'));
    const stats = bot.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(admin.id));
    expect(stats).toHaveLength(1);
    expect(stats[0]!.params.text).toContain('By topic');
    expect(stats[0]!.params.text).toMatch(/agreed to the terms\s+1/);
    expect(stats[0]!.params.entities).toEqual([{ type: 'pre', offset: 0, length: (stats[0]!.params.text as string).length }]);
    await bot.post(other.command('stats'));
    expect(bot.api.messages(other.id).at(-2)!.text).toBe('I do not know the command /stats. Send /help to see what I can do.');
  });

  it('takes /command@ThisBot and ignores a command meant for another bot', async () => {
    bot = await startTelegram();
    const p = new Person(5100000010);
    await bot.post(p.command('start@IcssiCallBot', 'topic2'));
    expect(bot.api.messages(p.id)[0]!.text).toContain('automated');
    const before = bot.api.messages(p.id).length;
    expect((await bot.post(p.command('help@SomeOtherBot'))).status).toBe(200);
    expect(bot.api.messages(p.id)).toHaveLength(before);
  });

  it('logs hold no token, no message text and no raw Telegram id', async () => {
    bot = await startTelegram();
    const p = new Person(5100000011);
    await consented(bot, p);
    bot.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3 });
    await bot.post(p.text('Confidential words of an activist'));
    bot.api.blockChat(p.id);
    await bot.post(p.command('help'));
    await bot.post(p.fixture('my-chat-member-kicked'));
    const all = bot.logs.join('\n');
    expect(bot.logs.length).toBeGreaterThan(3);
    expect(all).not.toContain(bot.api.token);
    expect(all).not.toContain(bot.api.token.split(':')[1]!);
    expect(all).not.toContain('Confidential');
    expect(all).not.toContain(String(p.id));
  });
});
