/**
 * The adapters' one entry point: everything a platform adapter (adapters/<platform>/) may use from
 * src/, and nothing else (test/boundaries.test.ts holds them to it, and test/core-api.test-d.ts
 * pins the core's operations they call). It sits above the rest of src/ — it gathers the core's
 * message types and helpers, the domain's and the flow's few values a platform renders with, and
 * narrow types of the services the host gives — so a change to what adapters see is a change here.
 */

// The messages, the conversation's address and the platforms.
export { PLATFORMS } from './types.js';
export type { Platform, ConversationRef, InboundEvent, OutboundMessage, Choice, DocumentRead } from './types.js';
// The adapter's contract: capabilities, webhook routes, sending.
export type * from './adapter.js';
export { withinWindow } from './adapter.js';
// Errors an adapter throws or reads; sending a message in parts.
export { AppError, PlatformError, isAppError, sendParts } from './errors.js';
export type { Refusal } from './errors.js';
// What the adapter is given (src/adapter-host.ts) and the core's operations in it.
export type { AdapterHost } from '../adapter-host.js';
export type { BotCore, OrganiserCore, CoreApi, CoreTexts, FormSubmission, ParticipantView } from './bot-core.js';
export type { DeliveryFailure } from './receipts.js';
export type { Logger } from './log.js';
export type { Metrics } from './metrics.js';
export type { DataEffect, Decision } from './ports.js';
// Helpers a platform legitimately needs.
export { KeyedQueue } from './keyed-queue.js';
export { splitText } from './split-text.js';
export { realSleep, withRetry } from './retry.js';
export type { Sleep } from './retry.js';
export { conversationKey } from './conversation-key.js';
export { localeFromHint } from './locale-hint.js';
export { formatDay } from './dates.js';
// The domain: languages, records, the call, the stats a platform draws.
export { LOCALES } from '../domain/records.js';
export type { Locale, ContributionRecord, ParticipantRecord } from '../domain/records.js';
export type { CallDefinition } from '../domain/call-definition.js';
export type { StatsAggregates } from '../domain/stats.js';
export { INTL_LOCALE } from '../domain/intl-locale.js';
export { normaliseDigits } from '../domain/text.js';
export { languageOfText } from '../domain/script-language.js';
export { countWords } from '../domain/words.js';
// The flow: a whole form's fields and limits (Slack's modal), text direction marks.
export type { ContributionForm, FormField } from '../flow/form.js';
export { FIELD_LIMITS } from '../flow/submit.js';
export { ltr } from '../flow/replies.js';
export type { Params } from '../flow/replies.js';
// The organisers: a decision over the core's organiser operations; the reports' and desk's ports.
export { decide } from '../organisers/decisions.js';
export type { DecisionOutcome } from '../organisers/decisions.js';
export type { OrganiserReports } from '../organisers/reports.js';
export type { DeskInvites } from '../desk/invites.js';
// The organiser command table (src/organisers/commands.ts): a surface renders the entries it offers.
export { organiserCommand } from '../organisers/commands.js';
export type { CommandsOn } from '../organisers/commands.js';
// Announcements from a platform (Slack's modal): the input checked, previewed and sent.
export { checkInput } from '../announcements/audience.js';
export type { AnnouncementInput } from '../announcements/audience.js';
export { doneParams, previewLines } from '../announcements/preview-text.js';
export { AUDIENCE_WHO } from '../announcements/types.js';
export type { Announcements, Channel } from '../announcements/sending.js';
