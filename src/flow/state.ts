/**
 * The conversation's stored state. It carries a version (`v`): a state written by a newer release
 * is never misread by an older one (parseState refuses it), and older versions are upgraded here.
 */
import { LOCALES, type ContributorDetails, type Locale } from '../domain/records.js';

// v2: draft parts remember the platform message they came from (an edit replaces its part), and
// the steps confirm-clear and text-options. v1 states are read as v2 with unknown message ids.
export const STATE_VERSION = 2;

export type StepName =
  | 'language'
  | 'consent'
  | 'menu'
  | 'topic'
  | 'name'
  | 'organisation'
  | 'country'
  | 'email'
  | 'body'
  | 'review'
  | 'edit-pick'
  | 'draft-found'
  | 'mine'
  | 'confirm-withdraw'
  | 'confirm-delete'
  | 'confirm-clear'
  | 'text-options';

export interface Draft {
  topic: number | null;
  details: Partial<ContributorDetails>;
  /** The contribution as sent, message by message (kept until submitted or discarded). */
  parts: string[];
  /** The platform message id of each part (null for a file or an unknown id), parallel to parts. */
  partIds: (string | null)[];
  /** "Replace the text" was chosen: the next message replaces every part. */
  replacing: boolean;
  /** Set when the draft edits an existing contribution (a new revision). */
  editingCode: string | null;
  /** After a change from the review screen, go back to it instead of the next question. */
  returnToReview: boolean;
}

export interface ConversationState {
  v: typeof STATE_VERSION;
  locale: Locale | null;
  step: StepName;
  /** Where /lang returns to once a language is chosen. */
  returnTo: StepName | null;
  consent: 'given' | 'declined' | null;
  draft: Draft | null;
  /** A topic chosen through a deep link before consent (e.g. /start topic2). */
  pendingTopic: number | null;
  /** The contribution a confirm-withdraw step is about. */
  target: string | null;
  /** The greeting was shown (it is shown once, on first contact). */
  greeted: boolean;
  /**
   * The contribution whose receipt is the latest message: the receipt offers "Show my text" for
   * it. Cleared by the next message, whatever it is (the choice belongs to the receipt only).
   */
  receipt: string | null;
}

export function initialState(): ConversationState {
  return { v: STATE_VERSION, locale: null, step: 'language', returnTo: null, consent: null, draft: null, pendingTopic: null, target: null, greeted: false, receipt: null };
}

export function emptyDraft(): Draft {
  return { topic: null, details: {}, parts: [], partIds: [], editingCode: null, returnToReview: false, replacing: false };
}

export type ParsedState = { ok: true; state: ConversationState } | { ok: false; reason: 'newer-version' | 'malformed' };

const STEPS = new Set<StepName>(['language', 'consent', 'menu', 'topic', 'name', 'organisation', 'country', 'email',
  'body', 'review', 'edit-pick', 'draft-found', 'mine', 'confirm-withdraw', 'confirm-delete', 'confirm-clear', 'text-options']);

/** A stored draft of any version, with the fields later versions added. */
function upgradeDraft(d: Partial<Draft> & { parts: string[] }): Draft {
  const ids = Array.isArray(d.partIds) && d.partIds.length === d.parts.length ? d.partIds : d.parts.map(() => null);
  return { ...emptyDraft(), ...d, partIds: ids, replacing: d.replacing ?? false };
}

/** Reads a stored state; null (nothing stored) gives the initial state. */
export function parseState(raw: unknown): ParsedState {
  if (raw === null || raw === undefined) return { ok: true, state: initialState() };
  if (typeof raw !== 'object') return { ok: false, reason: 'malformed' };
  const s = raw as Partial<ConversationState> & { v?: unknown };
  if (typeof s.v !== 'number') return { ok: false, reason: 'malformed' };
  if (s.v > STATE_VERSION) return { ok: false, reason: 'newer-version' };
  if (!s.step || !STEPS.has(s.step)) return { ok: false, reason: 'malformed' };
  if (s.locale !== null && !LOCALES.includes(s.locale as Locale)) return { ok: false, reason: 'malformed' };
  const d = s.draft;
  if (d !== null && d !== undefined && (typeof d !== 'object' || !Array.isArray(d.parts))) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    state: {
      v: STATE_VERSION,
      locale: s.locale ?? null,
      step: s.step,
      returnTo: s.returnTo ?? null,
      consent: s.consent ?? null,
      draft: d ? upgradeDraft(d) : null,
      pendingTopic: s.pendingTopic ?? null,
      target: s.target ?? null,
      greeted: s.greeted ?? false,
      // Added without a version change: an older state has none, and an older release drops it.
      receipt: typeof s.receipt === 'string' ? s.receipt : null,
    },
  };
}
