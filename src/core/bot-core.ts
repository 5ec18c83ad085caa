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
 * `coreApi(dispatcher)` is both, over one Dispatcher; the composition (src/app.ts) builds it once.
 */
import type { TFunction } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import type { Reply } from '../flow/replies.js';
import type { Dispatcher } from './dispatcher.js';
import type { Metrics } from './metrics.js';
import type { NoticeResult } from './notifier.js';
import type { DispatcherStore, PlatformPost, PostStore, ReviewStore } from './ports.js';
import type { Renderer } from './render.js';
import type { ConversationRef, InboundEvent, Platform } from './types.js';

/** Texts of the locales in a language: one key, a time, a direction, or a t() for many keys (a view). */
export type CoreTexts = Pick<Renderer, 'text' | 'dir' | 'formatTime'> & {
  fixedT(lng: Locale): TFunction;
};

export type ParticipantView = Awaited<ReturnType<Dispatcher['participantView']>>;
/** What became of a form submitted whole (Slack's modal): its receipt, or the fields to fix. */
export type FormSubmission = Awaited<ReturnType<Dispatcher['submitForm']>>;

export interface BotCore {
  readonly call: CallDefinition;
  readonly texts: CoreTexts;
  readonly metrics: Metrics;
  now(): Date;
  handle(event: InboundEvent): ReturnType<Dispatcher['handle']>;
  submitForm(input: Parameters<Dispatcher['submitForm']>[0]): ReturnType<Dispatcher['submitForm']>;
  participantView(ref: Parameters<Dispatcher['participantView']>[0]): Promise<ParticipantView>;
  eraseParticipant(input: Parameters<Dispatcher['eraseParticipant']>[0]): ReturnType<Dispatcher['eraseParticipant']>;
  /** The platform says this person cannot be reached (Telegram: they blocked the bot), or can again. */
  markUnreachable(ref: ConversationRef, reason: string): Promise<void>;
  markReachable(ref: ConversationRef): Promise<void>;
  setComposer(...args: Parameters<Dispatcher['setComposer']>): void;
  setInitiationPolicy(...args: Parameters<Dispatcher['setInitiationPolicy']>): void;
  onEffects(...args: Parameters<Dispatcher['onEffects']>): void;
}

export interface OrganiserCore {
  readonly call: CallDefinition;
  readonly texts: CoreTexts;
  now(): Date;
  /** A contribution of any call by its receipt code, with its author. */
  contribution(code: string): ReturnType<ReviewStore['getContribution']>;
  recordDecision(input: Parameters<ReviewStore['recordDecision']>[0]): ReturnType<ReviewStore['recordDecision']>;
  /** Tells a contribution's author, in their language on their platform (held when they cannot be reached). */
  notifyAuthor(participantId: string, notice: Reply): Promise<NoticeResult>;
  /** A post about a contribution (Slack's admin channel), kept so that erasing its author rewrites it. */
  rememberPost(input: { platform: Platform; code: string; channel: string; ts: string }): Promise<void>;
  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]>;
  forgetPost(id: string): Promise<void>;
}

export type CoreApi = BotCore & OrganiserCore;

/** The organisers' operations use the review and post ports of the dispatcher's store. */
export function coreApi(dispatcher: Dispatcher<DispatcherStore & ReviewStore & PostStore>): CoreApi {
  const { store, call, i18n } = dispatcher.deps;
  const { renderer } = dispatcher;
  return {
    call,
    metrics: dispatcher.metrics,
    texts: {
      text: renderer.text.bind(renderer),
      dir: renderer.dir.bind(renderer),
      formatTime: renderer.formatTime.bind(renderer),
      fixedT: (lng) => i18n.getFixedT(lng),
    },
    now: () => dispatcher.now(),
    handle: (event) => dispatcher.handle(event),
    submitForm: (input) => dispatcher.submitForm(input),
    participantView: (ref) => dispatcher.participantView(ref),
    eraseParticipant: (input) => dispatcher.eraseParticipant(input),
    markUnreachable: (ref, reason) => dispatcher.markUnreachable(ref, reason),
    markReachable: (ref) => dispatcher.markReachable(ref),
    setComposer: (...args) => dispatcher.setComposer(...args),
    setInitiationPolicy: (...args) => dispatcher.setInitiationPolicy(...args),
    onEffects: (...args) => dispatcher.onEffects(...args),
    contribution: (code) => store.getContribution(code),
    recordDecision: (input) => store.recordDecision(input),
    notifyAuthor: (participantId, notice) => dispatcher.notifier.notifyDetailed(participantId, notice),
    rememberPost: (input) => store.recordPost({ ...input, at: dispatcher.now() }),
    postsToRedact: (platform, limit) => store.postsToRedact(platform, limit),
    forgetPost: (id) => store.forgetPost(id),
  };
}
