/**
 * What the adapter does with what is not a message to answer: delivery statuses, a person's change
 * of id, and the phone number that came beside a BSUID (identity.ts says who is who). Nothing here
 * is ever answered, and no log line holds a phone number, a BSUID or a message id: only the keyed
 * pseudonym of the conversation.
 */
import type { BotCore, ConversationRef, Logger } from '../../src/core/index.js';
import { CODES } from './cloud-api.js';
import type { Parsed } from './parse.js';

export type ReceiptsCore = Pick<BotCore, 'metrics' | 'markUnreachable' | 'deliveryFailed' | 'onceForEvent' | 'rememberAlias' | 'userIdByAlias' | 'changeUserId'>;

export interface ReceiptsDeps {
  core: ReceiptsCore;
  logger: Logger;
  /** The keyed pseudonym of a person's id, for logs. */
  keyOf(id: string): string;
}

const ref = (id: string): ConversationRef => ({ platform: 'whatsapp', chatId: id, userId: id });

/**
 * A delivery receipt. Meta delivers statuses again for days: a failed one is handled once per
 * (message id, status) — marked, counted and logged the first time only (the core's event claim,
 * src/core/identities.ts). sent/delivered/read change nothing stored, so they are only counted
 * as deliveries (redeliveries included) and claim nothing: three claims per message sent would
 * cost a write each for no effect.
 *
 * A failed one outside the window (131047) or undeliverable (131026) marks the person
 * unreachable with that reason, so the notices and the outbox report it truthfully and nothing
 * is retried as free-form text. Whom it is about: the BSUID (recipient_user_id), or else the
 * phone (recipient_id, alone on a message sent to a phone number), found through its alias; a
 * phone with no alias is the id itself (a person keyed on the phone, before BSUIDs).
 */
export async function onStatus(deps: ReceiptsDeps, item: Extract<Parsed, { type: 'status' }>): Promise<void> {
  const { core, logger } = deps;
  if (item.status !== 'failed') {
    // Counted with the deliveries ignored on purpose: a receipt is never answered.
    core.metrics.inc('inbound_ignored_total', { platform: 'whatsapp', reason: `status:${item.status}` });
    return;
  }
  await core.onceForEvent('whatsapp', `status:${item.id}:${item.status}`, async () => {
    core.metrics.inc('inbound_ignored_total', { platform: 'whatsapp', reason: 'status:failed' });
    // A notice or announcement copy counted sent when Meta accepted it is corrected by its id.
    await core.deliveryFailed({ platform: 'whatsapp', platformId: item.id, reason: `whatsapp:${item.code ?? 'failed'}` });
    const who = item.userId ?? (item.phone ? ((await core.userIdByAlias('whatsapp', item.phone)) ?? item.phone) : undefined);
    if (!who) return;
    logger.info('whatsapp message failed', { chat: deps.keyOf(who), code: item.code });
    if (item.code === CODES.outsideWindow || item.code === CODES.undeliverable) await core.markUnreachable(ref(who), `whatsapp:${item.code}`);
    if (item.code === CODES.token) logger.error('whatsapp token refused: renew WHATSAPP_TOKEN', { code: item.code });
  });
}

/**
 * The person changed number (a new BSUID) or their BSUID changed: their participant and
 * conversation move to the new id (a redelivery finds nothing left to move), and the new number,
 * when Meta shares it, is linked as their alias.
 */
export async function onIdentity(deps: ReceiptsDeps, item: Extract<Parsed, { type: 'identity' }>): Promise<void> {
  const outcome = await deps.core.changeUserId('whatsapp', item.from, item.to);
  deps.core.metrics.inc('inbound_ignored_total', { platform: 'whatsapp', reason: `system:${item.change}` });
  if (item.phone && outcome !== 'taken') await deps.core.rememberAlias(ref(item.to), item.phone);
}

/**
 * The phone number that came beside the BSUID of a message just handled, linked to the
 * participant as a keyed hash (nothing is stored before they consented). A failure costs only
 * the link: the message itself is stored, so it is logged, not thrown.
 */
export async function rememberPhone(deps: ReceiptsDeps, person: string, phone: string): Promise<void> {
  await deps.core.rememberAlias(ref(person), phone).catch((err: unknown) => deps.logger.warn('whatsapp alias not stored', { chat: deps.keyOf(person), reason: err instanceof Error ? err.name : 'unknown' }));
}
