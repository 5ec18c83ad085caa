/**
 * The core as the platform adapters and the organisers' code see it: named operations, not the
 * Dispatcher's parts. They never hold the store, the i18n instance or the renderer, so what they
 * may do is written here, and the Dispatcher's inside can change without them noticing.
 *
 * - BotCore: what a platform adapter asks (an event, a form, a person's view, an erasure, the
 *   texts), what it tells (a person blocked or unblocked the bot) and how it plugs in (a
 *   composer, the effects it hears of).
 * - OrganiserCore: what the organisers' code asks (a contribution, a decision recorded and told,
 *   the admin posts kept for erasure).
 *
 * Both are declared here, in their own terms, and the Dispatcher implements them (`implements`);
 * test/core-api.test-d.ts pins every signature, so a change to what adapters see is deliberate.
 * `coreApi(dispatcher)` is both, as bound operations over one Dispatcher (adapters are never
 * handed the Dispatcher object itself); the composition (src/app.ts) builds it once.
 */
import type { TFunction } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { ContributionRecord, Locale, ParticipantRecord } from '../domain/records.js';
import type { Params, Reply } from '../flow/replies.js';
import type { ContributionForm, FormField } from '../flow/form.js';
import type { Metrics } from './metrics.js';
import type { InitiationPolicy, NoticeResult } from './notifier.js';
import type { DeliveryFailure } from './receipts.js';
import type { DataEffect, Decision, DecisionResult, IdChange, PlatformPost } from './ports.js';
import type { TextVars } from './render.js';
import type { ConversationRef, InboundEvent, OutboundMessage, Platform } from './types.js';

/** Texts of the locales in a language: one key, a time, a direction, or a t() for many keys (a view). */
export interface CoreTexts {
  text(key: string, lng: Locale, params?: Params, vars?: TextVars): string;
  dir(lng: Locale): 'ltr' | 'rtl';
  formatTime(iso: string, lng: Locale): string;
  fixedT(lng: Locale): TFunction;
}

export type HandleOutcome = 'processed' | 'duplicate' | 'failed-after-store' | 'aborted';

/**
 * What became of an event, and what its platform may need to acknowledge it, in terms of no
 * platform. Computed from the flow's result, never from the replies sent: replies go through the
 * outbox and may be sent after handle() returns, or by another instance.
 */
export interface HandleResult {
  outcome: HandleOutcome;
  /**
   * The event was a button the conversation no longer offers (pressed on an older message); the
   * replies say so, in `lng`, and ask the current question. Telegram says it in the button's
   * acknowledgement too. Only when this call processed the event (not for a duplicate).
   */
  stale?: { lng: Locale };
}

/** A whole contribution from a form (Slack's modal), once per `eventId`. */
export interface FormInput {
  platform: Platform;
  eventId: string;
  ref: ConversationRef;
  localeHint?: string;
  form: ContributionForm;
}

/** What became of a form submitted whole (Slack's modal): its receipt, or the fields to fix. */
export type FormSubmission =
  | { ok: true; code?: string; duplicate?: boolean }
  /** Translated messages per form field (topic, name, organisation, country, email, text, consent, form). */
  | { ok: false; errors: Partial<Record<FormField, string>> };

/** A person as their platform shows them (Slack's Home tab, Messenger's deletion status). */
export interface ParticipantView {
  locale: Locale;
  participant: ParticipantRecord | null;
  contributions: ContributionRecord[];
  /** A conversation with them is stored (Slack welcomes only newcomers). */
  started: boolean;
}

/** A platform's request to erase a person (Meta's data-deletion callback), once per `eventId`. */
export interface ErasureInput {
  platform: Platform;
  userId: string;
  eventId: string;
}

export type ErasureOutcome = 'erased' | 'duplicate' | 'unknown';

/** Rewrites a step's replies before they are stored (Messenger: the greeting and the first question as one). */
export type Composer = (replies: OutboundMessage[]) => OutboundMessage[];

/** Listeners hear of data effects after they are stored (organiser alerts, later issues). */
export type EffectListener = (effects: DataEffect[], ref: ConversationRef) => void;

/** A contribution with its author. */
export interface ContributionWithAuthor {
  contribution: ContributionRecord;
  participant: ParticipantRecord;
}

/** An organiser's decision on a contribution, at a time (the state becomes `to`). */
export interface DecisionInput {
  code: string;
  to: Decision;
  actor: string;
  note: string | null;
  at: Date;
}

/** A post about a contribution on a platform (Slack's admin channel: its channel and timestamp). */
export interface PostInput {
  platform: Platform;
  code: string;
  channel: string;
  ts: string;
}

export interface BotCore {
  readonly call: CallDefinition;
  readonly texts: CoreTexts;
  readonly metrics: Metrics;
  now(): Date;
  handle(event: InboundEvent): Promise<HandleResult>;
  submitForm(input: FormInput): Promise<FormSubmission>;
  participantView(ref: ConversationRef): Promise<ParticipantView>;
  eraseParticipant(input: ErasureInput): Promise<ErasureOutcome>;
  /** The platform says this person cannot be reached (Telegram: they blocked the bot), or can again. */
  markUnreachable(ref: ConversationRef, reason: string): Promise<void>;
  markReachable(ref: ConversationRef): Promise<void>;
  /**
   * Runs `run` once per platform event that no conversation step commits (a delivery receipt,
   * redelivered for days): false, running nothing, when it was handled before (src/core/identities.ts).
   */
  onceForEvent(platform: Platform, eventId: string, run: () => Promise<void>): Promise<boolean>;
  /** Another id the platform knows this person by (WhatsApp: their phone): kept as a keyed hash, once they consented. */
  rememberAlias(ref: ConversationRef, alias: string): Promise<void>;
  /** The user id of the participant an alias belongs to, or null. */
  userIdByAlias(platform: Platform, alias: string): Promise<string | null>;
  /** The platform gave the person a new id: their participant and conversation move to it. */
  changeUserId(platform: Platform, from: string, to: string): Promise<IdChange>;
  /**
   * The platform reports that a message it had accepted, under the id it gave it (Adapter.send's
   * SendAccepted), was not delivered: a notice is held again, an announcement copy counted
   * unreachable. Idempotent. Throws AppError STORAGE_UNAVAILABLE when the database does not answer.
   */
  deliveryFailed(input: DeliveryFailure): Promise<void>;
  setComposer(platform: Platform, compose: Composer): void;
  /** A platform that may not always start a conversation (Messenger's 24-hour window) says when it may. */
  setInitiationPolicy(platform: Platform, policy: InitiationPolicy): void;
  onEffects(listener: EffectListener): void;
}

export interface OrganiserCore {
  readonly call: CallDefinition;
  readonly texts: CoreTexts;
  now(): Date;
  /** A contribution of any call by its receipt code, with its author (null when no such code). */
  contribution(code: string): Promise<ContributionWithAuthor | null>;
  recordDecision(input: DecisionInput): Promise<DecisionResult>;
  /** Tells a contribution's author, in their language on their platform (held when they cannot be reached). */
  notifyAuthor(participantId: string, notice: Reply): Promise<NoticeResult>;
  /** A post about a contribution (Slack's admin channel), kept so that erasing its author rewrites it. */
  rememberPost(input: PostInput): Promise<void>;
  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]>;
  forgetPost(id: string): Promise<void>;
}

export type CoreApi = BotCore & OrganiserCore;

/** The operations: every method of both interfaces (tsc checks the list is whole: coreApi's return type). */
const OPERATIONS = [
  'now', 'handle', 'submitForm', 'participantView', 'eraseParticipant', 'markUnreachable', 'markReachable', 'deliveryFailed', 'onceForEvent', 'rememberAlias', 'userIdByAlias',
  'changeUserId', 'setComposer', 'setInitiationPolicy',
  'onEffects', 'contribution', 'recordDecision', 'notifyAuthor', 'rememberPost', 'postsToRedact', 'forgetPost',
] as const satisfies readonly Exclude<keyof CoreApi, 'call' | 'texts' | 'metrics'>[];

/**
 * Both interfaces as bound operations over one implementation (the Dispatcher): what adapters and
 * the organisers' code are given, so they hold the operations and never the Dispatcher's parts.
 */
export function coreApi(core: CoreApi): CoreApi {
  const bound = Object.fromEntries(OPERATIONS.map((name) => [name, (core[name] as (...args: never[]) => unknown).bind(core)]));
  return { ...(bound as Pick<CoreApi, (typeof OPERATIONS)[number]>), call: core.call, metrics: core.metrics, texts: core.texts };
}
