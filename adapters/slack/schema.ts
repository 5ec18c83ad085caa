/**
 * The shape of what the Slack listeners read, checked before Bolt hands a body to them. A signed
 * body can still be `null`, or carry `"user": -1`: unchecked, the first threw (a 500) and the
 * second reached the database as a user id and failed there as if it were down (a 503 Slack
 * retries). Fields the bot does not read are not checked.
 *
 * A malformed Events API body is acknowledged and ignored (Slack retries anything else); a
 * malformed interaction or slash command is refused with 400 (a person's click: Slack shows an
 * error, and does not retry).
 */
import { arr, bool, isObj, matches, nullable, obj, optional, record, str, type Check, type Obj } from '../shared/shape.js';

/** Slack user ids: U… (or W… on Enterprise Grid). */
const userId = matches(/^[UW][A-Z0-9]{2,40}$/);

const event = obj({
  type: str,
  user: optional(userId),
  channel: optional(str),
  channel_type: optional(str),
  subtype: optional(str),
  text: optional(str),
  ts: optional(str),
  bot_id: optional(str),
  tab: optional(str),
  message: optional(obj({ user: optional(userId), text: optional(str), ts: optional(str), bot_id: optional(str) })),
  files: optional(arr(obj({ mimetype: optional(str), name: optional(str) }))),
});

// Bolt reads authorizations[0] (is_enterprise_install, team_id) before any listener runs.
const authorization = obj({ is_enterprise_install: optional(bool), team_id: optional(nullable(str)), enterprise_id: optional(nullable(str)) });
const eventCallback = obj({
  event_id: str,
  event,
  team_id: optional(str),
  enterprise_id: optional(nullable(str)),
  is_enterprise_install: optional(bool),
  authorizations: optional(arr(authorization)),
});

/** What Bolt reads of every interaction before a listener runs. */
const interactionBase = {
  team: optional(nullable(obj({ id: str }))),
  enterprise: optional(nullable(obj({ id: str }))),
  is_enterprise_install: optional(bool),
};

const blockActions = obj({
  ...interactionBase,
  user: obj({ id: userId }),
  trigger_id: optional(str),
  actions: arr(obj({ action_id: str, block_id: optional(str), value: optional(str), action_ts: optional(str) })),
  channel: optional(obj({ id: str })),
  message: optional(obj({ ts: str })),
});

const stateValue = obj({
  value: optional(nullable(str)),
  selected_option: optional(nullable(obj({ value: str }))),
  selected_options: optional(arr(obj({ value: str }))),
});

const viewSubmission = obj({
  ...interactionBase,
  // Bolt reads response_urls[0].response_url for the listener's `respond`.
  response_urls: optional(arr(obj({ response_url: optional(str) }))),
  user: obj({ id: userId }),
  view: obj({
    id: str,
    callback_id: str,
    private_metadata: optional(str),
    blocks: arr(obj({ block_id: optional(str) })),
    state: obj({ values: record(record(stateValue)) }),
  }),
});

const slashCommand = obj({ command: str, user_id: userId, channel_id: str, trigger_id: str, text: optional(str) });

export type ShapeVerdict = { ok: true } | { ok: false; field: string; answer: 'ignore' | 'reject' };

export function checkSlackBody(body: unknown): ShapeVerdict {
  if (!isObj(body)) return { ok: false, field: 'body', answer: 'reject' };
  const b: Obj = body;
  const fail = (check: Check, answer: 'ignore' | 'reject'): ShapeVerdict => {
    const field = check(b, 'body');
    return field ? { ok: false, field, answer } : { ok: true };
  };
  if (b.type === 'event_callback') return fail(eventCallback, 'ignore');
  if (b.type === 'block_actions') return fail(blockActions, 'reject');
  if (b.type === 'view_submission') return fail(viewSubmission, 'reject');
  if (typeof b.command === 'string' || 'user_id' in b) return fail(slashCommand, 'reject');
  return { ok: true };
}
