/**
 * Changes to the person's data that a flow step asks for, applied by storage inside the step's
 * transaction. Platform-neutral plain data: the flow produces them, the core carries them.
 *
 * src/core/ports.ts still declares the same union (that file is being changed on another branch);
 * test/boundaries.test.ts checks at compile time that the two stay identical, until ports.ts
 * re-exports this one.
 */
import type { Locale, RevisionInput } from './records.js';

export type DataEffect =
  /** Create the participant (or update it) with the consent time and language. */
  | { type: 'participant.consent'; locale: Locale; at: Date }
  | { type: 'participant.locale'; locale: Locale }
  /** The person began a draft (for the funnel statistics). Idempotent. */
  | { type: 'participant.drafted'; at: Date }
  /** Announcements off (/stop) or on again (/start, the button); decisions still reach the person. */
  | { type: 'participant.announcements'; on: boolean; at: Date }
  | {
      type: 'contribution.create';
      code: string;
      callId: string;
      topic: number;
      language: Locale;
      revision: RevisionInput;
      at: Date;
    }
  /** A new revision of an existing contribution; its state goes back to `submitted`. */
  | { type: 'contribution.revise'; code: string; topic: number; revision: RevisionInput; at: Date }
  | { type: 'contribution.withdraw'; code: string; at: Date }
  /**
   * Withdraw all the person's contributions, erase their texts and every personal field,
   * forget the platform user id, and delete the stored conversation.
   */
  | { type: 'participant.erase'; at: Date };
