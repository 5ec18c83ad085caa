/**
 * The whole call in Arabic through the Telegram webhook, on SQLite: language from language_code,
 * every choice a button press (callback query), the contribution sent as a .docx that the bot
 * fetches with getFile, and the receipt with its code isolated (FSI…PDI) inside the Arabic text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import type { BotStore } from '../src/core/ports.js';
import { textOf } from './helpers/texts.js';
import { callbackData, Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

const dir = mkdtempSync(join(tmpdir(), 'icssi-telegram-'));
let store: BotStore;
let bot: TelegramTestBot;

beforeAll(async () => {
  store = await openStore(`file:${join(dir, 'bot.db')}`);
  bot = await startTelegram({ store });
});
afterAll(async () => {
  await bot.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const FSI = '\u2068';
const PDI = '\u2069';

describe('the call in Arabic on Telegram', () => {
  it('goes from /start to a receipt with buttons and a .docx', async () => {
    const layla = new Person(6100000001, 'ar');
    const seen = () => bot.api.messages(layla.id);
    const step = async (update: Parameters<TelegramTestBot['post']>[0]) => {
      const before = seen().length;
      expect((await bot.post(update)).status).toBe(200);
      return seen().slice(before);
    };
    const buttons = (ms: ReturnType<typeof seen>) => (ms.at(-1)?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);

    // language_code "ar": the greeting in Arabic and straight on to the terms, with English and
    // Sorani as buttons on the same screen.
    let r = await step(layla.command('start'));
    expect(r).toHaveLength(2);
    expect(r[0]!.text).toContain('مساعد آلي');
    expect(r[1]!.text).toContain('إليك شروطي');
    expect(buttons(r)).toEqual(['consent:yes', 'consent:no', 'lang:en', 'lang:ckb']);
    expect(r[1]!.reply_markup!.inline_keyboard.flat().map((b) => b.text).slice(2)).toEqual(['English', 'کوردی (سۆرانی)']);

    r = await step(layla.press('consent:yes'));
    expect(buttons(r)).toContain('menu:submit');
    r = await step(layla.press('menu:submit'));
    expect(buttons(r)).toEqual(['topic:1', 'topic:2', 'topic:3']);
    r = await step(layla.press('topic:2'));
    expect(r.at(-1)!.text).toContain('الاسم');
    r = await step(layla.text('ليلى'));
    expect(buttons(r)).toEqual(['skip:organisation']);
    await step(layla.press('skip:organisation'));
    await step(layla.press('skip:country'));
    r = await step(layla.text('layla@example.org'));
    expect(r.at(-1)!.text).toContain('.docx');

    // The contribution as a Word file: getFile, then the download from /file/bot<token>/<path>.
    const body = textOf('ar', 250);
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun(body)] })] }] }));
    bot.api.addFile('BQACAgIAAxkBAAIBnmdocx', docx, 'documents/file_12.docx');
    r = await step(layla.document('BQACAgIAAxkBAAIBnmdocx', 'مساهمة.docx', docx.length, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
    expect(bot.api.callsOf('getFile').map((c) => c.params.file_id)).toEqual(['BQACAgIAAxkBAAIBnmdocx']);
    expect(bot.api.callsOf('sendChatAction').map((c) => c.params.action)).toEqual(['typing']);
    expect(r[0]!.text).toContain(`${FSI}مساهمة.docx${PDI}`);
    expect(r.at(-1)!.text).toContain('250');
    expect(buttons(r)).toEqual(['body:done', 'body:undo', 'body:clear']);

    r = await step(layla.press('body:done'));
    expect(r.at(-1)!.text).toContain('ليلى');
    expect(r.at(-1)!.text).toContain(body.slice(0, 40));
    expect(buttons(r)).toEqual(['review:confirm', 'review:edit']);

    r = await step(layla.press('review:confirm'));
    const receipt = r[0]!.text;
    expect(receipt).toMatch(/[\u0600-\u06FF]/);
    // The code is wrapped once, in FSI…PDI, so it reads left to right inside the Arabic sentence.
    const code = new RegExp(`${FSI}(ICS-[34679ACDEFGHJKMNPQRTWXY]{6})${PDI}`).exec(receipt);
    expect(code, receipt.slice(0, 200)).not.toBeNull();
    expect(receipt).not.toContain(`${FSI}${FSI}`);
    // The date and the time apart, in Arabic words.
    expect(receipt).toContain('26 تشرين الثاني 2026، الساعة 12:00 (بتوقيت بغداد)');
    // The review just showed the text: the receipt offers it instead of repeating it.
    expect(receipt).not.toContain(body.slice(0, 40));
    r = await step(layla.press('receipt:text'));
    expect(r[0]!.text).toContain(body.slice(0, 40));

    // Every press was acknowledged, none of them as an old button.
    const acks = bot.api.callsOf('answerCallbackQuery');
    expect(acks).toHaveLength(8);
    expect(acks.every((a) => a.params.text === undefined)).toBe(true);
    // Every button Telegram was asked to show had callback data of at most 64 bytes.
    expect(callbackData(bot.api).every((d) => Buffer.byteLength(d) <= 64)).toBe(true);
    expect(bot.api.calls.filter((c) => c.status !== 200)).toEqual([]);

    // The contribution is stored: /status in Arabic names it.
    r = await step(layla.command('status'));
    expect(r.map((m) => m.text).join('\n')).toContain(code![1]!);
  });
});
