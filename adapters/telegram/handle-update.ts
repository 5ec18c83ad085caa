/**
 * One Telegram update, whichever way it came (webhook or long polling): parse it, hand the event
 * to the core (with how to fetch its document: the core does so only at a step that takes one),
 * answer a button press. Resolves once the event is stored and its replies sent; rejects
 * (STORAGE_UNAVAILABLE) when it could not be stored, so the update is delivered again.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { type BotCore, type Logger, type Metrics, type DocumentRead, type OrganiserReports, localeFromHint, type DeskInvites } from '../../src/core/index.js';
import { callbackQueryIdOf, parseUpdate, type DocumentRef } from './parse.js';
import { readTelegramDocument } from './documents.js';
import { telegramAdminCommands } from './admin-commands.js';
import { organiserCommand } from '../../src/core/index.js';

/**
 * What Telegram asks of the core: its events, the people who block or unblock the bot, the
 * old-button notice's text, the clock and the metrics.
 */
export type TelegramCore = Pick<BotCore, 'handle' | 'markUnreachable' | 'markReachable' | 'texts' | 'now' | 'metrics'>;

export interface UpdateHandlerDeps {
  api: Api;
  core: TelegramCore;
  reports: Pick<OrganiserReports, 'stats'>;
  desk?: DeskInvites;
  adminIds: ReadonlySet<string>;
  token: string;
  apiRoot: string;
  fetch?: typeof fetch;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** The bot's username once known (getMe), to ignore `/command@OtherBot`. */
  botUsername: () => string | undefined;
}

/**
 * A Bot API call carried in the webhook's HTTP answer: Telegram performs one method given there
 * ("If you're using webhooks, you can perform a request to the Bot API while sending an answer to
 * the webhook"), with no result to read. Used for answering a button press, which is best effort
 * anyway (see answer()), so the bot makes one request fewer per press.
 */
export interface InResponseCall {
  method: 'answerCallbackQuery';
  callback_query_id: string;
  text?: string;
}

export class UpdateHandler {
  private readonly adminCommands: ReturnType<typeof telegramAdminCommands>;

  constructor(private readonly deps: UpdateHandlerDeps) {
    this.adminCommands = telegramAdminCommands({ api: deps.api, reports: deps.reports, desk: deps.desk, texts: deps.core.texts });
  }

  /**
   * With `inResponse` (the webhook), a button press is answered by the returned call, which the
   * webhook puts in its HTTP answer; otherwise (long polling) by a request of its own.
   */
  async handle(update: Update, opts: { inResponse?: boolean } = {}): Promise<InResponseCall | undefined> {
    const { deps } = this;
    const parsed = parseUpdate(update, { botUsername: deps.botUsername(), now: deps.now });
    deps.metrics.inc('inbound_total', { platform: 'telegram', outcome: 'received' });
    if (parsed.type === 'ignore') {
      deps.metrics.inc('inbound_ignored_total', { platform: 'telegram', reason: parsed.reason });
      // Answered 200 (Telegram would deliver it again for ever otherwise), with one line naming
      // the field that did not fit, never its value.
      if (parsed.field) deps.logger.warn('telegram update ignored: malformed', { field: parsed.field });
      // Even a button we do not act on is answered, or its spinner turns until it times out.
      const queryId = callbackQueryIdOf(update);
      return queryId ? this.answer(queryId, undefined, opts) : undefined;
    }
    if (parsed.type === 'membership') {
      // Stored on the participant (every instance, the CLI and restarts know it); their
      // undelivered replies are dead-lettered. Whoever writes again is reachable again: the
      // commit of their message clears the mark.
      const ref = { platform: 'telegram' as const, chatId: parsed.chatId, userId: parsed.chatId };
      deps.metrics.inc(parsed.blocked ? 'telegram_chats_blocked_total' : 'telegram_chats_unblocked_total');
      if (parsed.blocked) await deps.core.markUnreachable(ref, 'telegram:kicked');
      else await deps.core.markReachable(ref);
      return undefined;
    }
    let event = parsed.event;

    // The organisers' commands of the table, for TELEGRAM_ADMIN_IDS; for anyone else the flow
    // calls them unknown commands.
    const entry = event.kind === 'command' && deps.adminIds.has(event.conversation.userId) ? organiserCommand('telegram', event.command) : undefined;
    const run = entry && this.adminCommands[entry.name];
    if (run) {
      await run(event.conversation, localeFromHint(event.localeHint) ?? 'en');
      return undefined;
    }
    if (parsed.document && event.kind === 'file') event = { ...event, fetchText: this.documentFetch(event.conversation.chatId, parsed.document) };

    const result = await deps.core.handle(event);
    if (!parsed.callbackQueryId) return undefined;
    // The core says whether the button was an old one, and in which language the bot answered.
    const notice = result.stale ? deps.core.texts.text('telegram:oldButton', result.stale.lng) : undefined;
    return this.answer(parsed.callbackQueryId, notice, opts);
  }

  /**
   * How the core fetches the document, if the conversation takes one now (src/core/types.ts):
   * getFile, the download and the reading happen only then.
   */
  private documentFetch(chatId: string, doc: DocumentRef): () => Promise<DocumentRead> {
    const { deps } = this;
    return async () => {
      // Reading a long PDF takes a moment: "typing…" shows the message arrived. Best effort.
      deps.api.sendChatAction(chatId, 'typing').catch(() => undefined);
      const read = await readTelegramDocument(doc, { api: deps.api, token: deps.token, apiRoot: deps.apiRoot, fetch: deps.fetch, logger: deps.logger });
      deps.metrics.inc('documents_total', { platform: 'telegram', outcome: read.ok ? 'read' : read.problem });
      return read;
    };
  }

  /**
   * Every callback query is answered, or the button keeps its loading spinner. For an old button
   * a short notice (a toast, at most 200 characters) says why the bot answers with the current step.
   */
  private async answer(id: string, text: string | undefined, opts: { inResponse?: boolean }): Promise<InResponseCall | undefined> {
    if (opts.inResponse) return text ? { method: 'answerCallbackQuery', callback_query_id: id, text } : { method: 'answerCallbackQuery', callback_query_id: id };
    try {
      await this.deps.api.answerCallbackQuery(id, text ? { text } : undefined);
    } catch (err) {
      // A query older than Telegram keeps (about 15 minutes, or after a redelivery) cannot be
      // answered: the event itself is already handled, so this is not a failure of the update.
      this.deps.logger.debug('answerCallbackQuery failed', { err });
    }
    return undefined;
  }
}
