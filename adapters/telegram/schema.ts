/**
 * The shape of the Update fields parse.ts reads, checked before it reads them: a `date` that is
 * not a number, a chat id that is a string, `from: null`… would otherwise reach the database (and
 * fail there as if it were down: a 503 Telegram repeats for ever) or throw (a 500). Fields the bot
 * does not read are not checked.
 */
import { arr, bool, epochSeconds, int, num, obj, optional, str, type Check } from '../shared/shape.js';

const user = obj({ id: int, is_bot: optional(bool), language_code: optional(str) });
const chat = obj({ id: int, type: str });

const message = obj({
  message_id: int,
  // Seconds since 1970: beyond what a Date holds, it would reach the database as an invalid date.
  date: epochSeconds,
  edit_date: optional(epochSeconds),
  chat,
  from: optional(user),
  text: optional(str),
  caption: optional(str),
  entities: optional(arr(obj({ type: str, offset: int, length: int }))),
  document: optional(obj({ file_id: str, file_name: optional(str), file_size: optional(num), mime_type: optional(str) })),
});

export const updateShape: Check = obj({
  update_id: int,
  message: optional(message),
  edited_message: optional(message),
  callback_query: optional(obj({ id: str, from: user, data: optional(str), message: optional(obj({ chat: optional(chat) })) })),
  my_chat_member: optional(obj({ chat, new_chat_member: obj({ status: str }) })),
});
