/**
 * A small fake of the WhatsApp Cloud API: node:http on 127.0.0.1, a random port. It answers
 * POST /{version}/{phone-number-id}/messages as Meta documents it — the bearer token checked,
 * text ≤ 4,096, reply buttons ≤ 3 with unique titles of 1–20 characters, lists of ≤ 10 rows with
 * titles ≤ 24 and a button text ≤ 20, refused with Meta's error shape
 * {error: {message, type: 'OAuthException', code, error_data, fbtrace_id}} — and keeps each
 * person's 24-hour window (131047 outside it for anything but a template). It can refuse a person
 * (131026), a pair sending too fast (131056), the number's throughput (130429) and a message type
 * to a BSUID (131062). A phone number goes in `to`, a BSUID in `recipient` (see addressee()). Media: GET
 * /{version}/{media-id} gives a URL that expires, and GET of that URL gives the bytes, both only
 * with the bearer token. What it accepted is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WaSent {
  /** The BSUID (`recipient`) or phone number (`to`) the message went to. */
  to: string;
  /** The field that named the addressee (`to` wins when both came, as at Meta). */
  via: 'to' | 'recipient';
  type: string;
  text?: { body: string };
  interactive?: {
    type: 'button' | 'list';
    body: { text: string };
    action: { buttons?: { type: string; reply: { id: string; title: string } }[]; button?: string; sections?: { title?: string; rows: { id: string; title: string }[] }[] };
  };
  template?: { name: string; language: { code: string }; components?: unknown[] };
}

interface WaErr {
  status: number;
  code: number;
  message: string;
}

const invalidParam = (message: string): WaErr => ({ status: 400, code: 131009, message: `(#131009) Parameter value is not valid: ${message}` });
const WINDOW_MS = 24 * 3600_000;

export class FakeCloudApi {
  readonly messages: WaSent[] = [];
  /** Message ids a typing indicator was shown for (with their read mark), in order. */
  readonly typing: string[] = [];
  /** Message ids marked read, in order. */
  readonly read: string[] = [];
  /** Every POST to /messages, accepted or not. */
  requests = 0;
  /** Refusals given, by code. */
  readonly refusals: number[] = [];
  /** The last time each person wrote (the fake's clock): the 24-hour window's start. */
  readonly lastInbound = new Map<string, number>();
  /** Set to check the window; unset, every person is inside it. */
  windowCheck = false;
  /** People WhatsApp cannot deliver to (131026). */
  readonly undeliverable = new Set<string>();
  /** Message types refused to a BSUID addressee (131062; at Meta: authentication templates). */
  readonly bsuidUnsupported = new Set<string>();
  /** The codes the next sends fail with (131056, 130429, 131026, 190, 368…), in order. */
  private readonly nextFailures: number[] = [];
  /** How long media URLs stay valid (ms); a negative value: expired by the time they are fetched. */
  mediaTtlMs = 5 * 60_000;
  /** How long a webhook's media id can be fetched (Meta: about 7 days), on the fake's clock. */
  mediaIdTtlMs = 7 * 24 * 3600_000;
  /** Business account ids the app was subscribed to (POST /{waba-id}/subscribed_apps). */
  readonly subscribedAccounts: string[] = [];
  /** Media downloads asked for (media ids), in order. */
  readonly downloads: string[] = [];
  now = () => Date.now();
  /**
   * Set to enforce Meta's sending limits as documented (limits() below): the pair rate (about one
   * message per 6 s to one person, bursts of up to 45 borrowed from later → 131056) and the
   * number's throughput (80 requests in any second → 130429). Unset, only failNext refuses.
   */
  strictLimits = false;
  pairIntervalMs = 6_000;
  pairBurst = 45;
  throughputPerSecond = 80;
  /** When each POST to /messages arrived (performance.now()), read marks included. */
  readonly arrivals: number[] = [];
  private readonly pairs = new Map<string, { tokens: number; at: number }>();

  private readonly media = new Map<string, { bytes: Buffer; type: string; addedAt: number }>();
  private readonly urls = new Map<string, { mediaId: string; expires: number }>();
  private readonly server: Server;
  private next = 1;
  url = '';

  constructor(readonly token: string, readonly phoneNumberId: string, readonly version = 'v26.0') {
    this.server = createServer((req, res) => {
      this.route(req, res).catch(() => this.reply(res, 500, {}));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  failNext(...codes: number[]): void {
    this.nextFailures.push(...codes);
  }

  /** A media object, as a person's upload: returns its id for a webhook's `document.id`. */
  addMedia(bytes: Buffer | string, type: string): string {
    const id = `${1000000 + this.next++}`;
    this.media.set(id, { bytes: Buffer.from(bytes), type, addedAt: this.now() });
    return id;
  }

  /** Messages sent to one person. */
  to(id: string): WaSent[] {
    return this.messages.filter((m) => m.to === id);
  }

  /** The visible text of every message to one person (interactive bodies included). */
  textsTo(id: string): string[] {
    return this.to(id).map((m) => m.text?.body ?? m.interactive?.body.text ?? '');
  }

  lastTo(id: string): WaSent | undefined {
    return this.to(id).at(-1);
  }

  /** The choice ids of a message: its buttons' or its list rows'. */
  static choicesOf(m: WaSent | undefined): string[] {
    const a = m?.interactive?.action;
    return a?.buttons?.map((b) => b.reply.id) ?? a?.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [];
  }

  static titlesOf(m: WaSent | undefined): string[] {
    const a = m?.interactive?.action;
    return a?.buttons?.map((b) => b.reply.title) ?? a?.sections?.flatMap((s) => s.rows.map((r) => r.title)) ?? [];
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, e: WaErr): void {
    this.refusals.push(e.code);
    this.reply(res, e.status, { error: { message: e.message, type: 'OAuthException', code: e.code, error_data: { messaging_product: 'whatsapp', details: e.message }, fbtrace_id: `A${this.next++}` } });
  }

  /** A media id past its days: Meta answers that the object does not exist (404). */
  private mediaGone(res: ServerResponse, id: string): void {
    this.fail(res, { status: 404, code: 100, message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.` });
  }

  private authorised(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.token}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!this.authorised(req)) return this.fail(res, { status: 401, code: 190, message: 'Invalid OAuth access token.' });
    const media = /^\/media\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (media && req.method === 'GET') {
      const u = this.urls.get(media[1]!);
      if (!u || u.expires < Date.now()) return this.reply(res, 404, {});
      const file = this.media.get(u.mediaId)!;
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
      return void res.end(file.bytes);
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== this.version) return this.fail(res, { status: 400, code: 2500, message: 'Unknown path' });
    if (req.method === 'GET' && parts.length === 2) {
      const file = this.media.get(parts[1]!);
      if (file && this.now() - file.addedAt > this.mediaIdTtlMs) return this.mediaGone(res, parts[1]!);
      if (file) {
        this.downloads.push(parts[1]!);
        const key = `u${this.next++}`;
        this.urls.set(key, { mediaId: parts[1]!, expires: Date.now() + this.mediaTtlMs });
        return this.reply(res, 200, { messaging_product: 'whatsapp', url: `${this.url}/media/${key}`, mime_type: file.type, id: parts[1] });
      }
      if (parts[1] === this.phoneNumberId) return this.reply(res, 200, { id: this.phoneNumberId, display_phone_number: '+964 770 000 0000', verified_name: 'ICSSI' });
      return this.fail(res, { status: 400, code: 100, message: 'Unsupported get request.' });
    }
    if (req.method === 'POST' && parts.length === 3 && parts[2] === 'subscribed_apps') {
      this.subscribedAccounts.push(parts[1]!);
      return this.reply(res, 200, { success: true });
    }
    if (req.method === 'POST' && parts.length === 3 && parts[1] === this.phoneNumberId && parts[2] === 'messages') {
      this.requests++;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return this.fail(res, { status: 400, code: 100, message: 'Invalid JSON' });
      }
      if (await this.beforeSend(req, res, body)) return;
      return this.messagesPost(res, body);
    }
    this.fail(res, { status: 400, code: 100, message: 'Unsupported request' });
  }

  private messagesPost(res: ServerResponse, body: Record<string, unknown>): void {
    const busy = this.throughputCheck();
    if (busy) return this.fail(res, busy);
    if (body.messaging_product !== 'whatsapp') return this.fail(res, { status: 400, code: 100, message: 'messaging_product is required' });
    if (body.status === 'read') {
      if (typeof body.message_id !== 'string') return this.fail(res, { status: 400, code: 100, message: 'message_id is required' });
      this.read.push(body.message_id);
      if (body.typing_indicator !== undefined) {
        if ((body.typing_indicator as { type?: unknown }).type !== 'text') return this.fail(res, { status: 400, code: 100, message: 'typing_indicator.type must be text' });
        this.typing.push(body.message_id);
      }
      return this.reply(res, 200, { success: true });
    }
    const addressee = FakeCloudApi.addressee(body);
    if ('code' in addressee) return this.fail(res, addressee);
    const { id: to, via } = addressee;
    if (via === 'recipient' && this.bsuidUnsupported.has(String(body.type))) {
      return this.fail(res, { status: 400, code: 131062, message: '(#131062) Business-scoped User ID recipients are not supported for this message.' });
    }
    const code = this.nextFailures.shift();
    if (code !== undefined) return this.fail(res, { status: code === 130429 ? 429 : 400, code, message: `(#${code}) refused` });
    if (this.undeliverable.has(to)) return this.fail(res, { status: 400, code: 131026, message: '(#131026) Message undeliverable' });
    const m = body as unknown as WaSent & { type: string };
    if (this.windowCheck && m.type !== 'template') {
      const last = this.lastInbound.get(to);
      if (last === undefined || this.now() - last >= WINDOW_MS) return this.fail(res, { status: 400, code: 131047, message: '(#131047) Re-engagement message' });
    }
    const problem = this.check(m) ?? this.messagingLimit(to, m.type) ?? this.pairCheck(to);
    if (problem) return this.fail(res, problem);
    this.messages.push({ to, via, type: m.type, text: m.text, interactive: m.interactive, template: m.template });
    // contacts[]: the input as given, with `wa_id` for a phone number or `user_id` for a BSUID.
    const contact = via === 'to' ? { input: to, wa_id: to } : { input: to, user_id: to };
    const wamid = metaWamid(to, this.next++);
    this.sentIds.push(wamid);
    this.reply(res, 200, { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid }] });
  }

  /**
   * Whom a message is for, as Meta's BSUID pages (2026) say: `to` takes a phone number,
   * `recipient` a BSUID ("<country>.<up to 128 alphanumerics>", a parent BSUID one part more); with
   * both, `to` wins. A BSUID in `to`, or a phone in `recipient`, is not a valid parameter.
   */
  static addressee(body: Record<string, unknown>): { id: string; via: 'to' | 'recipient' } | WaErr {
    if (typeof body.to === 'string') return /^\d{6,20}$/.test(body.to) ? { id: body.to, via: 'to' } : invalidParam('to must be a phone number');
    if (typeof body.recipient === 'string') {
      return /^[A-Z]{2}(\.[A-Za-z0-9]{1,128}){1,2}$/.test(body.recipient) ? { id: body.recipient, via: 'recipient' } : invalidParam('recipient must be a business-scoped user ID');
    }
    return { status: 400, code: 100, message: 'to or recipient is required' };
  }

  /**
   * Meta's messaging limit, when `newPeoplePerDay` is set: templates to people outside their
   * 24-hour window reach at most that many different people in any moving 24 hours (the fake's
   * clock). Meta documents no error code of its own for it; past it this fake answers 131048, the
   * code Meta gives for restrictions on how many messages a number may send.
   */
  newPeoplePerDay: number | null = null;
  /** Who started a conversation through a template outside their window, and when (the fake's clock). */
  readonly initiated = new Map<string, number>();

  private messagingLimit(to: string, type: string): WaErr | null {
    if (this.newPeoplePerDay === null || type !== 'template') return null;
    const now = this.now();
    const last = this.lastInbound.get(to);
    if (last !== undefined && now - last < WINDOW_MS) return null;
    const counted = [...this.initiated].filter(([, at]) => now - at < WINDOW_MS).map(([who]) => who);
    if (!counted.includes(to) && counted.length >= this.newPeoplePerDay) {
      return { status: 400, code: 131048, message: '(#131048) Spam rate limit hit' };
    }
    if (!counted.includes(to)) this.initiated.set(to, now);
    return null;
  }

  /**
   * The number's throughput: every request to /messages counts at its arrival (a refused one too);
   * the 81st within one second is refused with 130429. Counted always (arrivals), enforced when strict.
   */
  private throughputCheck(): WaErr | null {
    const t = performance.now();
    this.arrivals.push(t);
    if (!this.strictLimits) return null;
    let inWindow = 0;
    for (let i = this.arrivals.length - 1; i >= 0 && this.arrivals[i]! > t - 1000; i--) inWindow++;
    return inWindow > this.throughputPerSecond ? { status: 429, code: 130429, message: '(#130429) Rate limit hit' } : null;
  }

  /**
   * The pair rate as Meta documents it: one message per `pairIntervalMs` to one person on average,
   * a burst of up to `pairBurst` allowed but paid back afterwards (a token bucket); past it 131056.
   * Only an accepted message is counted.
   */
  private pairCheck(to: string): WaErr | null {
    if (!this.strictLimits) return null;
    const t = performance.now();
    const b = this.pairs.get(to) ?? { tokens: this.pairBurst, at: t };
    b.tokens = Math.min(this.pairBurst, b.tokens + (t - b.at) / this.pairIntervalMs);
    b.at = t;
    this.pairs.set(to, b);
    if (b.tokens < 1) return { status: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' };
    b.tokens -= 1;
    return null;
  }

  /** The most requests to /messages that arrived within any one second. */
  peakPerSecond(): number {
    let peak = 0;
    let from = 0;
    for (let i = 0; i < this.arrivals.length; i++) {
      while (this.arrivals[i]! - this.arrivals[from]! >= 1000) from++;
      peak = Math.max(peak, i - from + 1);
    }
    return peak;
  }

  private check(m: WaSent): WaErr | null {
    if (m.type === 'text') {
      const t = m.text?.body ?? '';
      if (t.trim() === '') return invalidParam('text.body is empty');
      if (t.length > 4096) return { status: 400, code: 100, message: '(#100) Param text[\'body\'] must be at most 4096 characters long.' };
      return null;
    }
    if (m.type === 'template') return m.template?.name && m.template.language?.code ? null : invalidParam('template');
    if (m.type !== 'interactive' || !m.interactive) return invalidParam('type');
    const i = m.interactive;
    if (!i.body?.text || i.body.text.length > 1024) return invalidParam('interactive.body.text');
    if (i.type === 'button') {
      const buttons = i.action.buttons ?? [];
      if (buttons.length < 1 || buttons.length > 3) return invalidParam('buttons: between 1 and 3');
      const titles = buttons.map((b) => b.reply.title);
      if (titles.some((t) => t.length < 1 || t.length > 20)) return invalidParam('button title length');
      if (new Set(titles).size !== titles.length) return invalidParam('button titles must be unique');
      if (new Set(buttons.map((b) => b.reply.id)).size !== buttons.length) return invalidParam('button ids must be unique');
      return null;
    }
    if (i.type === 'list') {
      const button = i.action.button ?? '';
      if (button.length < 1 || button.length > 20) return invalidParam('list button text length');
      const sections = i.action.sections ?? [];
      const rows = sections.flatMap((s) => s.rows);
      if (sections.length < 1 || rows.length < 1 || rows.length > 10) return invalidParam('rows: between 1 and 10');
      if (sections.length > 1 && sections.some((s) => !s.title)) return invalidParam('section title required');
      if (sections.some((s) => (s.title?.length ?? 0) > 24)) return invalidParam('section title length');
      if (rows.some((r) => r.title.length < 1 || r.title.length > 24)) return invalidParam('row title length');
      if (new Set(rows.map((r) => r.id)).size !== rows.length) return invalidParam('row ids must be unique');
      return null;
    }
    return invalidParam('interactive.type');
  }

  // --- Outages, held sends and message ids (for the outbox and crash suites) -------------------

  /** The message id (wamid) of each accepted message, parallel to `messages`: what a status names. */
  readonly sentIds: string[] = [];
  private readonly outages: ('503' | 'drop')[] = [];

  /**
   * The next sends (read marks excepted) meet these outages, in order: '503' is Meta's "Service
   * temporarily unavailable" (HTTP 503, code 2), 'drop' a connection closed with no answer.
   */
  outage(...kinds: ('503' | 'drop')[]): void {
    this.outages.push(...kinds);
  }

  /** Holds a send while sends are held; true when an outage took it (answered 503, or dropped). */
  private async beforeSend(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<boolean> {
    if (body.status === 'read') return false;
    if (this.holding) {
      this.waiting++;
      await this.holding;
      this.waiting--;
    }
    if (this.outages.length === 0) return false;
    const kind = this.outages.shift()!;
    if (kind === 'drop') req.socket.destroy();
    else this.fail(res, { status: 503, code: 2, message: '(#2) Service temporarily unavailable' });
    return true;
  }

  private holding: Promise<void> | null = null;
  /** Sends held now, unanswered. */
  waiting = 0;

  /**
   * A slow WhatsApp: sends (read marks excepted) wait unanswered until the returned function is
   * called; then they are handled (accepted, shown to the person) even if their sender is gone.
   */
  holdSends(): () => void {
    let release = () => undefined as void;
    this.holding = new Promise<void>((resolve) => {
      release = () => {
        this.holding = null;
        resolve();
      };
    });
    return release;
  }
}

/**
 * A message id shaped as Meta's: "wamid." and base64 of a small record holding the recipient's
 * number as digits (the BSUID's digits for a person with no phone), then a unique tail. So a
 * stored or logged id would be a stored or logged phone number, as with the real API.
 */
function metaWamid(to: string, n: number): string {
  const digits = Buffer.from(to.replace(/\D/g, ''), 'ascii');
  const tail = Buffer.from(n.toString(16).toUpperCase().padStart(20, '0'), 'ascii');
  return `wamid.${Buffer.concat([Buffer.from([0x1c, 0x18, digits.length]), digits, Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), tail, Buffer.from([0x00])]).toString('base64')}`;
}
