/**
 * A small Telegram Bot API on 127.0.0.1 (random port) that answers as the real one documents:
 * POST or GET /bot<token>/<method> with a JSON, form or query body; `{ok:true,result}` or
 * `{ok:false,error_code,description,parameters?}`; 400 for a text over 4096 characters or
 * callback_data over 64 bytes; getFile and /file/bot<token>/<path>; getUpdates with long polling.
 * Tests script failures (429 with retry_after, 5xx, a dropped connection, a blocked chat) and read
 * every call back.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  /** The HTTP status answered (undefined for a dropped connection or a pending long poll). */
  status?: number;
}

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

interface Scripted {
  method: string;
  match?: (params: Record<string, unknown>) => boolean;
  /** A Bot API error, or 'drop' to close the connection without an answer (a network failure). */
  answer: ApiFailure | 'drop';
  times: number;
}

const BOT = { id: 7000000001, is_bot: true, first_name: 'ICSSI Call Bot', username: 'IcssiCallBot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const RECORDED = new Set(['sendMessage', 'answerCallbackQuery', 'sendChatAction', 'getMe', 'getFile', 'setWebhook', 'deleteWebhook', 'setMyCommands', 'setMyDescription', 'setMyShortDescription', 'getUpdates']);

interface Flood {
  perSecond: number;
  perChatMs: number;
  inject?: { afterCalls: number; retryAfter: number };
  /** Arrival times of the calls let through in the last second, oldest first. */
  accepted: number[];
  chatLast: Map<string, number>;
  /** The whole bot's wait, and each chat's (performance.now() times). */
  until: number;
  chatUntil: Map<string, number>;
  windows: { from: number; until: number; chat?: string }[];
  seen: number;
}

class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.description);
  }
}
const bad = (description: string) => new ApiError({ error_code: 400, description: `Bad Request: ${description}` });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The Bot API takes parameters as a query string, urlencoded or JSON; form values may hold JSON. */
function paramsOf(req: IncomingMessage, body: Buffer, url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fromForm = (p: URLSearchParams) => {
    for (const [k, v] of p) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v;
      }
    }
  };
  fromForm(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json') && body.length > 0) Object.assign(out, JSON.parse(body.toString('utf8')));
  else if (type.includes('application/x-www-form-urlencoded')) fromForm(new URLSearchParams(body.toString('utf8')));
  return out;
}

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** The paths of every file download asked for (/file/bot<token>/<path>), in order. */
  readonly downloads: string[] = [];
  readonly events = new EventEmitter();
  /** Update ids are given out in order by pushUpdate. */
  private readonly updates: Record<string, unknown>[] = [];
  private readonly files = new Map<string, { path: string; bytes: Buffer }>();
  private readonly scripted: Scripted[] = [];
  /** Chat id → the 403 description Telegram gives for it (blocked, deactivated). */
  private readonly blockedChats = new Map<string, string>();
  /** While set, sendMessage requests wait for it before being answered (a slow Bot API). */
  private gate: Promise<void> | null = null;
  /** Telegram's flood control on sendMessage, when enforced (telegramLimits). */
  private flood: Flood | null = null;
  /** The next sendMessage requests that take this long on their way (a fresh connection). */
  private slow: { count: number; ms: number } | null = null;
  private server: Server | null = null;
  private messageId = 100;
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null = null;
  apiRoot = '';

  constructor(readonly token = '7000000001:AAF-fake-token_for-tests-0123456789') {}

  /** Listens on 127.0.0.1, on `port` when given (a test bringing the API up where the bot looks). */
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.events.emit('closing');
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls of `method` (matching `match`) fail with `answer`. */
  fail(method: string, answer: ApiFailure | 'drop', opts: { times?: number; match?: (p: Record<string, unknown>) => boolean } = {}): void {
    this.scripted.push({ method, answer, times: opts.times ?? 1, match: opts.match });
  }

  /**
   * The person behind this chat has blocked the bot (or deleted their account: pass
   * 'Forbidden: user is deactivated'): sends get 403, as Telegram answers them.
   */
  blockChat(chatId: number | string, description = 'Forbidden: bot was blocked by the user'): void {
    this.blockedChats.set(String(chatId), description);
  }

  unblockChat(chatId: number | string): void {
    this.blockedChats.delete(String(chatId));
  }

  /**
   * Holds every sendMessage answer until the returned function is called (the request is
   * recorded on arrival). Lets a test act while a reply is on its way.
   */
  holdSends(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => {
      release = () => {
        this.gate = null;
        resolve();
      };
    });
    return release;
  }

  /**
   * Telegram's flood control on sendMessage, as its FAQ states the limits: about 30 messages per
   * second overall and one per second to a chat. A call above either gets 429 with retry_after
   * (whole seconds, as Telegram gives them), and every call inside that wait gets 429 again — the
   * whole bot's wait for the overall limit, that chat's for the per-chat one. `inject`: the
   * `afterCalls`-th sendMessage (1-based) gets a 429 of `retryAfter` seconds for the whole bot
   * whatever the rate, as Telegram does under load of its own.
   */
  telegramLimits(opts: { perSecond?: number; perChatMs?: number; inject?: { afterCalls: number; retryAfter: number } } = {}): void {
    this.flood = { perSecond: opts.perSecond ?? 30, perChatMs: opts.perChatMs ?? 1000, inject: opts.inject, accepted: [], chatLast: new Map(), until: 0, chatUntil: new Map(), windows: [], seen: 0 };
  }

  /**
   * The next `count` sendMessage requests reach the API `ms` later than they were sent, as a
   * fresh process's first requests do (new connections, cold code); the rest arrive at once.
   */
  slowArrivals(count: number, ms: number): void {
    this.slow = { count, ms };
  }

  /**
   * What the flood control saw: the waits it ordered (from, until: performance.now() times),
   * sendMessage calls that arrived inside one of them, the most calls that arrived in any one
   * second (every call, answered or not), and those in the first second after the first call.
   */
  floodReport(): { windows: { from: number; until: number; chat?: string }[]; insideWindows: number; maxInAnySecond: number; firstSecond: number; tooMany: number } {
    const sends = this.callsOf('sendMessage');
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    let maxInAnySecond = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= 1000) i++;
      maxInAnySecond = Math.max(maxInAnySecond, j - i + 1);
    }
    const firstSecond = times.filter((t) => t - times[0]! < 1000).length;
    const windows = this.flood?.windows ?? [];
    const insideWindows = sends.filter((c) => windows.some((w) => c.at > w.from && c.at < w.until && (!w.chat || w.chat === String(c.params.chat_id)))).length;
    return { windows, insideWindows, maxInAnySecond, firstSecond, tooMany: sends.filter((c) => c.status === 429).length };
  }

  addFile(fileId: string, bytes: Buffer, path = `documents/${fileId}`): void {
    this.files.set(fileId, { path, bytes });
  }

  /** Queues an update for getUpdates; update_id is kept as given. */
  pushUpdate(update: Record<string, unknown>): void {
    this.updates.push(update);
    this.events.emit('update');
  }

  /**
   * What Telegram does with a webhook's 200 answer: a JSON body naming a `method` is performed as
   * that Bot API call (the rest of the body its parameters); its result goes nowhere.
   */
  async performWebhookAnswer(status: number, body: string): Promise<void> {
    if (status !== 200 || body === '') return;
    let call: unknown;
    try {
      call = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof call !== 'object' || call === null || typeof (call as { method?: unknown }).method !== 'string') return;
    const { method, ...params } = call as { method: string } & Record<string, unknown>;
    const res = await fetch(`${this.apiRoot}/bot${this.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    await res.arrayBuffer();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** sendMessage calls, to one chat if given. */
  messages(chatId?: number | string): { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] }; at: number }[] {
    return this.callsOf('sendMessage')
      .filter((c) => chatId === undefined || String(c.params.chat_id) === String(chatId))
      .map((c) => ({ text: c.params.text as string, reply_markup: c.params.reply_markup as never, at: c.at }));
  }

  /** Resolves with the first call (already made or to come) that matches. */
  waitFor(predicate: (c: ApiCall) => boolean): Promise<ApiCall> {
    const seen = this.calls.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const listener = (c: ApiCall) => {
        if (!predicate(c)) return;
        this.events.off('call', listener);
        resolve(c);
      };
      this.events.on('call', listener);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(file[1]!, decodeURIComponent(file[2]!), res);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const body = await readBody(req);
    const current: { call?: ApiCall } = {};
    const json = (status: number, payload: unknown) => {
      if (current.call) current.call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (!m) return json(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    let params: Record<string, unknown>;
    try {
      params = paramsOf(req, body, url);
    } catch {
      return json(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    if (method === 'sendMessage' && this.slow && this.slow.count > 0) {
      this.slow.count--;
      await new Promise((resolve) => setTimeout(resolve, this.slow!.ms));
    }
    const call: ApiCall = { method, params, at: performance.now() };
    current.call = call;
    if (RECORDED.has(method)) this.calls.push(call);
    this.events.emit('call', call);

    if (method === 'sendMessage' && this.gate) await this.gate;
    if (method === 'sendMessage' && this.flood) {
      const wait = this.floodWait(this.flood, call.at, String(params.chat_id ?? ''));
      if (wait !== null) return json(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } });
    }
    const script = this.scripted.find((s) => s.method === method && s.times > 0 && (!s.match || s.match(params)));
    if (script) {
      script.times--;
      if (script.answer === 'drop') {
        req.socket.destroy();
        return;
      }
      return json(script.answer.error_code, { ok: false, ...script.answer });
    }
    try {
      const result = await this.answer(method, params, res);
      json(200, { ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      json(err.failure.error_code, { ok: false, ...err.failure });
    }
  }

  /** The retry_after (seconds) for a sendMessage arriving at `at`, or null when it may pass. */
  private floodWait(f: Flood, at: number, chat: string): number | null {
    f.seen++;
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    // Inside a wait already ordered: refused again, for what is left of it.
    if (f.until > at) return seconds(f.until - at);
    const chatUntil = f.chatUntil.get(chat) ?? 0;
    if (chatUntil > at) return seconds(chatUntil - at);
    const order = (retryAfter: number, forChat?: string) => {
      const until = at + retryAfter * 1000;
      if (forChat) f.chatUntil.set(forChat, until);
      else f.until = until;
      f.windows.push({ from: at, until, ...(forChat ? { chat: forChat } : {}) });
      return retryAfter;
    };
    if (f.inject && f.seen === f.inject.afterCalls) return order(f.inject.retryAfter);
    while (f.accepted.length > 0 && at - f.accepted[0]! >= 1000) f.accepted.shift();
    if (f.accepted.length >= f.perSecond) return order(seconds(f.accepted[0]! + 1000 - at));
    const last = f.chatLast.get(chat);
    if (last !== undefined && at - last < f.perChatMs) return order(seconds(last + f.perChatMs - at), chat);
    f.accepted.push(at);
    f.chatLast.set(chat, at);
    return null;
  }

  private download(token: string, path: string, res: ServerResponse): void {
    const entry = [...this.files.values()].find((f) => f.path === path);
    this.downloads.push(path);
    if (token !== this.token || !entry) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.bytes.length }).end(entry.bytes);
  }

  private async answer(method: string, p: Record<string, unknown>, res: ServerResponse): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return BOT;
      case 'sendMessage':
        return this.sendMessage(p);
      case 'answerCallbackQuery':
        if (!p.callback_query_id) throw bad('query is too old and response timeout expired or query ID is invalid');
        if (typeof p.text === 'string' && p.text.length > 200) throw bad('MESSAGE_TOO_LONG');
        return true;
      case 'sendChatAction':
        return true;
      case 'getFile': {
        const f = this.files.get(String(p.file_id));
        if (!f) throw bad('invalid file_id');
        // Files over 20 MB are not served: Telegram answers getFile with an error.
        if (f.bytes.length > MAX_FILE_BYTES) throw bad('file is too big');
        return { file_id: p.file_id, file_unique_id: `u-${String(p.file_id)}`, file_size: f.bytes.length, file_path: f.path };
      }
      case 'setWebhook':
        if (typeof p.url !== 'string') throw bad('bad webhook: URL must be provided');
        if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))) throw bad('secret token contains unallowed characters');
        this.webhook = { url: p.url, secret_token: p.secret_token as string | undefined, allowed_updates: p.allowed_updates as string[] | undefined };
        return true;
      case 'deleteWebhook':
        this.webhook = null;
        return true;
      case 'setMyCommands': {
        const commands = p.commands as { command: string; description: string }[];
        if (!Array.isArray(commands) || commands.length > 100) throw bad('too many commands');
        for (const c of commands) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad('BOT_COMMAND_INVALID');
          if (!c.description || c.description.length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
        }
        return true;
      }
      case 'setMyDescription':
        if (typeof p.description === 'string' && p.description.length > 512) throw bad('description is too long');
        return true;
      case 'setMyShortDescription':
        if (typeof p.short_description === 'string' && p.short_description.length > 120) throw bad('short description is too long');
        return true;
      case 'getUpdates':
        return this.getUpdates(p, res);
      default:
        throw new ApiError({ error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private sendMessage(p: Record<string, unknown>): unknown {
    const chatId = String(p.chat_id ?? '');
    if (!chatId) throw bad('chat not found');
    const blocked = this.blockedChats.get(chatId);
    if (blocked) throw new ApiError({ error_code: 403, description: blocked });
    const text = typeof p.text === 'string' ? p.text : '';
    if (text.trim() === '') throw bad('message text is empty');
    // The limit counts UTF-16 code units after entity parsing; these texts carry no markup.
    if (text.length > 4096) throw bad('message is too long');
    const markup = p.reply_markup as { inline_keyboard?: { text?: string; callback_data?: string }[][] } | undefined;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) {
        const bytes = Buffer.byteLength(b.callback_data ?? '', 'utf8');
        if (bytes < 1 || bytes > 64) throw bad('BUTTON_DATA_INVALID');
        if (!b.text) throw bad('text buttons are unallowed in the inline keyboard');
      }
    }
    return { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, from: BOT, text };
  }

  /** Long polling: answers at once when updates wait, else when one arrives or `timeout` passes. */
  private async getUpdates(p: Record<string, unknown>, res: ServerResponse): Promise<unknown> {
    if (this.webhook) {
      throw new ApiError({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    }
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    // Confirmed updates (below offset) are forgotten, as Telegram does.
    while (this.updates.length > 0 && Number(this.updates[0]!.update_id) < offset) this.updates.shift();
    if (this.updates.length === 0 && Number(p.timeout ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.events.off('update', done);
          this.events.off('closing', done);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, Number(p.timeout) * 1000);
        this.events.on('update', done);
        this.events.on('closing', done);
        // The client gave up (the runner stopping): stop waiting.
        res.on('close', done);
      });
    }
    return this.updates.filter((u) => Number(u.update_id) >= offset).slice(0, limit);
  }
}
