/**
 * The core: every inbound event goes through here. It claims the event id, runs the flow on the
 * stored state, stores the new state, the data effects and the replies in one transaction, and
 * only then sends the replies (an outbox): a crash at any point loses nothing, and a redelivered
 * event changes nothing but gets its undelivered replies sent.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { ContributionRecord, Locale, ParticipantRecord } from '../domain/records.js';
import { step as flowStep } from '../flow/engine.js';
import type { FlowContext, FlowInput } from '../flow/context.js';
import { initialState, parseState, type ConversationState } from '../flow/state.js';
import { choicesFor } from '../flow/prompts.js';
import type { BotStore, DataEffect, LoadedContext } from './ports.js';
import type { ConversationRef, InboundEvent, OutboundMessage, Platform } from './types.js';
import { AppError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import { DEFAULT_VARS, Renderer, type TextVars } from './render.js';
import { localeFromHint } from './locale-hint.js';
import { matchTypedChoice } from './choice-match.js';
import { conversationKey } from './conversation-key.js';
import { Metrics } from './metrics.js';
import { Notifier, type InitiationPolicy } from './notifier.js';
import { submitForm, type ContributionForm, type FormField } from '../flow/form.js';
import { silentLogger, type Logger } from './log.js';

export type Sender = (ref: ConversationRef, message: OutboundMessage) => Promise<void>;

export interface DispatcherDeps {
  store: BotStore;
  i18n: I18n;
  call: CallDefinition;
  /** Secret for the conversation-key hash. */
  secret: string;
  clock?: () => Date;
  random?: () => number;
  logger?: Logger;
  metrics?: Metrics;
}

export type HandleOutcome = 'processed' | 'duplicate' | 'failed-after-store' | 'aborted';

/** What a step computed, ready to commit. `rawState` keeps a stored state that could not be read. */
interface Computed {
  state: ConversationState | null;
  rawState: unknown;
  replies: OutboundMessage[];
  effects: DataEffect[];
  failed: boolean;
}

type EventMeta = Pick<InboundEvent, 'platform' | 'id' | 'conversation' | 'receivedAt'>;

export type FormSubmission =
  | { ok: true; code?: string; duplicate?: boolean }
  /** Translated messages per form field (topic, name, organisation, country, email, text, consent, form). */
  | { ok: false; errors: Partial<Record<FormField, string>> };

/** Listeners hear of data effects after they are stored (organiser alerts, later issues). */
export type EffectListener = (effects: DataEffect[], ref: ConversationRef) => void;

const MAX_ATTEMPTS = 5;

export class Dispatcher {
  readonly renderer: Renderer;
  readonly metrics: Metrics;
  private readonly queue = new KeyedQueue();
  private readonly senders = new Map<Platform, Sender>();
  private readonly vars = new Map<Platform, TextVars>();
  private readonly listeners: EffectListener[] = [];
  private readonly wroteListeners: ((participant: ParticipantRecord) => Promise<unknown>)[] = [];
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly log: Logger;

  readonly notifier: Notifier;

  constructor(readonly deps: DispatcherDeps) {
    this.renderer = new Renderer(deps.i18n, deps.call);
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.log = deps.logger ?? silentLogger;
    this.metrics = deps.metrics ?? new Metrics();
    this.notifier = new Notifier({
      store: deps.store, renderer: this.renderer, clock: this.clock, logger: this.log, metrics: this.metrics,
      sender: (platform) => this.senders.get(platform),
      vars: (platform) => this.varsFor(platform),
    });
  }

  now(): Date {
    return this.clock();
  }

  /** A platform that may not always start a conversation (Messenger's 24-hour window) says when it may. */
  setInitiationPolicy(platform: Platform, policy: InitiationPolicy): void {
    this.notifier.setPolicy(platform, policy);
  }

  /**
   * A whole contribution from a form (Slack's modal), processed once per `eventId` and in order
   * with the person's conversation. On success the receipt is sent like any reply; on failure
   * nothing is stored and the errors come back translated, per field.
   */
  submitForm(input: { platform: Platform; eventId: string; ref: ConversationRef; localeHint?: string; form: ContributionForm }): Promise<FormSubmission> {
    const key = conversationKey(this.deps.secret, input.ref);
    const event = { platform: input.platform, id: input.eventId, conversation: input.ref, receivedAt: this.clock(), localeHint: input.localeHint };
    return this.queue.run(key, async () => {
      let errors: Partial<Record<FormField, string>> | undefined;
      let code: string | undefined;
      const outcome = await this.process(key, event, (loaded) => {
        const { state, ctx, hint } = this.contextFor(loaded, input.localeHint);
        if (!state) {
          // A state written by a newer release: store nothing, and say so on the form.
          errors = { form: this.apology(hint ?? 'en', 'errors.stateUnreadable', input.platform).text };
          return { abort: true as const };
        }
        const lng: Locale = state.locale ?? hint ?? 'en';
        const r = submitForm(state, input.form, ctx);
        if (!r.ok) {
          errors = Object.fromEntries(Object.entries(r.errors).map(([f, reply]) => [f, this.renderer.reply(reply!, lng, this.varsFor(input.platform)).text]));
          return { abort: true as const };
        }
        code = r.code;
        return { state: r.result.state, rawState: undefined, replies: r.result.replies.map((x) => this.renderer.reply(x, lng, this.varsFor(input.platform))), effects: r.result.effects, failed: false };
      });
      if (errors) return { ok: false, errors };
      return outcome === 'duplicate' ? { ok: true, duplicate: true } : { ok: true, code };
    });
  }

  /**
   * How replies reach a platform. `commandPrefix` is how commands are typed there, for texts that
   * name them ("/" by default; Slack's "/icssi ", where `/status` is Slack's own command).
   */
  registerSender(platform: Platform, sender: Sender, options: { commandPrefix?: string } = {}): void {
    this.senders.set(platform, sender);
    if (options.commandPrefix !== undefined) this.vars.set(platform, { ...DEFAULT_VARS, p: options.commandPrefix });
  }

  private varsFor(platform: Platform): TextVars {
    return this.vars.get(platform) ?? DEFAULT_VARS;
  }

  /** Hears that a participant wrote (after their event is stored): held announcements go then. */
  onParticipantWrote(listener: (participant: ParticipantRecord) => Promise<unknown>): void {
    this.wroteListeners.push(listener);
  }

  onEffects(listener: EffectListener): void {
    this.listeners.push(listener);
  }

  /**
   * Processes one event, in order with the other events of its conversation. Rejects with
   * AppError STORAGE_UNAVAILABLE when the event could not be stored (webhooks answer 503 then,
   * so the platform delivers it again).
   */
  handle(event: InboundEvent): Promise<HandleOutcome> {
    const key = conversationKey(this.deps.secret, event.conversation);
    return this.queue.run(key, () => this.process(key, event, (loaded) => this.runFlow(loaded, event)));
  }

  /** The person's record, language and contributions to this call (Slack's App Home and the like). */
  async participantView(ref: ConversationRef): Promise<{ locale: Locale; participant: ParticipantRecord | null; contributions: ContributionRecord[] }> {
    const loaded = await this.load(conversationKey(this.deps.secret, ref), ref);
    const parsed = parseState(loaded.conversation?.state ?? null);
    const locale = (parsed.ok ? parsed.state.locale : null) ?? loaded.participant?.locale ?? 'en';
    return { locale, participant: loaded.participant, contributions: loaded.contributions.filter((c) => c.callId === this.deps.call.id) };
  }

  /**
   * Erases a person at a platform's request (Meta's data-deletion callback) exactly as /delete
   * does. Addressed by user id: their private conversation is keyed by it. Processed once per
   * eventId. 'unknown' when nothing was stored about them.
   */
  async eraseParticipant(input: { platform: Platform; userId: string; eventId: string }): Promise<'erased' | 'duplicate' | 'unknown'> {
    const ref: ConversationRef = { platform: input.platform, chatId: input.userId, userId: input.userId };
    const key = conversationKey(this.deps.secret, ref);
    const event = { platform: input.platform, id: input.eventId, conversation: ref, receivedAt: this.clock() };
    return this.queue.run(key, async () => {
      const outcome = await this.process(key, event, (loaded) =>
        loaded.participant
          ? { state: initialState(), rawState: undefined, replies: [], effects: [{ type: 'participant.erase', at: this.clock() }], failed: false }
          : { abort: true as const },
      );
      return outcome === 'aborted' ? 'unknown' : outcome === 'duplicate' ? 'duplicate' : 'erased';
    });
  }

  /** Waits for the events in progress (shutdown). */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Sends replies that were stored but not delivered (after a crash or a failed send). */
  async flushPending(limit = 500): Promise<number> {
    let sent = 0;
    for (const p of await this.deps.store.listPending(limit)) {
      await this.queue.run(p.conversationKey, async () => {
        if (await this.deliver(p.conversationKey, p.ref, p.version, p.pending)) sent++;
      });
    }
    return sent;
  }

  /**
   * Load → compute → commit (event claim, state, effects and replies in one transaction) → send.
   * A version conflict or a colliding receipt code computes again from fresh data.
   */
  private async process(key: string, event: EventMeta, compute: (loaded: LoadedContext) => Computed | { abort: true }): Promise<HandleOutcome> {
    const started = performance.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const loaded = await this.load(key, event.conversation);
      const computed = compute(loaded);
      if ('abort' in computed) return 'aborted';
      const { state, replies, effects, failed, rawState } = computed;
      // Replies an earlier step could not deliver go out first, in order: a new step must not
      // overwrite them in the outbox.
      const outbox = [...(loaded.conversation?.pending ?? []), ...replies];
      const result = await this.deps.store
        .commit({
          event: { platform: event.platform, id: event.id },
          conversationKey: key,
          ref: event.conversation,
          expectedVersion: loaded.conversation?.version ?? null,
          state: rawState ?? state,
          pending: outbox,
          effects,
          receivedAt: event.receivedAt,
        })
        .catch((err: unknown) => {
          throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', 'could not store the event', { cause: err });
        });
      if (result.status === 'conflict' || result.status === 'code-taken') {
        this.metrics.inc(`retries_${result.status.replace('-', '_')}_total`);
        continue;
      }
      if (result.status === 'duplicate') {
        this.metrics.inc('events_duplicate_total');
        const pending = loaded.conversation?.pending ?? [];
        if (pending.length > 0) await this.deliver(key, event.conversation, loaded.conversation!.version, pending);
        return 'duplicate';
      }
      this.metrics.inc('events_processed_total');
      await this.deliver(key, event.conversation, result.version, outbox);
      if (effects.length > 0) for (const l of this.listeners) l(effects, event.conversation);
      // The person just wrote: what was held for them (a platform window) or failed before goes now.
      if (loaded.participant) {
        await this.notifier.releaseHeld(loaded.participant).catch((err: unknown) => this.log.warn('held notices not sent', { err }));
        for (const l of this.wroteListeners) await l(loaded.participant).catch((err: unknown) => this.log.warn('participant listener failed', { err }));
      }
      this.log.debug('event processed', { platform: event.platform, conversation: key, ms: Math.round(performance.now() - started) });
      return failed ? 'failed-after-store' : 'processed';
    }
    throw new AppError('STATE_CONFLICT', `gave up after ${MAX_ATTEMPTS} attempts`);
  }

  private async load(key: string, ref: ConversationRef): Promise<LoadedContext> {
    try {
      return await this.deps.store.load(key, ref);
    } catch (err) {
      throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', 'could not read the conversation', { cause: err });
    }
  }

  /** The stored state (null when unreadable) and what the flow is given besides. */
  private contextFor(loaded: LoadedContext, localeHint: string | undefined) {
    const hint = localeFromHint(localeHint);
    const parsed = parseState(loaded.conversation?.state ?? null);
    const ctx: FlowContext = {
      now: this.clock(),
      call: this.deps.call,
      participant: loaded.participant,
      contributions: loaded.contributions.filter((c) => c.callId === this.deps.call.id),
      random: this.random,
      localeHint: hint,
    };
    if (!parsed.ok) this.log.warn('conversation state unreadable', { reason: parsed.reason });
    return { state: parsed.ok ? parsed.state : null, ctx, hint };
  }

  /** Runs the flow; a bug in it becomes a translated apology and the state stays as it was. */
  private runFlow(loaded: LoadedContext, event: InboundEvent): Computed {
    const { state, ctx, hint } = this.contextFor(loaded, event.localeHint);
    if (!state) {
      // Never overwrite a state we cannot read (a newer release wrote it): keep it as stored.
      return { state: null, rawState: loaded.conversation?.state, replies: [this.apology(hint ?? 'en', 'errors.stateUnreadable', event.platform)], effects: [], failed: true };
    }
    try {
      const input = this.toFlowInput(event, state, ctx);
      const out = flowStep(state, input, ctx);
      const lng: Locale = out.state.locale ?? hint ?? 'en';
      return { state: out.state, rawState: undefined, replies: out.replies.map((r) => this.renderer.reply(r, lng, this.varsFor(event.platform))), effects: out.effects, failed: false };
    } catch (err) {
      this.metrics.inc('flow_errors_total');
      this.log.error('flow failed', { err, step: state.step });
      return { state, rawState: undefined, replies: [this.apology(state.locale ?? hint ?? 'en', 'errors.apology', event.platform)], effects: [], failed: true };
    }
  }

  private apology(lng: Locale, key: string, platform: Platform): OutboundMessage {
    return { text: this.renderer.text(key, lng, undefined, this.varsFor(platform)), dir: this.renderer.dir(lng) };
  }

  private toFlowInput(event: InboundEvent, state: ConversationState, ctx: FlowContext): FlowInput {
    switch (event.kind) {
      case 'command':
        return { kind: 'command', command: event.command.toLowerCase(), args: event.args };
      case 'choice':
        return { kind: 'choice', id: event.choice };
      case 'file':
        return { kind: 'file', media: event.media, fileName: event.fileName, text: event.text, problem: event.problem };
      case 'edit':
        return { kind: 'edit' };
      case 'message': {
        const lng = state.locale ?? ctx.localeHint ?? 'en';
        const rendered = choicesFor(state, ctx).map((c) => this.renderer.choice(c, lng, this.varsFor(event.platform)));
        const id = state.greeted ? matchTypedChoice(event.text, rendered) : null;
        return id ? { kind: 'choice', id } : { kind: 'text', text: event.text };
      }
    }
  }

  /** Sends stored replies in order; forgets them once all went out. False if a send failed. */
  private async deliver(key: string, ref: ConversationRef, version: number, messages: OutboundMessage[]): Promise<boolean> {
    const sender = this.senders.get(ref.platform);
    if (!sender) {
      this.log.error('no sender for platform', { platform: ref.platform });
      return false;
    }
    try {
      for (const m of messages) await sender(ref, m);
    } catch (err) {
      // Kept in the outbox: flushPending or the next redelivery sends it again.
      this.metrics.inc('send_failures_total');
      this.log.warn('send failed; replies kept for a retry', { platform: ref.platform, conversation: key, err });
      return false;
    }
    await this.deps.store.clearPending(key, version).catch((err: unknown) => this.log.warn('could not clear pending replies', { err }));
    return true;
  }
}
