/**
 * The shape of what parse.ts reads from a Messenger webhook, checked before it is read. Fields
 * the bot does not read are not checked (Meta adds fields over time).
 */
import { any, arr, bool, epochMs, int, nullable, num, obj, oneOf, optional, str, type Check } from '../shared/shape.js';

/** m.me links (`?ref=`), ads and QR codes: the `ref` is what the organisers put in the link. */
const referral = obj({ ref: optional(str), source: optional(str), type: optional(str) });

// sticker_id is a number in Meta's examples; a string is accepted too (ids outgrow doubles).
const stickerId = optional(oneOf(int, str));

const attachment = obj({
  type: str,
  payload: optional(nullable(obj({ url: optional(str), sticker_id: stickerId, title: optional(str) }))),
});

export const messagingItemShape: Check = obj({
  sender: optional(obj({ id: optional(str) })),
  // Milliseconds since 1970 (Meta's send time): it becomes the event's receivedAt, stored.
  timestamp: optional(epochMs),
  message: optional(obj({
    mid: optional(str),
    text: optional(str),
    is_echo: optional(bool),
    sticker_id: stickerId,
    quick_reply: optional(obj({ payload: optional(str) })),
    attachments: optional(arr(attachment)),
  })),
  postback: optional(obj({ mid: optional(str), title: optional(str), payload: optional(str), referral: optional(referral) })),
  referral: optional(referral),
  // The `message_edits` webhook field: the person changed a message they had sent.
  message_edit: optional(obj({ mid: str, text: optional(str), num_edit: optional(num) })),
});

/** The envelope. Entries and items are checked one by one, so one bad item loses no good one. */
export const bodyShape: Check = obj({ object: optional(str), entry: optional(arr(any)) });
