/**
 * What the adapters see of the core, pinned. BotCore and OrganiserCore (src/core/bot-core.ts) and
 * the host (src/adapter-host.ts) are written out here in full: changing a signature they offer
 * fails `npm run typecheck` on this file (expectTypeOf is checked by tsc; at run time it is a
 * no-op), so the change has to be made here too, on purpose. The run-time checks pin the values
 * the adapters' entry point (src/core/index.ts) exports and the operations coreApi hands out.
 */
import type { TFunction } from 'i18next';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as entry from '../src/core/index.js';
import type { AdapterHost, BotCore, CallDefinition, ConversationRef, ContributionForm, ContributionRecord, CoreApi, DeskInvites, FormField, InboundEvent, Locale, Logger, Metrics, OrganiserCore, OrganiserReports, OutboundMessage, Params, ParticipantRecord, Platform, DataEffect, Decision } from '../src/core/index.js';
import { coreApi } from '../src/core/bot-core.js';
import type { Dispatcher } from '../src/core/dispatcher.js';
import type { InitiationPolicy, NoticeResult } from '../src/core/notifier.js';
import type { DecisionResult, PlatformPost } from '../src/core/ports.js';
import type { TextVars } from '../src/core/render.js';
import type { Reply } from '../src/flow/replies.js';
import { makeBot } from './helpers/harness.js';

interface PinnedTexts {
  text(key: string, lng: Locale, params?: Params, vars?: TextVars): string;
  dir(lng: Locale): 'ltr' | 'rtl';
  formatTime(iso: string, lng: Locale): string;
  fixedT(lng: Locale): TFunction;
}

interface PinnedBotCore {
  readonly call: CallDefinition;
  readonly texts: PinnedTexts;
  readonly metrics: Metrics;
  now(): Date;
  handle(event: InboundEvent): Promise<{ outcome: 'processed' | 'duplicate' | 'failed-after-store' | 'aborted'; stale?: { lng: Locale } }>;
  submitForm(input: { platform: Platform; eventId: string; ref: ConversationRef; localeHint?: string; form: ContributionForm }): Promise<
    { ok: true; code?: string; duplicate?: boolean } | { ok: false; errors: Partial<Record<FormField, string>> }
  >;
  participantView(ref: ConversationRef): Promise<{ locale: Locale; participant: ParticipantRecord | null; contributions: ContributionRecord[]; started: boolean }>;
  eraseParticipant(input: { platform: Platform; userId: string; eventId: string }): Promise<'erased' | 'duplicate' | 'unknown'>;
  markUnreachable(ref: ConversationRef, reason: string): Promise<void>;
  markReachable(ref: ConversationRef): Promise<void>;
  deliveryFailed(input: { platform: Platform; platformId: string; reason: string }): Promise<void>;
  onceForEvent(platform: Platform, eventId: string, run: () => Promise<void>): Promise<boolean>;
  rememberAlias(ref: ConversationRef, alias: string): Promise<void>;
  userIdByAlias(platform: Platform, alias: string): Promise<string | null>;
  changeUserId(platform: Platform, from: string, to: string): Promise<'moved' | 'unknown' | 'taken'>;
  setComposer(platform: Platform, compose: (replies: OutboundMessage[]) => OutboundMessage[]): void;
  setInitiationPolicy(platform: Platform, policy: InitiationPolicy): void;
  onEffects(listener: (effects: DataEffect[], ref: ConversationRef) => void): void;
}

interface PinnedOrganiserCore {
  readonly call: CallDefinition;
  readonly texts: PinnedTexts;
  now(): Date;
  contribution(code: string): Promise<{ contribution: ContributionRecord; participant: ParticipantRecord } | null>;
  recordDecision(input: { code: string; to: Decision; actor: string; note: string | null; at: Date }): Promise<DecisionResult>;
  notifyAuthor(participantId: string, notice: Reply): Promise<NoticeResult>;
  rememberPost(input: { platform: Platform; code: string; channel: string; ts: string }): Promise<void>;
  postsToRedact(platform: Platform, limit: number): Promise<PlatformPost[]>;
  forgetPost(id: string): Promise<void>;
}

interface PinnedHost {
  readonly core: CoreApi;
  readonly reports: OrganiserReports;
  readonly desk?: DeskInvites;
  readonly logger: Logger;
  readonly secret: string;
}

describe("the core's operations as adapters see them", () => {
  it('BotCore, OrganiserCore and the host are exactly the pinned shapes (checked by tsc)', () => {
    expectTypeOf<BotCore>().toEqualTypeOf<PinnedBotCore>();
    expectTypeOf<OrganiserCore>().toEqualTypeOf<PinnedOrganiserCore>();
    expectTypeOf<CoreApi>().toEqualTypeOf<BotCore & OrganiserCore>();
    expectTypeOf<AdapterHost>().toEqualTypeOf<PinnedHost>();
    // The Dispatcher implements both (its `implements` clause), and coreApi takes it as it is.
    expectTypeOf<Dispatcher>().toExtend<CoreApi>();
    expectTypeOf(coreApi).parameter(0).toEqualTypeOf<CoreApi>();
  });

  it('coreApi hands out exactly the pinned operations, bound to the dispatcher, not the dispatcher itself', async () => {
    const h = await makeBot();
    const core = coreApi(h.dispatcher);
    const pinned: (keyof PinnedBotCore | keyof PinnedOrganiserCore)[] = [
      'call', 'texts', 'metrics', 'now', 'handle', 'submitForm', 'participantView', 'eraseParticipant', 'markUnreachable', 'markReachable', 'deliveryFailed',
      'onceForEvent', 'rememberAlias', 'userIdByAlias', 'changeUserId', 'setComposer', 'setInitiationPolicy', 'onEffects', 'contribution', 'recordDecision', 'notifyAuthor', 'rememberPost', 'postsToRedact', 'forgetPost',
    ];
    expect(Object.keys(core).sort()).toEqual([...new Set(pinned)].sort());
    expect(core).not.toBe(h.dispatcher);
    expect(core.call.id).toBe(h.dispatcher.call.id);
    expect(core.texts.dir('ar')).toBe('rtl');
    expect(await core.contribution('ICS-000000')).toBeNull();
  });

  it("the adapters' entry point exports these values and no others", () => {
    expect(Object.keys(entry).sort()).toEqual([
      'AUDIENCE_WHO', 'AppError', 'FIELD_LIMITS', 'INTL_LOCALE', 'KeyedQueue', 'LOCALES', 'PLATFORMS', 'PlatformError', 'checkInput', 'conversationKey',
      'countWords', 'decide', 'doneParams', 'formatDay', 'isAppError', 'languageOfText', 'localeFromHint', 'ltr', 'normaliseDigits', 'organiserCommand', 'previewLines',
      'realSleep', 'sendParts', 'splitText', 'withRetry', 'withinWindow',
    ]);
  });
});
