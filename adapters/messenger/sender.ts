/**
 * Sends OutboundMessages with the Send API. Replies go as messaging_type RESPONSE; messages the bot
 * starts (`initiated`: a decision, a reminder) as UPDATE — the core only lets those through within
 * the 24-hour window (see adapter.ts). A send that fails for good throws a PlatformError: the
 * dispatcher keeps the reply in its outbox (or the notice as failed) and sends it again later.
 */
import { type Logger, type Metrics, type ConversationRef, type OutboundMessage, sendParts } from '../../src/core/index.js';
import type { GraphClient } from './graph-client.js';
import { GraphError } from './graph-errors.js';
import { titlesOf } from './labels.js';
import { render } from './render.js';

export interface SenderDeps {
  graph: GraphClient;
  logger: Logger;
  metrics: Metrics;
  /** A pseudonymous key for logs: raw PSIDs never reach a log line. */
  keyOf: (psid: string) => string;
}

export class MessengerSender {
  constructor(private readonly deps: SenderDeps) {}

  /** `once`: one request per part, no retry inside (a pacer drives the sends: announcements). */
  async send(ref: ConversationRef, message: OutboundMessage, opts: { once?: boolean } = {}): Promise<void> {
    const { graph, metrics } = this.deps;
    const messagingType = message.initiated ? 'UPDATE' : 'RESPONSE';
    // A long text is several messages: after a failure, only the parts not yet sent go again.
    await sendParts(render(message, titlesOf), message.fromPart ?? 0, async (payload) => {
      try {
        await graph.post('me/messages', { recipient: { id: ref.chatId }, messaging_type: messagingType, message: payload }, opts.once ? { retries: 0 } : {});
        metrics.inc('messages_sent_total', { platform: 'messenger' });
      } catch (err) {
        const failure = err instanceof GraphError ? err : new GraphError('network', { status: null });
        metrics.inc('platform_send_errors_total', { platform: 'messenger', kind: failure.kind });
        this.deps.logger.warn('messenger send failed', { conversation: this.deps.keyOf(ref.chatId), kind: failure.kind, code: failure.graphCode, subcode: failure.graphSubcode });
        throw failure;
      }
    });
  }

  /**
   * "typing…" while the bot reads a file or works on an answer. Awaited, so it cannot arrive
   * after the answer (and linger); but best effort, never retried and briefly bounded: a missing
   * indicator is not worth delaying the answer. Sending a message clears it.
   */
  async typing(psid: string): Promise<void> {
    try {
      await this.deps.graph.post('me/messages', { recipient: { id: psid }, sender_action: 'typing_on' }, { retries: 0, timeoutMs: 3000 });
    } catch (err) {
      this.deps.logger.debug('messenger typing_on failed', { kind: err instanceof GraphError ? err.kind : 'unknown' });
    }
  }
}
