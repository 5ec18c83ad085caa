/**
 * The core: every inbound event goes through here. It claims the event id, runs the flow on the
 * stored state, stores the new state, the data effects and the replies in one transaction, and
 * only then sends the replies (an outbox): a crash at any point loses nothing, and a redelivered
 * event changes nothing but gets its undelivered replies sent.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale, ParticipantRecord } from '../domain/records.js';
import { step as flowStep, takesFile } from '../flow/engine.js';
import type { FlowContext, FlowInput } from '../flow/context.js';
import { initialState, parseState, type ConversationState } from '../flow/state.js';
import type { BotStore, DataEffect, DispatcherStore, LoadedContext, PlatformPost, PostStore, ReviewStore, DecisionResult } from './ports.js';
import type { ConversationRef, InboundEvent, OutboundMessage, Platform } from './types.js';
import { AppError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import { DEFAULT_VARS, Renderer, type TextVars } from './render.js';
import { localeFromHint } from './locale-hint.js';
import { conversationKey, eventClaim } from './conversation-key.js';
import { Metrics } from './metrics.js';
import { Notifier, type InitiationPolicy, type NoticeResult } from './notifier.js';
import { submitForm, type FormField } from '../flow/form.js';
import type { Reply } from '../flow/replies.js';
import { silentLogger, withErrorContext, withLogContext, type Logger } from './log.js';
import { Outbox, type OutboxPolicy, type Sender } from './outbox.js';
import { OutboxWakes } from './outbox-wakes.js';
import { HolderView } from './lease-holders.js';
import { Identities } from './identities.js';
import type { IdChange } from './ports.js';
import { Receipts, type AcceptedSend, type DeliveryFailure } from './receipts.js';
import type {
  BotCore, Composer, ContributionWithAuthor, CoreTexts, DecisionInput, EffectListener, ErasureInput, ErasureOutcome, FormInput, FormSubmission,
  HandleOutcome, HandleResult, OrganiserCore, ParticipantView, PostInput,
} from './bot-core.js';

export type { Sender } from './outbox.js';
// Declared with the interfaces the Dispatcher implements (bot-core.ts); re-exported for its other users.
export type { EffectListener, FormSubmission, HandleOutcome, HandleResult } from './bot-core.js';

/** `store`: the dispatcher uses its DispatcherStore part (with the outbox and the notifier it builds). */
export interface DispatcherDeps<S extends DispatcherStore = DispatcherStore> {
  store: S;
  i18n: I18n;
  call: CallDefinition;
  /** Secret for the conversation-key hash. */
  secret: string;
  clock?: () => Date;
  random?: () => number;
  logger?: Logger;
  metrics?: Metrics;
  /** Lease, retry cap and backoff of the outbox (src/core/outbox.ts); defaults there. */
  outbox?: Partial<OutboxPolicy>;
  /** Silent for longer than this, another process's leases are taken over (lease-holders.ts). */
  holderDeadAfterMs?: number;
}

/** What a step computed, ready to commit. `rawState` keeps a stored state that could not be read. */
interface Computed {
  state: ConversationState | null;
  rawState: unknown;
  replies: OutboundMessage[];
  effects: DataEffect[];
  failed: boolean;
  /** The flow answered a button the step does not offer (HandleResult.stale). */
  stale?: { lng: Locale };
}

type EventMeta = Pick<InboundEvent, 'platform' | 'id' | 'conversation' | 'receivedAt'>;

const MAX_ATTEMPTS = 5;

/** The store the core's operations need: the conversation's ports, and review and posts for OrganiserCore. */
export type CoreStore = DispatcherStore & ReviewStore & PostStore;

/**
 * S is the store the dispatcher was given (the app's: a BotStore). The conversation uses its
 * DispatcherStore part; the organisers' operations (OrganiserCore) its review and post ports.
 */
export class Dispatcher<S extends CoreStore = BotStore> implements BotCore, OrganiserCore {
  readonly renderer: Renderer;
  readonly metrics: Metrics;
  readonly texts: CoreTexts;
  private readonly queue = new KeyedQueue();
  private readonly senders = new Map<Platform, Sender>();
  private readonly vars = new Map<Platform, TextVars>();
  private readonly listeners: EffectListener[] = [];
  private readonly composers = new Map<Platform, Composer>();
  private readonly wroteListeners: ((participant: ParticipantRecord) => Promise<unknown>)[] = [];
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly log: Logger;

  readonly notifier: Notifier;
  readonly outbox: Outbox;
  private readonly identities: Identities;
  /** Replies told to wait a little are sent when the wait ends (outbox-wakes.ts). */
  private readonly wakes: OutboxWakes;
  readonly receipts: Receipts;

  constructor(readonly deps: DispatcherDeps<S>) {
    this.renderer = new Renderer(deps.i18n, deps.call);
    const { renderer } = this;
    this.texts = {
      text: renderer.text.bind(renderer),
      dir: renderer.dir.bind(renderer),
      formatTime: renderer.formatTime.bind(renderer),
      fixedT: (lng) => deps.i18n.getFixedT(lng),
    };
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.log = deps.logger ?? silentLogger;
    this.metrics = deps.metrics ?? new Metrics();
    this.receipts = new Receipts({ store: deps.store, secret: deps.secret, clock: this.clock, logger: this.log, metrics: this.metrics });
    this.notifier = new Notifier({
      store: deps.store, renderer: this.renderer, clock: this.clock, logger: this.log, metrics: this.metrics,
      sender: (platform) => this.senders.get(platform),
      onAccepted: (sent) => this.receipts.remember(sent),
      vars: (platform) => this.varsFor(platform),
      onUnreachable: (ref, reason) => this.storeUnreachable(ref, reason),
    });
    this.outbox = new Outbox({
      store: deps.store, clock: this.clock, metrics: this.metrics, logger: this.log, policy: deps.outbox,
      holders: new HolderView(this.clock, deps.holderDeadAfterMs),
      sender: (platform) => this.senders.get(platform),
      onUnreachable: (ref, reason) => this.storeUnreachable(ref, reason),
      wake: (key, at) => this.wakes.schedule(key, at),
    });
    this.wakes = new OutboxWakes({
      clock: this.clock, logger: this.log,
      // In the conversation's queue, after what runs there; the backoffs of real failures hold.
      run: (key) => this.queue.run(key, () => withLogContext({ conversation: key }, () => this.outbox.flush(key, { backoff: true }))),
    });
    this.identities = new Identities({ store: deps.store, secret: deps.secret, queue: this.queue, clock: this.clock, logger: this.log, metrics: this.metrics });
    // An erased person's alias went with them (the store deletes it): linked afresh if they come back.
    this.listeners.push((effects, ref) => {
      if (effects.some((e) => e.type === 'participant.erase')) this.identities.forget(ref);
    });
  }

  // Receipts, aliases and changes of id (src/core/identities.ts).

  onceForEvent(platform: Platform, eventId: string, run: () => Promise<void>): Promise<boolean> {
    return this.identities.onceForEvent(platform, eventId, run);
  }

  rememberAlias(ref: ConversationRef, alias: string): Promise<void> {
    return this.identities.rememberAlias(ref, alias);
  }

  userIdByAlias(platform: Platform, alias: string): Promise<string | null> {
    return this.identities.userIdByAlias(platform, alias);
  }

  changeUserId(platform: Platform, from: string, to: string): Promise<IdChange> {
    return this.identities.changeUserId(platform, from, to);
  }

  /**
   * The platform told us this person cannot be reached (Telegram's my_chat_member "kicked": they
   * blocked the bot). Stored on the participant, so every instance and the CLI hold messages the
   * bot starts for them (see Notifier), and their undelivered replies are dead-lettered instead of
   * being retried. Cleared by the commit of their next message, or by `markReachable`.
   */
  markUnreachable(ref: ConversationRef, reason: string): Promise<void> {
    const key = conversationKey(this.deps.secret, ref);
    return this.queue.run(key, async () => {
      await this.storeUnreachable(ref, reason);
      await this.outbox.abandon(key, ref, reason);
    });
  }

  /** The platform told us the person can be reached again (Telegram: unblocked the bot). */
  markReachable(ref: ConversationRef): Promise<void> {
    const key = conversationKey(this.deps.secret, ref);
    return this.queue.run(key, async () => {
      await this.deps.store.setUnreachable({ platform: ref.platform, userId: ref.userId, reason: null, at: this.clock() });
    });
  }

  /**
   * The platform reports that a message it had accepted was not delivered (a failed delivery
   * receipt): a notice it had counted sent is held again (sent when the person next writes), an
   * announcement copy counted unreachable; a reply is only counted (src/core/receipts.ts).
   */
  async deliveryFailed(input: DeliveryFailure): Promise<void> {
    await this.receipts.failed(input).catch((err: unknown) => {
      throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', 'could not read the send receipts', { cause: err });
    });
  }

  /** Keeps the receipt of an announcement copy the platform accepted (the announcements' sender calls it). */
  rememberSent(sent: AcceptedSend): Promise<void> {
    return this.receipts.remember(sent);
  }

  private async storeUnreachable(ref: ConversationRef, reason: string): Promise<void> {
    if (await this.deps.store.setUnreachable({ platform: ref.platform, userId: ref.userId, reason, at: this.clock() })) {
      this.metrics.inc('participants_marked_unreachable_total', { platform: ref.platform });
    }
  }

  now(): Date {
    return this.clock();
  }

  get call(): CallDefinition {
    return this.deps.call;
  }

  /**
   * A platform that shows some replies better together (Messenger: the greeting and the first
   * question as one message) rewrites a step's replies before they are stored in the outbox.
   */
  setComposer(platform: Platform, compose: Composer): void {
    this.composers.set(platform, compose);
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
  submitForm(input: FormInput): Promise<FormSubmission> {
    const key = conversationKey(this.deps.secret, input.ref);
    const event = { platform: input.platform, id: input.eventId, conversation: input.ref, receivedAt: this.clock(), localeHint: input.localeHint };
    return this.queue.run(key, async () => {
      let errors: Partial<Record<FormField, string>> | undefined;
      let code: string | undefined;
      const outcome = await this.process(key, event, (loaded) => {
        const { state, ctx, hint } = this.contextFor(loaded, input.localeHint, input.platform);
        if (!state) {
          // A state written by a newer release: store nothing, and say so on the form.
          errors = { form: this.apology(hint ?? 'en', 'errors.stateUnreadable', input.platform).text };
          return { abort: true as const };
        }
        const lng: Locale = state.locale ?? hint ?? 'en';
        const r = submitForm(state, input.form, ctx);
        if (!r.ok) {
          // A form has no "Skip" button and no "My contribution" menu: a platform may word an
          // error for its form (`<platform>:form.<key>`, e.g. slack:form.submit.emailInvalid).
          const worded = (reply: NonNullable<(typeof r.errors)[FormField]>) => {
            const own = `${input.platform}:form.${reply.key}`;
            return this.deps.i18n.exists(own, { lng }) ? { ...reply, key: own } : reply;
          };
          errors = Object.fromEntries(Object.entries(r.errors).map(([f, reply]) => [f, this.renderer.reply(worded(reply!), lng, this.varsFor(input.platform)).text]));
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

  /**
   * Hears that a participant wrote (after their event is stored) while something waits for them
   * (LoadedContext.noticesWaiting; always, for a store that does not say): held announcements go then.
   */
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
  handle(received: InboundEvent): Promise<HandleResult> {
    const key = conversationKey(this.deps.secret, received.conversation);
    return this.queue.run(key, async () => {
      const event = received.kind === 'file' && received.fetchText ? await this.withDocument(key, received) : received;
      // A conflict computes again: what the last computation said is what was stored.
      let stale: Computed['stale'];
      const outcome = await this.process(key, event, (loaded) => {
        const computed = this.runFlow(loaded, event);
        const waiting = loaded.conversation?.pending ?? [];
        if (computed.stale && waiting.length > 0) {
          // A button pressed again (or an older one) while the replies of the step it led to have
          // not reached the person yet (slow, or held by a process that died): they are what the
          // person waits for, so they are sent, not an "earlier message" notice that would go
          // before them. Nothing else changes.
          stale = undefined;
          return { state: null, rawState: loaded.conversation!.state, replies: [], effects: [], failed: false };
        }
        stale = computed.stale;
        return computed;
      });
      return outcome === 'processed' && stale ? { outcome, stale } : { outcome };
    });
  }

  /**
   * A document is fetched (downloaded and read) only when the conversation is at a step that
   * takes one, and never for an event processed before (a redelivery: its commit will find it a
   * duplicate). Otherwise the flow answers without its text ("files only while you write").
   * Runs in the conversation's queue: its state cannot move between this look and the step.
   */
  private async withDocument(key: string, event: Extract<InboundEvent, { kind: 'file' }>): Promise<InboundEvent> {
    const { fetchText, ...rest } = event;
    const claimed = { platform: event.platform, id: eventClaim(this.deps.secret, event.platform, event.id) };
    const seen = await this.deps.store.eventProcessed(claimed).catch((err: unknown) => {
      throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', 'could not read the event claims', { cause: err });
    });
    if (seen || !fetchText) return rest;
    const parsed = parseState((await this.load(key, event.conversation)).conversation?.state ?? null);
    if (!parsed.ok || !takesFile(parsed.state, event.media)) return rest;
    const read = await fetchText();
    return read.ok ? { ...rest, text: read.text } : { ...rest, problem: read.problem };
  }

  /**
   * The person's record, language and contributions to this call (Slack's App Home and the like),
   * and whether a conversation with them is stored (`started`: Slack welcomes only newcomers).
   */
  async participantView(ref: ConversationRef): Promise<ParticipantView> {
    const loaded = await this.load(conversationKey(this.deps.secret, ref), ref);
    const parsed = parseState(loaded.conversation?.state ?? null);
    const locale = (parsed.ok ? parsed.state.locale : null) ?? loaded.participant?.locale ?? 'en';
    return { locale, participant: loaded.participant, contributions: loaded.contributions.filter((c) => c.callId === this.deps.call.id), started: loaded.conversation !== null };
  }

  /**
   * Erases a person at a platform's request (Meta's data-deletion callback) exactly as /delete
   * does. Addressed by user id: their private conversation is keyed by it. Processed once per
   * eventId. 'unknown' when nothing was stored about them.
   */
  async eraseParticipant(input: ErasureInput): Promise<ErasureOutcome> {
    const ref: ConversationRef = { platform: input.platform, chatId: input.userId, userId: input.userId };
    const key = conversationKey(this.deps.secret, ref);
    const event = { platform: input.platform, id: input.eventId, conversation: ref, receivedAt: this.clock() };
    return this.queue.run(key, async () => {
      const outcome = await this.process(key, event, (loaded) =>
        // A conversation alone (someone who never agreed) is erased too: its undelivered replies
        // keep the person's platform id.
        loaded.participant || loaded.conversation
          ? { state: initialState(), rawState: undefined, replies: [], effects: [{ type: 'participant.erase', at: this.clock() }], failed: false }
          : { abort: true as const },
      );
      return outcome === 'aborted' ? 'unknown' : outcome === 'duplicate' ? 'duplicate' : 'erased';
    });
  }

  // OrganiserCore: the organisers' operations, over the store's review and post ports.

  contribution(code: string): Promise<ContributionWithAuthor | null> {
    return this.deps.store.getContribution(code);
  }

  recordDecision(input: DecisionInput): Promise<DecisionResult> {
    return this.deps.store.recordDecision(input);
  }

  notifyAuthor(participantId: string, notice: Reply): Promise<NoticeResult> {
    return this.notifier.notifyDetailed(participantId, notice);
  }

  rememberPost(input: PostInput): Promise<void> {
    return this.deps.store.recordPost({ ...input, at: this.clock() });
  }

  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]> {
    return this.deps.store.postsToRedact(platform, limit);
  }

  forgetPost(id: string): Promise<void> {
    return this.deps.store.forgetPost(id);
  }

  /** Waits for the events in progress (shutdown); replies waiting for a wake go with the next start's flush. */
  drain(): Promise<void> {
    this.wakes.cancelAll();
    return this.queue.drain();
  }

  /**
   * Sends replies that were stored but not delivered (after a crash or a failed send): at start
   * and every 30 s. Each conversation's outbox is re-read inside its queue, after the events in
   * progress there: what they delivered is not sent again. Returns how many conversations had
   * all they were due delivered. `takeOver`: this is the only process (the console at start), so
   * leases of a process that died are not waited for, nor backoffs.
   */
  async flushPending(limit = 500, opts: { takeOver?: boolean } = {}): Promise<number> {
    let sent = 0;
    // Taking over (the console, the only process there can be): replies a killed session had
    // leased go now instead of after their lease. The end of year 9999, not the largest Date:
    // SQLite compares the stored times as ISO text, and "+275760-…" sorts before "2026-…".
    const by = opts.takeOver ? new Date('9999-12-31T23:59:59.999Z') : this.clock();
    for (const key of await this.deps.store.listDue(by, limit)) {
      await this.queue.run(key, () =>
        withLogContext({ conversation: key }, async () => {
          if (await this.outbox.flush(key, { backoff: !opts.takeOver, takeOver: opts.takeOver })) sent++;
        }),
      );
    }
    return sent;
  }

  /**
   * Sends what these conversations hold, leases of holders that stopped beating included (the
   * lease keeper, src/core/lease-holders.ts), each in its conversation's queue and in order.
   */
  async takeOver(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.queue.run(key, () =>
        withLogContext({ conversation: key }, () => this.outbox.flush(key, { backoff: false })).catch((err: unknown) => this.log.warn('taking over replies failed', { conversation: key, err })),
      );
    }
  }

  /**
   * Load → compute → commit (event claim, state, effects and replies in one transaction) → send.
   * A version conflict or a colliding receipt code computes again from fresh data.
   */
  private process(key: string, event: EventMeta, compute: (loaded: LoadedContext) => Computed | { abort: true }): Promise<HandleOutcome> {
    // Every line logged for this event (here, in the notifier and in the platform's sender) says
    // which platform, event and conversation it belongs to. The event as its keyed hash, the one
    // stored as its claim: some ids name the person (Messenger's `<PSID>:…:referral:…`,
    // `data-deletion:<PSID>:…`), and the claim still finds the event's lines.
    return withLogContext({ platform: event.platform, eventId: eventClaim(this.deps.secret, event.platform, event.id), conversation: key }, () =>
      this.timed(key, event, compute).catch((err: unknown) => {
        throw withErrorContext(err);
      }),
    );
  }

  /** process(), measured: the event-handling histogram, by platform and outcome. */
  private async timed(key: string, event: EventMeta, compute: (loaded: LoadedContext) => Computed | { abort: true }): Promise<HandleOutcome> {
    const started = performance.now();
    let outcome: HandleOutcome | 'error' = 'error';
    try {
      outcome = await this.attempts(key, event, compute);
      return outcome;
    } finally {
      this.metrics.observe('event_handling_seconds', { platform: event.platform, outcome }, (performance.now() - started) / 1000);
    }
  }

  private async attempts(key: string, event: EventMeta, compute: (loaded: LoadedContext) => Computed | { abort: true }): Promise<HandleOutcome> {
    const started = performance.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const loaded = await this.load(key, event.conversation);
      const computed = compute(loaded);
      if ('abort' in computed) return 'aborted';
      const { state, replies, effects, failed, rawState } = computed;
      // Replies an earlier step could not deliver go out first, in order: a new step must not
      // overwrite them in the outbox. The person just wrote, so their backoff is not waited; a
      // reply another process is sending (its lease) is left to it.
      const outbox = this.outbox.claim(loaded.conversation?.pending ?? [], replies, { backoff: false });
      const result = await this.deps.store
        .commit({
          // Claimed as a keyed hash: no stored claim names the person (conversation-key.ts).
          event: { platform: event.platform, id: eventClaim(this.deps.secret, event.platform, event.id) },
          conversationKey: key,
          ref: event.conversation,
          expectedVersion: loaded.conversation?.version ?? null,
          state: rawState ?? state,
          pending: outbox.pending,
          dueAt: outbox.dueAt,
          effects,
          receivedAt: event.receivedAt,
        })
        .catch((err: unknown) => {
          throw err instanceof AppError ? err : new AppError('STORAGE_UNAVAILABLE', 'could not store the event', { cause: err });
        });
      if (result.status === 'conflict' || result.status === 'code-taken') {
        this.metrics.inc('commit_retries_total', { reason: result.status });
        continue;
      }
      if (result.status === 'duplicate') {
        // Processed before — here after a crash, or right now by another instance. Only what is
        // stored now and leased by nobody is sent (never what this process computed and did
        // not commit, nor what the other instance is sending).
        this.metrics.inc('events_total', { platform: event.platform, outcome: 'duplicate' });
        await this.outbox.flush(key, { backoff: false });
        return 'duplicate';
      }
      this.metrics.inc('events_total', { platform: event.platform, outcome: 'processed' });
      await this.outbox.deliver(key, event.conversation, result.version, outbox.pending, outbox.claimed);
      if (effects.length > 0) for (const l of this.listeners) l(effects, event.conversation);
      // The person just wrote: what was held for them (a platform window) or failed before goes now.
      // The load says whether anything waits for them (notices, held announcement copies): the
      // queries that would find it are saved per message when nothing does.
      if (loaded.participant && loaded.noticesWaiting !== false) {
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
  private contextFor(loaded: LoadedContext, localeHint: string | undefined, platform: Platform) {
    const hint = localeFromHint(localeHint);
    const parsed = parseState(loaded.conversation?.state ?? null);
    const ctx: FlowContext = {
      now: this.clock(),
      call: this.deps.call,
      participant: loaded.participant,
      contributions: loaded.contributions.filter((c) => c.callId === this.deps.call.id),
      random: this.random,
      localeHint: hint,
      // Labels as the person's platform shows them (its command prefix): typed words are read
      // against them by the flow (src/flow/choice-match.ts).
      label: (c, lng) => this.renderer.text(c.key, lng, c.params, this.varsFor(platform)),
    };
    if (!parsed.ok) this.log.warn('conversation state unreadable', { reason: parsed.reason });
    return { state: parsed.ok ? parsed.state : null, ctx, hint };
  }

  /** Runs the flow; a bug in it becomes a translated apology and the state stays as it was. */
  private runFlow(loaded: LoadedContext, event: InboundEvent): Computed {
    const { state, ctx, hint } = this.contextFor(loaded, event.localeHint, event.platform);
    if (!state) {
      // Never overwrite a state we cannot read (a newer release wrote it): keep it as stored.
      return { state: null, rawState: loaded.conversation?.state, replies: [this.apology(hint ?? 'en', 'errors.stateUnreadable', event.platform)], effects: [], failed: true };
    }
    try {
      const out = flowStep(state, toFlowInput(event), ctx);
      const lng: Locale = out.state.locale ?? hint ?? 'en';
      const rendered = out.replies.map((r) => this.renderer.reply(r, lng, this.varsFor(event.platform)));
      const compose = this.composers.get(event.platform);
      return {
        state: out.state, rawState: undefined, replies: compose ? compose(rendered) : rendered, effects: out.effects, failed: false,
        ...(out.stale ? { stale: { lng } } : {}),
      };
    } catch (err) {
      this.metrics.inc('flow_errors_total', { platform: event.platform });
      this.log.error('flow failed', { err, step: state.step });
      return { state, rawState: undefined, replies: [this.apology(state.locale ?? hint ?? 'en', 'errors.apology', event.platform)], effects: [], failed: true };
    }
  }

  private apology(lng: Locale, key: string, platform: Platform): OutboundMessage {
    return { text: this.renderer.text(key, lng, undefined, this.varsFor(platform)), dir: this.renderer.dir(lng) };
  }
}

/**
 * A platform event as the flow sees it. A plain mapping: reading typed words as choices, and an
 * unknown button by its visible text, is the flow's (src/flow/choice-match.ts).
 */
function toFlowInput(event: InboundEvent): FlowInput {
  switch (event.kind) {
    case 'command':
      return { kind: 'command', command: event.command.toLowerCase(), args: event.args };
    case 'choice':
      return { kind: 'choice', id: event.choice, fallbackText: event.fallbackText, messageId: event.messageId };
    case 'file':
      return { kind: 'file', media: event.media, fileName: event.fileName, text: event.text, problem: event.problem, messageId: event.messageId };
    case 'edit':
      return { kind: 'edit', text: event.text, messageId: event.messageId };
    case 'message':
      return { kind: 'text', text: event.text, messageId: event.messageId };
  }
}
