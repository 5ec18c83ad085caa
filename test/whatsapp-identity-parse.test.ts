/**
 * Reading who a WhatsApp payload is about (adapters/whatsapp/identity.ts, parse.ts), on payloads
 * shaped as Meta's references show them: system messages before and after Meta added
 * `previous_user_id` (Aug 2026), people known by phone only, statuses with and without the BSUID.
 */
import { describe, expect, it } from 'vitest';
import { identityChange, isBsuid, phoneOf } from '../adapters/whatsapp/identity.js';
import { parseMessage, parseStatus } from '../adapters/whatsapp/parse.js';

const OLD = 'IQ.1029384756102938475';
const NEW = 'IQ.7700112233445566778';
const now = new Date('2026-12-06T10:00:00Z');

describe('WhatsApp identities read from payloads', () => {
  it('a change of number: the new BSUID in system.user_id, the old one in previous_user_id (or, before that field, the sender)', () => {
    const system = { body: 'User A changed from 9647701234567 to 9647709999999', wa_id: '9647709999999', type: 'user_changed_number', user_id: NEW };
    expect(identityChange({ from: '9647701234567', from_user_id: OLD, system: { ...system, previous_user_id: OLD } })).toEqual({ type: 'identity', change: 'user_changed_number', from: OLD, to: NEW, phone: '9647709999999' });
    expect(identityChange({ from: '9647701234567', from_user_id: OLD, system })).toEqual({ type: 'identity', change: 'user_changed_number', from: OLD, to: NEW, phone: '9647709999999' });
    // The BSUID alone changed: no phone is shared.
    expect(identityChange({ from_user_id: OLD, system: { type: 'user_changed_user_id', user_id: NEW, previous_user_id: OLD } })).toEqual({ type: 'identity', change: 'user_changed_user_id', from: OLD, to: NEW });
  });

  it('a person known by phone only (no BSUID anywhere) moves to the new number; nothing moves when the id stayed or is not a BSUID', () => {
    expect(identityChange({ from: '9647701234567', system: { type: 'user_changed_number', wa_id: '9647709999999' } })).toEqual({ type: 'identity', change: 'user_changed_number', from: '9647701234567', to: '9647709999999' });
    expect(identityChange({ from: '9647701234567', from_user_id: OLD, system: { type: 'user_changed_number', wa_id: '9647709999999' } })).toEqual({ type: 'ignore', reason: 'system:user_changed_number' });
    expect(identityChange({ from_user_id: OLD, system: { type: 'user_changed_user_id', user_id: OLD, previous_user_id: OLD } }).type).toBe('ignore');
    expect(identityChange({ from_user_id: OLD, system: { type: 'user_changed_user_id', user_id: 'not a bsuid', previous_user_id: OLD } }).type).toBe('ignore');
    expect(identityChange({ from_user_id: OLD, system: { type: 'customer_identity_changed' } })).toEqual({ type: 'ignore', reason: 'system:customer_identity_changed' });
  });

  it('BSUIDs of up to 128 characters after the country code, and parent BSUIDs, are people; phones are digits', () => {
    const long = `US.${'a1B2'.repeat(32)}`;
    expect(isBsuid(long)).toBe(true);
    expect(isBsuid('US.ENT.11815799212886844830')).toBe(true);
    expect(isBsuid('9647701234567')).toBe(false);
    const parsed = parseMessage({ id: 'wamid.1', from_user_id: long, type: 'text', text: { body: 'hello' } }, [{ user_id: long }], now);
    expect(parsed.type === 'event' && parsed.event.conversation.userId).toBe(long);
  });

  it('the phone beside a BSUID is read for the alias (from `from` or the contact), never when the phone is the id', () => {
    expect(phoneOf({ from: '9647701234567', from_user_id: OLD }, [], OLD)).toBe('9647701234567');
    expect(phoneOf({ from_user_id: OLD }, [{ user_id: OLD, wa_id: '9647701234567' }], OLD)).toBe('9647701234567');
    expect(phoneOf({ from_user_id: OLD }, [{ user_id: OLD }], OLD)).toBeUndefined();
    expect(phoneOf({ from: '9647701234567' }, [], '9647701234567')).toBeUndefined();
    const parsed = parseMessage({ id: 'wamid.2', from: '9647701234567', from_user_id: OLD, type: 'text', text: { body: 'hello' } }, [{ wa_id: '9647701234567', user_id: OLD }], now);
    expect(parsed).toMatchObject({ type: 'event', phone: '9647701234567', event: { conversation: { userId: OLD } } });
  });

  it('a status names the BSUID, the phone, or both (a failed one for a message sent to a number: the phone only)', () => {
    expect(parseStatus({ id: 'wamid.A', status: 'failed', recipient_id: '9647701234567', errors: [{ code: 131026 }] })).toEqual({ type: 'status', id: 'wamid.A', status: 'failed', phone: '9647701234567', code: 131026 });
    expect(parseStatus({ id: 'wamid.B', status: 'read', recipient_id: '9647701234567', recipient_user_id: OLD })).toEqual({ type: 'status', id: 'wamid.B', status: 'read', userId: OLD, phone: '9647701234567', code: undefined });
    expect(parseStatus({ id: 'wamid.C', status: 'delivered', recipient_user_id: OLD })).toEqual({ type: 'status', id: 'wamid.C', status: 'delivered', userId: OLD, code: undefined });
  });
});
