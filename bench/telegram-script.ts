/**
 * The updates a simulated person sends in bench:telegram, shaped as Telegram's Update objects:
 * /start, language, consent, then contributions typed in 20 messages each, then /status.
 */
export const WEBHOOK_SECRET = 'bench-webhook-secret';
const WORDS = 'Civil society in Iraq has grown through protest and patient work in every city'.split(' ');

let updateId = 1;
function update(user: number, kind: 'text' | 'command' | 'press', value: string): unknown {
  const from = { id: user, is_bot: false, first_name: 'P', language_code: 'en' };
  const chat = { id: user, first_name: 'P', type: 'private' };
  if (kind === 'press') return { update_id: updateId++, callback_query: { id: `q${updateId}`, from, chat_instance: '1', data: value, message: { message_id: 1, date: 1, chat } } };
  const entities = kind === 'command' ? [{ type: 'bot_command', offset: 0, length: value.split(' ')[0]!.length }] : undefined;
  return { update_id: updateId++, message: { message_id: updateId, from, chat, date: 1764147600, text: value, entities } };
}

/** A person's updates: start, language, consent, then a contribution typed in 20 messages. */
export function script(user: number, budget: number): unknown[] {
  const out = [update(user, 'command', '/start'), update(user, 'press', 'lang:en'), update(user, 'press', 'consent:yes')];
  for (let topic = 1; topic <= 3 && out.length < budget; topic++) {
    out.push(update(user, 'press', 'menu:submit'), update(user, 'press', `topic:${topic}`), update(user, 'text', `Person ${user}`),
      update(user, 'press', 'skip:organisation'), update(user, 'press', 'skip:country'), update(user, 'press', 'skip:email'));
    for (let i = 0; i < 20; i++) out.push(update(user, 'text', Array.from({ length: 12 }, (_, j) => WORDS[(i + j) % WORDS.length]).join(' ')));
    out.push(update(user, 'press', 'body:done'), update(user, 'press', 'review:confirm'));
  }
  while (out.length < budget) out.push(update(user, 'command', '/status'));
  return out.slice(0, budget);
}
