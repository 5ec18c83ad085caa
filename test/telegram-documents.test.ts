/**
 * Documents over the Telegram webhook, against the fake Bot API: a file is fetched (getFile and
 * the download) only at the step that takes one, once per update however often Telegram delivers
 * it, and its reply is one coherent answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** From /start to the text step. */
async function toBody(b: TelegramTestBot, p: Person) {
  for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes'), p.press('menu:submit'), p.press('topic:1'), p.text('Kawa')]) await b.post(u);
  for (const skip of ['skip:organisation', 'skip:country', 'skip:email']) await b.post(p.press(skip));
}

function sendFile(b: TelegramTestBot, p: Person, fileId: string, name: string, body: string | Buffer) {
  const bytes = Buffer.from(body);
  b.api.addFile(fileId, bytes, `documents/${fileId}.txt`);
  return p.document(fileId, name, bytes.length, 'text/plain');
}

const texts = (b: TelegramTestBot, p: Person, from: number) => b.api.messages(p.id).slice(from).map((m) => m.text);

describe('documents over the Telegram webhook', () => {
  it('answers a file sent before the language, the terms or the text step without fetching it', async () => {
    bot = await startTelegram();
    const p = new Person(5200000001);
    await bot.post(p.command('start'));
    let before = bot.api.messages(p.id).length;
    // At the language step, again after choosing English (the terms), and at the menu.
    await bot.post(sendFile(bot, p, 'early-1', 'early.txt', 'Some words for the call.'));
    expect(texts(bot, p, before)[0]).toBe('I take files only while you write your contribution. Please answer the question below.');
    await bot.post(p.press('lang:en'));
    await bot.post(sendFile(bot, p, 'early-2', 'early.txt', 'Some words for the call.'));
    await bot.post(p.press('consent:yes'));
    before = bot.api.messages(p.id).length;
    await bot.post(sendFile(bot, p, 'early-3', 'early.txt', 'Some words for the call.'));
    expect(texts(bot, p, before)[0]).toMatch(/only while you write/);
    expect(bot.api.callsOf('getFile')).toEqual([]);
    expect(bot.api.downloads).toEqual([]);
  });

  it('fetches a file at the text step once, however often Telegram delivers the update', async () => {
    bot = await startTelegram();
    const p = new Person(5200000002);
    await toBody(bot, p);
    const update = sendFile(bot, p, 'once-1', 'part.txt', 'Civil society in Iraq grew through protest and patient work.');
    for (let i = 0; i < 3; i++) expect((await bot.post(update)).status).toBe(200);
    expect(bot.api.callsOf('getFile').length).toBe(1);
    expect(bot.api.downloads).toEqual(['documents/once-1.txt']);
    expect(bot.api.messages(p.id).filter((m) => m.text.startsWith('I read the text of')).length).toBe(1);
  });

  it('says so when invisible or bidi characters are removed from a file, as for typed text', async () => {
    bot = await startTelegram();
    const p = new Person(5200000003);
    await toBody(bot, p);
    const before = bot.api.messages(p.id).length;
    await bot.post(sendFile(bot, p, 'bidi-1', 'part.txt', 'Civil society \u202Ein Iraq\u202C grew\u200B through protest.'));
    const said = texts(bot, p, before);
    expect(said[0]).toMatch(/^I removed some invisible formatting characters from the text of .*part\.txt/);
    expect(said[1]).toMatch(/^I read the text of/);
  });

  it('answers a file far too long for a contribution in one coherent reply, before counting its words', async () => {
    bot = await startTelegram();
    const p = new Person(5200000004);
    await toBody(bot, p);
    for (const [id, body] of [['long-1', 'word '.repeat(30_000)], ['long-2', 'word '.repeat(1_500)]] as const) {
      const before = bot.api.messages(p.id).length;
      await bot.post(sendFile(bot, p, id, 'long.txt', body));
      const said = texts(bot, p, before);
      expect(said[0]).toMatch(/holds far more text than a contribution of about 250 words, so I did not add it/);
      expect(said.join('\n')).not.toMatch(/I read the text/);
    }
  });
});
