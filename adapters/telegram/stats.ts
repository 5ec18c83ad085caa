/**
 * /stats for the organisers in TELEGRAM_ADMIN_IDS: the CLI's figures (one loader, one table, through
 * the organisers' reports), in the organiser's language, in a monospace block so the columns line up.
 */
import type { Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { Locale } from '../../src/domain/records.js';
import type { OrganiserReports } from '../../src/organisers/reports.js';
import { splitText } from '../../src/core/split-text.js';
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
