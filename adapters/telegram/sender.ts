/**
 * Sends replies with sendMessage, and remembers the chats that blocked the bot so nothing more is
 * attempted there until the person comes back. A send that fails for good throws: the dispatcher
 * keeps the reply in its outbox.
 */
import type { Api } from 'grammy';
import type { Logger } from '../../src/core/log.js';
import type { Metrics } from '../../src/core/metrics.js';
import type { ConversationRef, OutboundMessage } from '../../src/core/types.js';
import { isForbidden, toPlatformError } from './api.js';
import { render } from './render.js';

/** Chats whose person blocked the bot (my_chat_member "kicked", or a 403 on send). */
export class BlockedChats {
  private readonly chats = new Set<string>();

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    /** A pseudonymous key for logs: raw Telegram ids never reach a log line. */
    private readonly keyOf: (chatId: string) => string,
  ) {}

  block(chatId: string, why: 'kicked' | 'forbidden'): void {
    if (this.chats.has(chatId)) return;
    this.chats.add(chatId);
    this.metrics.inc('chat_reachability_changes_total', { platform: 'telegram', to: 'blocked' });
    this.logger.info('telegram chat blocked the bot; no more sends there', { conversation: this.keyOf(chatId), why });
  }

  unblock(chatId: string): void {
    if (this.chats.delete(chatId)) {
      this.metrics.inc('chat_reachability_changes_total', { platform: 'telegram', to: 'reachable' });
      this.logger.info('telegram chat reachable again', { conversation: this.keyOf(chatId) });
    }
  }

  has(chatId: string): boolean {
    return this.chats.has(chatId);
  }
}

export interface SenderDeps {
  api: Api;
  blocked: BlockedChats;
  logger: Logger;
  metrics: Metrics;
  keyOf: (chatId: string) => string;
  /** Hears every reply before it goes out (the old-button notice looks at their keys). */
  onReply?: (ref: ConversationRef, message: OutboundMessage) => void;
}

export class TelegramSender {
  constructor(private readonly deps: SenderDeps) {}

  async send(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    const { api, blocked, logger, metrics } = this.deps;
    this.deps.onReply?.(ref, message);
    if (blocked.has(ref.chatId)) {
      // Sending would only earn a 403 (and, repeated, Telegram's attention): the person has
      // blocked the bot and will not see it. Counted, logged, not retried.
      metrics.inc('sends_skipped_total', { platform: 'telegram', reason: 'blocked' });
      logger.info('reply not sent: the chat blocked the bot', { conversation: this.deps.keyOf(ref.chatId) });
      return;
    }
    for (const payload of render(message)) {
      try {
        // Link previews off: the about text carries three links, and three preview cards would
        // bury the buttons on a small screen.
        await api.sendMessage(ref.chatId, payload.text, { reply_markup: payload.reply_markup, link_preview_options: { is_disabled: true } });
        metrics.inc('messages_sent_total', { platform: 'telegram' });
      } catch (err) {
        if (isForbidden(err)) {
          blocked.block(ref.chatId, 'forbidden');
          return;
        }
        const failure = toPlatformError(err);
        metrics.inc('platform_send_errors_total', { platform: 'telegram', kind: 'failed' });
        throw failure;
      }
    }
  }
}
