/**
 * /stats and /desk for the organisers in TELEGRAM_ADMIN_IDS: the CLI's figures (one loader, one table, through
 * the organisers' reports), in the organiser's language, in a monospace block so the columns line up.
 */
import type { Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import { type Locale, type OrganiserReports, splitText, type CoreTexts, type DeskInvites } from '../../src/core/index.js';
import { MAX_MESSAGE_CHARS } from './render.js';

export async function sendStats(api: Api, reports: Pick<OrganiserReports, 'stats'>, chatId: string, lng: Locale): Promise<void> {
  const { table } = await reports.stats(lng);
  for (const part of splitText(table, MAX_MESSAGE_CHARS)) {
    // A "pre" entity instead of parse_mode: nothing in the table needs escaping. Entity offsets
    // and lengths count UTF-16 code units, as String.length does.
    const entities: MessageEntity[] = [{ type: 'pre', offset: 0, length: part.length }];
    await api.sendMessage(chatId, part, { entities });
  }
}

/**
 * /desk: a one-time sign-in link to the organisers' desk, always in the admin's private chat with
 * the bot (chat id = user id), never in a group where others would read it; link previews off
 * (Telegram would fetch it; the desk's GET does not use the token anyway).
 */
export async function sendDeskLink(api: Api, desk: DeskInvites, texts: Pick<CoreTexts, 'text'>, from: { chatId: string; userId: string }, lng: Locale): Promise<void> {
  const who = `telegram:${from.userId}`;
  const { link } = await desk.invite({ name: who, role: 'organiser', by: who });
  await api.sendMessage(from.userId, texts.text('desk:dm.link', lng, { link }), { link_preview_options: { is_disabled: true } });
  if (from.chatId !== from.userId) await api.sendMessage(from.chatId, texts.text('desk:dm.sent', lng));
}
