/**
 * The WhatsApp adapter: the webhook on the project's server, the Cloud API through cloud-api.ts.
 * It knows WhatsApp and nothing of the flow.
 */
import { withinWindow as withinSendingWindow, conversationKey, sendParts, type Adapter, type AdapterCapabilities, type BotCore, type ConversationRef, type Locale, type Logger, type Metrics, type OutboundMessage, type ParticipantRecord, type SendAccepted, type SendContext, type Sleep, type WebhookRoute, LOCALES } from '../../src/core/index.js';
import { boundedBytes, DocumentTooLarge } from '../shared/bounded-body.js';
import { readDocument, type DocumentText } from '../shared/read-document.js';
import { whatsappCapabilities } from './capabilities.js';
import { CloudApi, CloudError, CODES } from './cloud-api.js';
import { templateFor, templateLocales, type WhatsAppConfig } from './config.js';
import { DEFAULT_PACING, type WhatsAppPacing } from './pacing-config.js';
import { SendGate } from './send-gate.js';
import type { MediaRef, Parsed } from './parse.js';
import { onIdentity, onStatus, rememberPhone, type ReceiptsCore, type ReceiptsDeps } from './receipts.js';
import { render } from './render.js';
import { webhookRoute } from './webhook.js';

/** What WhatsApp asks of the core. */
export type WhatsAppCore = Pick<BotCore, 'handle' | 'now' | 'metrics' | 'setInitiationPolicy' | 'texts'> & ReceiptsCore;

export interface WhatsAppDeps {
  config: WhatsAppConfig;
  core: WhatsAppCore;
  /** Keys the pseudonymous conversation keys in logs (the app's ICSSI_SECRET). */
  secret: string;
  logger: Logger;
  /** Injected in tests: the pause between retries. */
  sleep?: Sleep;
  backoffMs?: number;
  /** The number's and the pair's limits, and the pause after 368/190 (pacing-config.ts). */
  pacing?: WhatsAppPacing;
}

/** The template parameter: one line, within Meta's 1,024 characters for a body parameter. */
function asParameter(text: string): string {
  const flat = text.replace(/\s*\n+\s*/g, ' ').replace(/ {4,}/g, ' ').trim();
  return flat.length > 1000 ? `${flat.slice(0, 999)}…` : flat;
}

export class WhatsAppAdapter implements Adapter {
  readonly name = 'whatsapp' as const;
  readonly capabilities: AdapterCapabilities;
  readonly api: CloudApi;
  private readonly metrics: Metrics;
  /** Every message passes it: the account's pause, the person's bucket, the number's second. */
  readonly gate: SendGate;
  private readonly stopping = new AbortController();
  /** Read marks on their way. */
  private readonly marking = new Set<Promise<void>>();

  constructor(private readonly deps: WhatsAppDeps) {
    const { config } = deps;
    this.metrics = deps.core.metrics;
    this.capabilities = whatsappCapabilities(templateLocales(config), config, deps.pacing);
    this.gate = new SendGate(deps.pacing ?? DEFAULT_PACING, deps.logger, () => deps.core.now().getTime());
    this.api = new CloudApi({ token: config.token, apiRoot: config.apiRoot, version: config.version, phoneNumberId: config.phoneNumberId, sleep: deps.sleep, backoffMs: deps.backoffMs, signal: this.stopping.signal, limiter: this.gate.number });
    // Notices (decisions, reminders) for people outside the window are held by the core's
    // Notifier and sent when the person writes again (131047 otherwise).
    const window = this.capabilities.window;
    deps.core.setInitiationPolicy('whatsapp', (p: ParticipantRecord, now: Date) => withinSendingWindow(window, p.lastInboundAt, now));
  }

  /**
   * Replies (the outbox). A part that must wait for the person's pair limit, or for a pause of the
   * account, is handed back at once with its wait: the outbox sends it then, in order.
   */
  send(ref: ConversationRef, message: OutboundMessage): Promise<SendAccepted> {
    return this.sendMessage(ref, message, { reply: true });
  }

  /**
   * Announcements: no retry inside the request; the pacer sends again. Outside the window, the
   * approved template for the person's language goes instead, the announcement as its parameter.
   */
  sendPaced(ref: ConversationRef, message: OutboundMessage, context: SendContext = {}): Promise<SendAccepted> {
    if (context.outsideWindow) return this.sendTemplate(ref, message);
    return this.sendMessage(ref, message, { once: true });
  }

  routes(): WebhookRoute[] {
    const { config, logger } = this.deps;
    return [
      webhookRoute({
        appSecret: config.appSecret, verifyToken: config.verifyToken, now: () => this.deps.core.now(), logger, metrics: this.metrics,
        handle: (item) => this.handle(item),
        status: (item) => onStatus(this.receipts, item),
        identity: (item) => onIdentity(this.receipts, item),
      }),
    ];
  }

  async stop(): Promise<void> {
    await this.settled();
    this.stopping.abort();
  }

  /** BSUIDs ("US.1234…") go as `recipient`; a phone number (digits only) as `to`. */
  private addressOf(ref: ConversationRef): Record<string, string> {
    return /^\d+$/.test(ref.chatId) ? { to: ref.chatId } : { recipient: ref.chatId };
  }

  private async sendMessage(ref: ConversationRef, message: OutboundMessage, opts: { once?: boolean; reply?: boolean }): Promise<SendAccepted> {
    const lng = (LOCALES as readonly string[]).includes(message.lang ?? '') ? (message.lang as Locale) : 'en';
    const listButton = this.deps.core.texts.text('whatsapp:list.button', lng);
    const platformIds: string[] = [];
    await sendParts(render(message, listButton), message.fromPart ?? 0, async (payload) => void platformIds.push(...(await this.post(ref, { ...this.addressOf(ref), recipient_type: 'individual', ...payload }, opts))));
    return { platformIds };
  }

  private async sendTemplate(ref: ConversationRef, message: OutboundMessage): Promise<SendAccepted> {
    const lng = (LOCALES as readonly string[]).includes(message.lang ?? '') ? (message.lang as Locale) : 'en';
    const template = templateFor(this.deps.config, 'announcement', lng);
    // No template for this language: the same refusal WhatsApp would give (131047), so the
    // message is held for when the person writes, not sent free-form.
    if (!template) throw new CloudError('outside-window', null, CODES.outsideWindow);
    const platformIds = await this.post(ref, {
      ...this.addressOf(ref),
      type: 'template',
      template: { name: template.name, language: { code: template.language }, components: [{ type: 'body', parameters: [{ type: 'text', text: asParameter(message.text) }] }] },
    }, { once: true });
    return { platformIds };
  }

  /** The id Meta gave the message (`messages[0].id`, a wamid): a failed status names it later. */
  private async post(ref: ConversationRef, body: Record<string, unknown>, opts: { once?: boolean; reply?: boolean }): Promise<string[]> {
    try {
      // Announcement copies (not replies) give way to replies under the number's limit.
      const answer = await this.gate.message(ref.chatId, opts.reply === true, () => this.api.messages(body, opts.once ? { retries: 0, bulk: opts.reply !== true } : {}));
      this.metrics.inc('messages_sent_total', { platform: 'whatsapp' });
      const id = (Array.isArray(answer.messages) ? (answer.messages[0] as { id?: unknown } | undefined)?.id : undefined);
      return typeof id === 'string' ? [id] : [];
    } catch (err) {
      const failure = err instanceof CloudError ? err : new CloudError('network', null);
      // Waiting for the person's bucket or for the account's pause is no failure: not counted, and
      // said once (the pause's alert, sending-pause.ts), not once per message.
      if (failure.kind === 'paced' || ((failure.kind === 'blocked' || failure.kind === 'auth') && failure.waCode === undefined)) throw failure;
      this.metrics.inc('platform_send_errors_total', { platform: 'whatsapp', kind: failure.kind });
      // 190 and 368 were said to the operator by the gate's pause.
      if (failure.kind !== 'auth' && failure.kind !== 'blocked') this.deps.logger.warn('whatsapp send failed', { chat: this.keyOf(ref.chatId), kind: failure.kind, code: failure.waCode });
      throw failure;
    }
  }

  /**
   * One message, then the core. A document comes with how to fetch it: the core does so only at
   * a step that takes one. A message this call processed is marked read (two blue ticks); a
   * redelivery is not marked again.
   */
  private async handle(item: Extract<Parsed, { type: 'event' }>): Promise<void> {
    let event = item.event;
    const media = item.media;
    if (media && event.kind === 'file') {
      const messageId = event.id;
      event = {
        ...event,
        fetchText: async () => {
          // Reading a document is the one slow step, and a reply follows it: "typing…" (which
          // WhatsApp shows only with a read mark) until the answer comes.
          await this.api.messages({ status: 'read', message_id: messageId, typing_indicator: { type: 'text' } }, { retries: 0 }).catch(() => undefined);
          return this.readMedia(media);
        },
      };
    }
    const result = await this.deps.core.handle(event);
    // The phone beside the BSUID, as a keyed hash: a failed status may name only the phone.
    if (item.phone && result.outcome !== 'duplicate') await rememberPhone(this.receipts, event.conversation.userId, item.phone);
    if (result.outcome === 'processed') {
      // Not awaited: the webhook answers Meta without waiting for the blue ticks.
      const mark = this.api.messages({ status: 'read', message_id: event.id }, { retries: 0 }).then(
        () => undefined,
        (err: unknown) => this.deps.logger.warn('whatsapp mark-read failed', { kind: err instanceof CloudError ? err.kind : 'unknown' }),
      );
      this.marking.add(mark);
      void mark.finally(() => this.marking.delete(mark));
    }
  }

  /** Resolves once every read mark started so far is answered (stop() waits for them). */
  async settled(): Promise<void> {
    await Promise.all([...this.marking]);
  }

  private async readMedia(media: MediaRef): Promise<DocumentText> {
    let read: DocumentText;
    try {
      const res = await this.api.media(media.mediaId);
      if (!res.ok) {
        // The short-lived URL expired, or the media id (kept about 7 days) is gone.
        this.deps.logger.warn('whatsapp media download failed', { status: res.status });
        read = { ok: false, problem: 'unreadable' };
      } else {
        read = await readDocument(await boundedBytes(res), media.fileName, media.mimeType);
      }
    } catch (err) {
      read = err instanceof DocumentTooLarge ? { ok: false, problem: 'too-large' } : { ok: false, problem: 'unreadable' };
      if (!(err instanceof DocumentTooLarge)) this.deps.logger.warn('whatsapp media could not be read', { reason: err instanceof Error ? err.name : 'unknown' });
    }
    this.metrics.inc('documents_total', { platform: 'whatsapp', outcome: read.ok ? 'read' : read.problem });
    return read;
  }

  /** What statuses, changes of id and aliases need (receipts.ts). */
  private get receipts(): ReceiptsDeps {
    return { core: this.deps.core, logger: this.deps.logger, keyOf: (id) => this.keyOf(id) };
  }

  private keyOf(id: string): string {
    return conversationKey(this.deps.secret, { platform: 'whatsapp', chatId: id, userId: id });
  }
}
