/**
 * The organisers' commands Telegram offers (src/organisers/commands.ts), for TELEGRAM_ADMIN_IDS
 * only: one handler per command the table gives Telegram. For anyone else the word goes to the
 * flow, which calls it an unknown command; so does `/desk` when no desk is configured.
 */
import type { Api } from 'grammy';
import type { CoreTexts, Locale, DeskInvites, CommandsOn, OrganiserReports } from '../../src/core/index.js';
import { sendDeskLink, sendStats } from './stats.js';

export type TelegramAdminCommand = (from: { chatId: string; userId: string }, lng: Locale) => Promise<void>;

export function telegramAdminCommands(deps: {
  api: Api;
  reports: Pick<OrganiserReports, 'stats'>;
  desk?: DeskInvites;
  texts: Pick<CoreTexts, 'text'>;
}): Record<CommandsOn<'telegram'>, TelegramAdminCommand | undefined> {
  const { api, reports, desk, texts } = deps;
  return {
    stats: (from, lng) => sendStats(api, reports, from.chatId, lng),
    desk: desk && ((from, lng) => sendDeskLink(api, desk, texts, from, lng)),
  };
}
