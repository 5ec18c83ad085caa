/**
 * Long polling with @grammyjs/runner against the fake's getUpdates: updates fetched in batches and
 * processed concurrently, but one chat's updates in the order they were sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from './fakes/telegram-bot-api.js';
import { Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

let bot: TelegramTestBot;
afterEach(() => bot?.close());

const answered = (id: string) => (c: ApiCall) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id;

describe('Telegram long polling', () => {
  it('removes the webhook, then handles each chat’s updates in order', async () => {
    bot = await startTelegram({ mode: 'polling' });
    expect(bot.api.callsOf('deleteWebhook')).toHaveLength(1);
    expect(bot.api.callsOf('deleteWebhook')[0]!.params.drop_pending_updates).toBe(false);
    const a = new Person(8100000001, 'en');
    const b = new Person(8100000002, 'ar');
    // language_code given: /start greets and goes straight to the terms.
    const scriptA = [a.command('start'), a.press('consent:yes'), a.press('menu:submit'), a.press('topic:1')];
    const scriptB = [b.command('start'), b.press('consent:yes'), b.press('menu:submit'), b.press('topic:3')];
    // Interleaved, as Telegram would hand them out with two people writing at once; each press
    // is only valid after the one before it, so any reordering shows as an "old button".
    for (let i = 0; i < scriptA.length; i++) {
      bot.api.pushUpdate(scriptA[i] as unknown as Record<string, unknown>);
      bot.api.pushUpdate(scriptB[i] as unknown as Record<string, unknown>);
    }
    // A press is acknowledged once its replies are sent: wait for the last one of each chat.
    await Promise.all([bot.api.waitFor(answered(scriptA.at(-1)!.callback_query!.id)), bot.api.waitFor(answered(scriptB.at(-1)!.callback_query!.id))]);
    const acks = bot.api.callsOf('answerCallbackQuery');
    expect(acks).toHaveLength(6);
    expect(acks.filter((c) => c.params.text !== undefined)).toEqual([]);
    expect(bot.api.messages(a.id).at(-1)!.text).toContain('What name should appear');
    expect(bot.api.messages(b.id).at(-1)!.text).toContain('الاسم');
    // getUpdates asked only for what the bot handles.
    expect(bot.api.callsOf('getUpdates')[0]!.params.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    // The menu reached both before their topic buttons: each chat saw its steps in order.
    const order = (id: number) =>
      bot.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(id) && c.params.reply_markup)
        .map((c) => JSON.stringify(c.params.reply_markup).match(/"(lang|consent|menu|topic):/)![1]);
    expect(order(a.id)).toEqual(['consent', 'menu', 'topic']);
    expect(order(b.id)).toEqual(['consent', 'menu', 'topic']);
  });
});
