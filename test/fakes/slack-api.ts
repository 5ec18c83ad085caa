/**
 * A small fake of the Slack Web API (node:http on 127.0.0.1, a random port), answering as Slack
 * documents: HTTP 200 with {ok:true,…} or {ok:false,error:'…'}, and a 429 with Retry-After when a
 * rate limit is scripted. It checks what Slack would refuse (a missing trigger_id, more than 50
 * blocks in a message or 100 in a view, a section over 3000 characters, a malformed rich_text
 * block, a modal title over 24) and records every call for assertions. It keeps each channel's
 * messages as they stand, so chat.update changes a message the app posted, as Slack's does.
 * @slack/web-api reaches it through `slackApiUrl`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_BOT_TOKEN = 'xoxb-test-token';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
}

export interface Upload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  channel?: string;
  initialComment?: string;
}

type Json = Record<string, unknown>;

function parseForm(text: string): Json {
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(text)) {
    // The client sends nested values (blocks, view, files) as JSON strings.
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

/** The first file part of a multipart body, or the raw body. */
function fileBytes(contentType: string, body: Buffer): Buffer {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) return body;
  const sep = Buffer.from(`--${boundary}`);
  let start = body.indexOf(sep);
  while (start !== -1) {
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(sep, headerEnd);
    if (headerEnd === -1 || next === -1) break;
    const headers = body.subarray(start, headerEnd).toString();
    if (/filename=/.test(headers) || /name="(file|body)"/.test(headers)) return body.subarray(headerEnd + 4, next - 2);
    start = next;
  }
  return body;
}

/** The message as a channel shows it now. */
export interface StoredMessage {
  ts: string;
  text: string;
  blocks: unknown[];
  edited?: boolean;
}

const RICH_CONTAINERS = new Set(['rich_text_section', 'rich_text_list', 'rich_text_quote', 'rich_text_preformatted']);

/** A rich_text block as Slack documents it: containers of text, link, emoji, user… elements. */
function richTextValid(b: Json): boolean {
  const containers = b.elements;
  if (!Array.isArray(containers) || containers.length === 0) return false;
  return (containers as Json[]).every((c) => RICH_CONTAINERS.has(String(c.type)) && Array.isArray(c.elements) &&
    (c.elements as Json[]).every((e) =>
      e.type === 'text' ? typeof e.text === 'string' && e.text !== ''
        : e.type === 'link' ? typeof e.url === 'string'
          : ['emoji', 'user', 'channel', 'usergroup', 'broadcast', 'date'].includes(String(e.type))));
}

function blocksProblem(blocks: unknown, max: number): string | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks) || blocks.length > max) return 'invalid_blocks';
  for (const b of blocks as Json[]) {
    const text = (b.text as { text?: string } | undefined)?.text;
    if (b.type === 'section' && text !== undefined && text.length > 3000) return 'invalid_blocks';
    if (b.type === 'rich_text' && !richTextValid(b)) return 'invalid_blocks';
  }
  return null;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly uploads: Upload[] = [];
  /** Per channel: Retry-After seconds of the 429s still to answer to chat.postMessage. */
  private readonly limits = new Map<string, number[]>();
  private readonly pendingUploads = new Map<string, { filename: string; bytes?: Buffer }>();
  /** Channels that no longer exist for the app (deleted, or a DM with a deactivated user). */
  readonly goneChannels = new Set<string>();
  /** Channels that were archived. */
  readonly archivedChannels = new Set<string>();
  /** Per channel, the messages the app posted, as they stand after any chat.update. */
  readonly messages = new Map<string, StoredMessage[]>();
  private server: Server | null = null;
  private seq = 0;
  base = '';

  /** The `slackApiUrl` to give the client (ends with a slash). */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** The next `times` chat.postMessage calls to `channel` get 429 with Retry-After: seconds. */
  rateLimit(channel: string, seconds: number, times = 1): void {
    this.limits.set(channel, [...(this.limits.get(channel) ?? []), ...Array<number>(times).fill(seconds)]);
  }

  /** Errors the next chat.update calls answer with, in order (e.g. 'internal_error'). */
  readonly updateErrors: string[] = [];

  /** The message `ts` of `channel` as it stands now. */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  callsTo(method: string): Json[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server?.close(() => r());
      this.server?.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: Json | string; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.base);
    const contentType = req.headers['content-type'] ?? '';
    if (url.pathname.startsWith('/upload/')) {
      const id = url.pathname.slice('/upload/'.length);
      const pending = this.pendingUploads.get(id);
      if (!pending) return { status: 404, body: 'unknown upload' };
      pending.bytes = fileBytes(contentType, raw);
      return { status: 200, body: `OK - ${pending.bytes.length}` };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = contentType.includes('application/json') ? (JSON.parse(raw.toString() || '{}') as Json) : parseForm(raw.toString());
    if (req.headers.authorization !== `Bearer ${FAKE_BOT_TOKEN}`) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    this.calls.push({ method, args });
    return this.answer(method, args);
  }

  private answer(method: string, a: Json): { status: number; body: Json; headers?: Record<string, string> } {
    const ok = (extra: Json = {}) => ({ status: 200, body: { ok: true, ...extra } });
    const fail = (error: string) => ({ status: 200, body: { ok: false, error } });
    switch (method) {
      case 'auth.test':
        return ok({ user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', user: 'icssi' });
      case 'conversations.open':
        return typeof a.users === 'string' && a.users !== '' ? ok({ channel: { id: `D${a.users}` } }) : fail('users_not_found');
      case 'chat.postMessage': {
        const channel = String(a.channel ?? '');
        if (!channel || this.goneChannels.has(channel)) return fail('channel_not_found');
        if (this.archivedChannels.has(channel)) return fail('is_archived');
        const wait = this.limits.get(channel)?.shift();
        if (wait !== undefined) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(wait) } };
        const problem = blocksProblem(a.blocks, 50);
        if (problem) return fail(problem);
        const ts = `1700000000.${String(++this.seq).padStart(6, '0')}`;
        this.messages.set(channel, [...(this.messages.get(channel) ?? []), { ts, text: String(a.text ?? ''), blocks: (a.blocks as unknown[] | undefined) ?? [] }]);
        return ok({ channel, ts });
      }
      case 'chat.update': {
        // https://docs.slack.dev/reference/methods/chat.update: channel and ts name a message the
        // app posted; text or blocks replace it; the answer echoes channel, ts and text.
        if (!a.channel || !a.ts) return fail('invalid_arguments');
        const scripted = this.updateErrors.shift();
        if (scripted) return fail(scripted);
        if (a.text === undefined && a.blocks === undefined) return fail('no_text');
        const found = this.message(String(a.channel), String(a.ts));
        if (!found) return fail(this.messages.has(String(a.channel)) ? 'message_not_found' : 'channel_not_found');
        if (blocksProblem(a.blocks, 50)) return fail('invalid_blocks');
        Object.assign(found, { text: String(a.text ?? ''), blocks: (a.blocks as unknown[] | undefined) ?? [], edited: true });
        return ok({ channel: a.channel, ts: a.ts, text: found.text });
      }
      case 'chat.postEphemeral':
        if (!a.channel || !a.user) return fail('invalid_arguments');
        return blocksProblem(a.blocks, 50) ? fail('invalid_blocks') : ok({ message_ts: `1700000001.${++this.seq}` });
      case 'views.open': {
        const view = a.view as Json | undefined;
        if (!a.trigger_id) return fail('invalid_arguments');
        if (!view || String((view.title as Json | undefined)?.text ?? '').length > 24) return fail('invalid_arguments');
        return blocksProblem(view.blocks, 100) ? fail('invalid_blocks') : ok({ view: { id: `V${++this.seq}` } });
      }
      case 'views.publish': {
        const view = a.view as Json | undefined;
        if (!a.user_id || !view) return fail('invalid_arguments');
        return blocksProblem(view.blocks, 100) ? fail('invalid_blocks') : ok({ view: { id: `V${++this.seq}` } });
      }
      case 'files.getUploadURLExternal': {
        if (!a.filename || !a.length) return fail('invalid_arguments');
        const id = `F${++this.seq}`;
        this.pendingUploads.set(id, { filename: String(a.filename) });
        return ok({ upload_url: `${this.base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = (a.files as { id: string; title?: string }[] | undefined) ?? [];
        const done: Json[] = [];
        for (const f of files) {
          const p = this.pendingUploads.get(f.id);
          if (!p?.bytes) return fail('file_not_found');
          this.uploads.push({ fileId: f.id, filename: p.filename, bytes: p.bytes, channel: a.channel_id as string | undefined, initialComment: a.initial_comment as string | undefined });
          done.push({ id: f.id, title: f.title ?? p.filename });
        }
        return ok({ files: done });
      }
      default:
        return fail('unknown_method');
    }
  }
}
