/**
 * Sends replies with sendMessage. A failure is thrown as a PlatformError classified by Telegram's
 * error_code (never its description): the core's outbox and notifier decide what follows.
 * Whether a person blocked the bot is not kept here: it is stored on the participant by the core
 * (Dispatcher.markUnreachable, or the outbox on a 403), so every instance knows it.
 */
import type { Api } from 'grammy';
import { sendParts, type Metrics, type ConversationRef, type OutboundMessage } from '../../src/core/index.js';
import { toPlatformError } from './api.js';
import { render } from './render.js';

export interface SenderDeps {
  api: Api;
  metrics: Metrics;
}

export class TelegramSender {
  constructor(private readonly deps: SenderDeps) {}

  async send(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    const { api, metrics } = this.deps;
    let payloads;
    try {
      payloads = render(message);
    } catch (err) {
      throw toPlatformError(err);
    }
    // A long text is several messages: after a failure, only the parts not yet sent go again.
    await sendParts(payloads, message.fromPart ?? 0, async (payload) => {
      try {
        // Link previews off: the about text carries three links, and three preview cards would
        // bury the buttons on a small screen.
        await api.sendMessage(ref.chatId, payload.text, { reply_markup: payload.reply_markup, link_preview_options: { is_disabled: true } });
        metrics.inc('messages_sent_total', { platform: 'telegram' });
      } catch (err) {
        metrics.inc('platform_send_errors_total', { platform: 'telegram', kind: 'failed' });
        throw toPlatformError(err);
      }
    });
  }
}
