/**
 * The one HTTP server (node:http): every platform adapter mounts its webhook route here, beside
 * /livez, /readyz (alias /healthz) and /metrics. Bodies are capped and kept as raw bytes for
 * signature checks; error answers never echo the request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest, WebhookResponse, WebhookRoute } from '../core/adapter.js';
import { isAppError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A part that answers every request under a path itself (the organisers' desk at /desk): it reads
 * its own bodies (forms, with their own cap) and streams its own answers (downloads).
 */
export interface Mount {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface ServerOptions {
  routes: WebhookRoute[];
  mounts?: Mount[];
  /** Resolves true when the database answers. */
  databaseReachable: () => Promise<boolean>;
  /** The configured platforms that have not started yet (src/server/platform-start.ts). */
  platformsNotReady?: () => string[];
  metrics: Metrics;
  logger: Logger;
}

class BodyTooLarge extends Error {}
/** The client went away before its body arrived: nothing to answer, nothing went wrong here. */
class ClientAborted extends Error {}

/** What is still read (and thrown away) of an oversized body before the connection is dropped. */
const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(c);
      // A chunked body has no length to refuse up front. Stop keeping it, but go on reading
      // (and discarding) for a while: a client still writing its body when the socket closed
      // would see a reset instead of the 413 (see `tooLarge` below).
      req.off('data', onData);
      chunks.length = 0;
      done = true;
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('aborted', () => {
      if (!done) reject(new ClientAborted());
      done = true;
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      reject(err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_PREMATURE_CLOSE' || req.destroyed ? new ClientAborted() : err);
    });
  });
}

/**
 * 413 for an oversized body, read to its end (up to DRAIN_LIMIT_BYTES, thrown away) so that the
 * client, still sending, receives the answer; the connection is closed after it.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  let drained = 0;
  const answer = () => {
    send(res, { status: 413, headers: { connection: 'close' } });
    res.on('finish', () => req.destroy());
  };
  // A declared length over the cap is refused before a byte is read (the client may be waiting
  // for an answer before it sends its body).
  if (req.readableEnded || Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return answer();
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_LIMIT_BYTES) req.destroy();
  });
  req.on('end', answer);
  // A client that will not stop (or goes away) is cut off; there is no one left to answer.
  req.on('close', () => {
    if (!res.headersSent) answer();
  });
}

function send(res: ServerResponse, r: WebhookResponse): void {
  if (res.headersSent) return;
  res.writeHead(r.status, r.headers ?? (r.body ? { 'content-type': 'text/plain; charset=utf-8' } : {}));
  res.end(r.body ?? '');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A database that does not answer within this is as good as down, for readiness. */
const READINESS_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class HttpServer {
  private draining = false;

  private readonly server: Server;
  private readonly routes = new Map<string, WebhookRoute>();

  constructor(private readonly opts: ServerOptions) {
    for (const r of opts.routes) this.routes.set(r.path, r);
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        // A client that hangs up mid-request is routine on the internet, not a server fault.
        if (err instanceof ClientAborted) return opts.logger.debug('client closed the connection before its request was read');
        // Only the error's name and code: its message may quote the request.
        opts.logger.error('request failed', { error: err instanceof Error ? err.name : typeof err, code: (err as { code?: unknown } | null)?.code });
        send(res, { status: 500 });
      });
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Liveness: the process answers. Never tied to the database, so an outage does not make an
    // orchestrator restart a process that would come back just as well when the database does.
    if (url.pathname === '/livez') return sendJson(res, 200, { status: 'ok' });
    // Readiness: send traffic here? Not while draining (SIGTERM), nor while the database is away,
    // nor while a configured platform has not started (it is named). /healthz is the older name.
    if (url.pathname === '/readyz' || url.pathname === '/healthz') {
      if (this.draining) return sendJson(res, 503, { status: 'draining' });
      const db = await withTimeout(this.opts.databaseReachable(), READINESS_TIMEOUT_MS).catch(() => false);
      const waiting = this.opts.platformsNotReady?.() ?? [];
      const ok = db && waiting.length === 0;
      return sendJson(res, ok ? 200 : 503, {
        status: ok ? 'ok' : 'unavailable',
        database: db ? 'reachable' : 'unreachable',
        ...(waiting.length > 0 ? { platformsNotReady: waiting } : {}),
      });
    }
    if (url.pathname === '/metrics') {
      return send(res, { status: 200, headers: { 'content-type': this.opts.metrics.contentType }, body: await this.opts.metrics.toPrometheus() });
    }
    const mount = this.opts.mounts?.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (mount) return mount.handle(req, res);
    const route = this.routes.get(url.pathname);
    if (!route) return send(res, { status: 404 });
    if (!route.methods.includes(req.method ?? '')) return send(res, { status: 405, headers: { allow: route.methods.join(', ') } });
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return tooLarge(req, res);
      throw err;
    }
    const request: WebhookRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody };
    try {
      send(res, await route.handle(request));
    } catch (err) {
      // The event was not stored: 503 makes the platform deliver it again. That is also the case
      // when a step lost every retry to concurrent changes (STATE_CONFLICT: its claim rolled back).
      if (isAppError(err, 'STORAGE_UNAVAILABLE') || isAppError(err, 'STATE_CONFLICT')) {
        // The path and the reason only: the platform delivers again, the operator sees why.
        this.opts.logger.warn(err.code === 'STORAGE_UNAVAILABLE' ? 'webhook answered 503: the database is unavailable' : 'webhook answered 503: concurrent changes', { path: url.pathname });
        return send(res, { status: 503 });
      }
      throw err;
    }
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  /** SIGTERM: /readyz answers 503 from now on, so a load balancer stops sending traffic here. */
  startDraining(): void {
    this.draining = true;
  }

  /** Stops accepting connections; requests in progress finish. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
