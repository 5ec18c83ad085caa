/**
 * A small fake of the Graph API for the Messenger adapter's tests: node:http on 127.0.0.1, a random
 * port. It answers the Send API and the Messenger Profile API as Meta does — limits checked, errors
 * as {error: {message, type: 'OAuthException', code, error_subcode, fbtrace_id}} with Meta's HTTP
 * status — and serves attachment files. What it accepted is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  psid: string;
  messagingType: string;
  message: {
    text?: string;
    quick_replies?: { content_type: string; title: string; payload: string }[];
    attachment?: { type: string; payload: { template_type: string; text: string; buttons: { type: string; title: string; payload: string }[] } };
  };
}

/**
 * What the next requests to me/messages should suffer. 'unavailable' is (#551) "This person isn't
 * available right now"; 'cannot-receive' is (#10) subcode 2018108, "This person isn't receiving
 * messages from you right now"; 'invalid' a (#100) refusal of the message itself.
 */
export type Failure = 'server' | 'rate-limit' | 'app-rate-limit' | 'network' | 'unavailable' | 'cannot-receive' | 'invalid';

interface GraphErr {
  status: number;
  code: number;
  subcode?: number;
  message: string;
}

const invalid = (message: string, subcode?: number): GraphErr => ({ status: 400, code: 100, subcode, message: `(#100) ${message}` });

export class FakeGraphApi {
  readonly messages: SentMessage[] = [];
  readonly actions: { psid: string; action: string }[] = [];
  readonly profiles: Record<string, unknown>[] = [];
  /** The names of every attachment download asked for (the CDN's /cdn/<name>), in order. */
  readonly downloads: string[] = [];
  /** Every request to me/messages, accepted or not (retries show here). */
  requests = 0;
  /** The field lists posted to me/subscribed_apps. */
  readonly subscriptions: string[][] = [];
  /** PSIDs whose 24-hour window is closed: sends to them get (#10) subcode 2018278. */
  readonly closedWindows = new Set<string>();
  private readonly failures: Failure[] = [];
  /** Failures for the next message sends only (sender actions such as typing_on pass). */
  private readonly messageFailures: Failure[] = [];
  /** PSIDs Meta refuses messages to, with the refusal: (#551) unavailable or (#10/2018108) cannot receive. */
  readonly unreachable = new Map<string, 'unavailable' | 'cannot-receive'>();

  private readonly files = new Map<string, { bytes: Buffer; type: string }>();
  private readonly server: Server;
  private nextId = 1;
  url = '';

  constructor(
    readonly token: string,
    readonly version = 'v26.0',
  ) {
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

  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  /** The next message sends (not sender actions) suffer these failures. */
  failNextMessage(...failures: Failure[]): void {
    this.messageFailures.push(...failures);
  }

  addFile(name: string, bytes: Buffer | string, type: string): string {
    this.files.set(name, { bytes: Buffer.from(bytes), type });
    // Shaped like Messenger's CDN links: the original name is the last path segment.
    return `${this.url}/cdn/v/t59.2708-21/${encodeURIComponent(name)}?_nc_cat=101&oh=abc`;
  }

  /** The texts a person was sent, quick-reply messages and button templates alike. */
  textsTo(psid: string): string[] {
    return this.messages.filter((m) => m.psid === psid).map((m) => m.message.text ?? m.message.attachment?.payload.text ?? '');
  }

  lastTo(psid: string): SentMessage | undefined {
    return this.messages.filter((m) => m.psid === psid).at(-1);
  }

  /** The ids of the buttons on a sent message (quick replies or template buttons). */
  static choicesOf(m: SentMessage | undefined): string[] {
    if (!m) return [];
    return m.message.quick_replies?.map((q) => q.payload) ?? m.message.attachment?.payload.buttons.map((b) => b.payload) ?? [];
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) {
      const name = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
      this.downloads.push(name);
      const file = this.files.get(name);
      if (!file) return this.reply(res, 404, {});
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const body = await readJson(req);
    if (url.searchParams.get('access_token') !== this.token) {
      return this.error(res, { status: 400, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    if (req.method === 'POST' && url.pathname === `/${this.version}/me/messages`) return this.messagesEndpoint(req, res, body);
    if (req.method === 'POST' && url.pathname === `/${this.version}/me/messenger_profile`) {
      this.profiles.push(body);
      return this.reply(res, 200, { result: 'success' });
    }
    // The Page's webhook subscription: a comma-separated list of fields, answered {success: true}.
    if (req.method === 'POST' && url.pathname === `/${this.version}/me/subscribed_apps`) {
      const fields = String(body.subscribed_fields ?? '');
      if (!/^[a-z_]+(,[a-z_]+)*$/.test(fields)) return this.error(res, invalid('param subscribed_fields must be a list of fields'));
      this.subscriptions.push(fields.split(','));
      return this.reply(res, 200, { success: true });
    }
    return this.error(res, { status: 400, code: 2500, message: 'Unknown path components' });
  }

  private messagesEndpoint(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    this.requests++;
    const psid0 = (body.recipient as { id?: unknown } | undefined)?.id;
    const isMessage = body.sender_action === undefined;
    const personal = isMessage && typeof psid0 === 'string' ? this.unreachable.get(psid0) : undefined;
    const failure = this.failures.shift() ?? (isMessage ? (this.messageFailures.shift() ?? personal) : undefined);
    if (failure === 'network') {
      req.socket.destroy();
      return;
    }
    if (failure === 'server') return this.error(res, { status: 500, code: 2, message: 'An unexpected error has occurred. Please retry your request later.' });
    if (failure === 'rate-limit') return this.error(res, { status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' });
    if (failure === 'app-rate-limit') return this.error(res, { status: 400, code: 4, message: '(#4) Application request limit reached' });
    if (failure === 'unavailable') return this.error(res, { status: 400, code: 551, subcode: 1545041, message: "(#551) This person isn't available right now." });
    if (failure === 'cannot-receive') return this.error(res, { status: 400, code: 10, subcode: 2018108, message: "(#10) This person isn't receiving messages from you right now." });
    if (failure === 'invalid') return this.error(res, invalid('Invalid parameter'));

    const psid = (body.recipient as { id?: unknown } | undefined)?.id;
    if (typeof psid !== 'string' || !/^\d+$/.test(psid)) return this.error(res, invalid('param recipient must be non-empty.'));
    if (body.sender_action !== undefined) {
      if (!['typing_on', 'typing_off', 'mark_seen'].includes(String(body.sender_action))) return this.error(res, invalid('param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF}'));
      this.actions.push({ psid, action: String(body.sender_action) });
      return this.reply(res, 200, { recipient_id: psid });
    }
    const type = String(body.messaging_type ?? '');
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(type)) return this.error(res, invalid('param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}'));
    const problem = checkMessage(body.message as SentMessage['message'] | undefined);
    if (problem) return this.error(res, problem);
    if (this.closedWindows.has(psid)) {
      return this.error(res, { status: 400, code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' });
    }
    this.messages.push({ psid, messagingType: type, message: body.message as SentMessage['message'] });
    this.reply(res, 200, { recipient_id: psid, message_id: `m_fake${this.nextId++}` });
  }

  private error(res: ServerResponse, e: GraphErr): void {
    this.reply(res, e.status, { error: { message: e.message, type: 'OAuthException', code: e.code, error_subcode: e.subcode, fbtrace_id: 'AbCdEfGhIjK' } });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }
}

/** The Send API's limits on a message, as Meta enforces them. */
function checkMessage(m: SentMessage['message'] | undefined): GraphErr | null {
  if (!m || typeof m !== 'object') return invalid('param message must be non-empty.');
  if (m.text !== undefined) {
    if (typeof m.text !== 'string' || m.text.length === 0) return invalid('param message[text] must be non-empty.');
    if (m.text.length > 2000) return invalid('param message[text] must be a UTF-8 encoded string with length of at most 2000', 2018047);
  } else if (!m.attachment) return invalid('Must send either message text or an attachment');
  const quick = m.quick_replies ?? [];
  if (quick.length > 13) return invalid('param message[quick_replies] must have at most 13 elements');
  for (const q of quick) {
    if (q.content_type !== 'text') continue;
    if (!q.title || q.title.length > 20) return invalid('param message[quick_replies][title] must be at most 20 characters', 2018032);
    if (!q.payload || q.payload.length > 1000) return invalid('param message[quick_replies][payload] must be at most 1000 characters');
  }
  const t = m.attachment?.payload;
  if (m.attachment && t?.template_type === 'button') {
    if (!t.text || t.text.length > 640) return invalid('param message[attachment][payload][text] must be at most 640 characters');
    if (!Array.isArray(t.buttons) || t.buttons.length < 1 || t.buttons.length > 3) return invalid('param message[attachment][payload][buttons] must have 1 to 3 elements');
    for (const b of t.buttons) {
      if (!b.title || b.title.length > 20) return invalid('param message[attachment][payload][buttons][title] must be at most 20 characters');
      if (b.type === 'postback' && (!b.payload || b.payload.length > 1000)) return invalid('param message[attachment][payload][buttons][payload] must be at most 1000 characters');
    }
  }
  return null;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}
