/**
 * /stats for the organisers in TELEGRAM_ADMIN_IDS: the CLI's figures (one loader, one table), in
 * the organiser's language, in a monospace block so the columns line up.
 */
import type { Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { i18n as I18n } from 'i18next';
import type { BotStore } from '../../src/core/ports.js';
import type { CallDefinition } from '../../src/domain/call-definition.js';
import type { Locale } from '../../src/domain/records.js';
import { splitText } from '../../src/core/split-text.js';
import { loadStats } from '../../src/organisers/stats.js';
import { callStatsTable } from '../../src/organisers/stats-table.js';
import { MAX_MESSAGE_CHARS } from './render.js';

export interface StatsDeps {
  api: Api;
  store: BotStore;
  call: CallDefinition;
  i18n: I18n;
  now: () => Date;
}

export async function statsText(deps: Omit<StatsDeps, 'api'>, lng: Locale): Promise<string> {
  return callStatsTable(await loadStats(deps.store, deps.call, deps.now()), deps.i18n, deps.call, lng);
}

export async function sendStats(deps: StatsDeps, chatId: string, lng: Locale): Promise<void> {
  const text = await statsText(deps, lng);
  for (const part of splitText(text, MAX_MESSAGE_CHARS)) {
    // A "pre" entity instead of parse_mode: nothing in the table needs escaping. Entity offsets
    // and lengths count UTF-16 code units, as String.length does.
    const entities: MessageEntity[] = [{ type: 'pre', offset: 0, length: part.length }];
    await deps.api.sendMessage(chatId, part, { entities });
  }
}
