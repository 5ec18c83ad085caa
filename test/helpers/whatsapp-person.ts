/**
 * One WhatsApp person driving the call through the signed webhook of a WhatsApp rig or of a bot
 * process (anything with the fake Cloud API, a clock and a signed post), for the suites that run
 * every platform (outbox, erasure, log privacy, crash): typed texts, taps on what the last message
 * offered (a reply button or a list row, as the fake rendered it), and receipts.
 */
import { randomBytes } from 'node:crypto';
import { FakeCloudApi } from '../fakes/whatsapp-cloud-api.js';
import { body, BSUID, buttonReply, listReply, messageFrom, PHONE, type WhatsAppRig } from './whatsapp.js';

/** Who writes: a BSUID, and the phone number when WhatsApp sends one (false: a username, no phone). */
export interface WaWho {
  bsuid: string;
  phone: string | false;
  /** The WhatsApp profile name Meta sends in contacts[].profile (personal data too). */
  profileName?: string;
}

export const DEFAULT_WHO: WaWho = { bsuid: BSUID, phone: PHONE };

/** What the person types at the detail steps; null taps "Skip". */
export interface WaDetails {
  name: string;
  organisation: string | null;
  country: string | null;
  email: string | null;
  text: string;
}

/**
 * A message id as Meta makes them: "wamid." and base64 of a small binary record that holds the
 * sender's phone number as digits (so a stored wamid is a stored phone number), then random bytes.
 * What Meta puts there for a person with no phone is not documented: the BSUID's digits here.
 */
export function wamidOf(who: WaWho): string {
  const id = Buffer.from(who.phone || who.bsuid.replace(/\D/g, ''), 'ascii');
  const record = Buffer.concat([Buffer.from([0x1c, 0x18, id.length]), id, Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]), Buffer.from(randomBytes(10).toString('hex').toUpperCase(), 'ascii'), Buffer.from([0x00])]);
  return `wamid.${record.toString('base64')}`;
}

/** The phone number (or BSUID digits) as it appears inside this person's wamids: a needle for scans. */
export function idInWamids(who: WaWho): string {
  return Buffer.from(who.phone || who.bsuid.replace(/\D/g, ''), 'ascii').toString('base64').slice(0, 16);
}

export class WaPerson {
  /** The message ids (wamids) of everything this person sent, each one unique to them. */
  readonly sent: string[] = [];

  constructor(readonly rig: Pick<WhatsAppRig, 'api' | 'clock' | 'post'>, readonly who: WaWho = DEFAULT_WHO) {}

  /** A text typed by the person (a "/delete" typed is a command on WhatsApp). */
  say(t: string): Promise<Response> {
    return this.send({ type: 'text', text: { body: t } });
  }

  /** Any message of the person's (an image, a document, a system message…), with a fresh wamid. */
  send(message: Record<string, unknown>): Promise<Response> {
    return this.rig.post(this.bodyOf(message));
  }

  /** The webhook body of one message of theirs (a fresh wamid), to post to any instance. */
  bodyOf(message: Record<string, unknown>): Record<string, unknown> {
    return this.own(body([messageFrom(this.rig.clock.now, message, this.who)], [], this.who));
  }

  /** Presses `id` on the last message the bot sent them: a reply button or a list row, by its title. */
  tap(id: string): Promise<Response> {
    const m = this.rig.api.lastTo(this.who.bsuid);
    const title = FakeCloudApi.titlesOf(m)[FakeCloudApi.choicesOf(m).indexOf(id)] ?? id;
    const b = m?.interactive?.type === 'list' ? listReply(this.rig.clock.now, id, title) : buttonReply(this.rig.clock.now, id, title);
    // The reply builders speak for the default person; this one is put in their place.
    return this.rig.post(this.own(b));
  }

  /** A delivery receipt for a message the bot sent this person; `code` makes it a failed one. */
  status(wamid: string, status: 'sent' | 'delivered' | 'read' | 'failed', code?: number): Promise<Response> {
    const s = {
      id: wamid, status, timestamp: String(Math.floor(this.rig.clock.now.getTime() / 1000)),
      ...(this.who.phone ? { recipient_id: this.who.phone } : {}), recipient_user_id: this.who.bsuid,
      ...(code !== undefined ? { errors: [{ code, title: code === 131026 ? 'Message undeliverable' : 'Re-engagement message', error_data: { details: 'Message failed to send.' } }] } : {}),
    };
    return this.rig.post(body([], [s]));
  }

  /** The visible texts the bot sent this person. */
  texts(): string[] {
    return this.rig.api.textsTo(this.who.bsuid);
  }

  /** The last receipt code (ICS-XXXXXX) the bot sent this person. */
  code(): string {
    const all = this.texts().join('\n').match(/ICS-[A-Z0-9]{6}/g);
    if (!all) throw new Error('no receipt code was sent');
    return all.at(-1)!;
  }

  /** From a first "hello" to the receipt, in English; returns the receipt code. */
  async submits(d: WaDetails): Promise<string> {
    await this.say('hello');
    await this.tap('consent:yes');
    await this.tap('menu:submit');
    await this.tap('topic:2');
    await this.say(d.name);
    for (const f of ['organisation', 'country', 'email'] as const) {
      const v = d[f];
      await (v === null ? this.tap(`skip:${f}`) : this.say(v));
    }
    await this.say(d.text);
    await this.tap('body:done');
    await this.tap('review:confirm');
    return this.code();
  }

  /** The body as this person's: their ids in contacts and messages, a wamid of their own (recorded). */
  private own(b: Record<string, unknown>): Record<string, unknown> {
    const value = (b.entry as { changes: { value: { contacts: Record<string, unknown>[]; messages: Record<string, unknown>[] } }[] }[])[0]!.changes[0]!.value;
    value.contacts = [{ profile: { name: this.who.profileName ?? 'ليلى' }, ...(this.who.phone ? { wa_id: this.who.phone } : {}), user_id: this.who.bsuid }];
    for (const m of value.messages) {
      m.id = wamidOf(this.who);
      this.sent.push(m.id as string);
      delete m.from;
      if (this.who.phone) m.from = this.who.phone;
      m.from_user_id = this.who.bsuid;
    }
    return b;
  }
}
