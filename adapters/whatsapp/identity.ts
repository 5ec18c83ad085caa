/**
 * Who a WhatsApp message, status or system message is about (Meta's "Business-scoped user IDs"
 * pages, 2026, and the system messages webhook reference, changelog of Aug 11, 2026):
 * - People are keyed on the BSUID (`from_user_id`, `contacts[].user_id`; "<country>.<up to 128
 *   alphanumerics>"). The phone number (`from`, `wa_id`) may come beside it, or not at all (a
 *   person with a username). It is kept only as a keyed hash linked to the participant (an
 *   alias, src/core/identities.ts), never as given: PLATFORM-RULES, "no phone numbers".
 * - A failed status for a message sent to a phone number carries `recipient_id` (the phone) and
 *   no `recipient_user_id`: the alias finds whom it is about.
 * - The BSUID is NOT stable across a change of number: Meta generates a new one. A `system`
 *   message says so: `user_changed_number` (the new phone can be shared: `system.wa_id`) or
 *   `user_changed_user_id` (the BSUID alone changed), with the new BSUID in `system.user_id` and
 *   the old one in `system.previous_user_id`. The person's participant and conversation move to
 *   the new BSUID, so the draft, the state and the submissions continue. System messages carry no
 *   `contacts`.
 */
/** The parts of a message (parse.ts) that say who sent it. */
interface Sender {
  from?: string;
  from_user_id?: string;
  system?: { type?: string; user_id?: string; wa_id?: string; previous_user_id?: string };
}

interface Contact {
  wa_id?: string;
  user_id?: string;
}

/** A phone number as WhatsApp writes it: digits only, country code first. */
export function isPhone(id: string): boolean {
  return /^\d{6,20}$/.test(id);
}

/** A BSUID: a country code, a dot, alphanumerics (a parent BSUID has one more part: "US.ENT.…"). */
export function isBsuid(id: string): boolean {
  return /^[A-Z]{2}(\.[A-Za-z0-9]{1,128}){1,2}$/.test(id);
}

/** A person's change of id, from a `system` message: the conversation moves from `from` to `to`. */
export interface IdentityItem {
  type: 'identity';
  change: 'user_changed_number' | 'user_changed_user_id';
  from: string;
  to: string;
  /** The new phone number, when Meta shares it (user_changed_number): linked as an alias. */
  phone?: string;
}

/**
 * The phone number that came with a message keyed on a BSUID (`from`, or the matching contact's
 * `wa_id`), to be linked as an alias; none when the person is keyed on the phone itself.
 */
export function phoneOf(m: Sender, contacts: Contact[], person: string): string | undefined {
  if (isPhone(person)) return undefined;
  const contact = contacts.find((c) => c.user_id === person);
  const phone = m.from ?? contact?.wa_id;
  return phone && isPhone(phone) ? phone : undefined;
}

/** A `system` message: a change of id to follow, or nothing to do. */
export function identityChange(m: Sender): IdentityItem | { type: 'ignore'; reason: string } {
  const s = m.system ?? {};
  const change = s.type;
  if (change !== 'user_changed_number' && change !== 'user_changed_user_id') return { type: 'ignore', reason: `system:${change ?? 'other'}` };
  const phone = s.wa_id && isPhone(s.wa_id) ? s.wa_id : undefined;
  const to = s.user_id;
  // The old BSUID: named as such since Aug 2026; before, the message came from it.
  const from = s.previous_user_id ?? m.from_user_id;
  if (to && from && to !== from && isBsuid(to) && isBsuid(from)) return { type: 'identity', change, from, to, ...(phone && change === 'user_changed_number' ? { phone } : {}) };
  // Payloads from before BSUIDs: the person is keyed on the phone, and the new number is the new id.
  if (!to && !m.from_user_id && m.from && phone && m.from !== phone && isPhone(m.from)) return { type: 'identity', change, from: m.from, to: phone };
  // No new id (the BSUID stayed): the conversation goes on as it is.
  return { type: 'ignore', reason: `system:${change}` };
}
