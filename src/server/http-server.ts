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

export interface ServerOptions {
  routes: WebhookRoute[];
  /** Resolves true when the database answers. */
  databaseReachable: () => Promise<boolean>;
  metrics: Metrics;
  logger: Logger;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
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
        opts.logger.error('request failed', { err });
        send(res, { status: 500 });
      });
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Liveness: the process answers. Never tied to the database, so an outage does not make an
    // orchestrator restart a process that would come back just as well when the database does.
    if (url.pathname === '/livez') return sendJson(res, 200, { status: 'ok' });
    // Readiness: send traffic here? Not while draining (SIGTERM), nor while the database is away.
    // /healthz is the older name, kept as an alias.
    if (url.pathname === '/readyz' || url.pathname === '/healthz') {
      if (this.draining) return sendJson(res, 503, { status: 'draining' });
      const ok = await withTimeout(this.opts.databaseReachable(), READINESS_TIMEOUT_MS).catch(() => false);
      return sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', database: ok ? 'reachable' : 'unreachable' });
    }
    if (url.pathname === '/metrics') {
      return send(res, { status: 200, headers: { 'content-type': this.opts.metrics.contentType }, body: await this.opts.metrics.toPrometheus() });
    }
    const route = this.routes.get(url.pathname);
    if (!route) return send(res, { status: 404 });
    if (!route.methods.includes(req.method ?? '')) return send(res, { status: 405, headers: { allow: route.methods.join(', ') } });
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // Do not read the rest of an oversized body: answer, then drop the connection.
        send(res, { status: 413, headers: { connection: 'close' } });
        res.on('finish', () => req.destroy());
        return;
      }
      throw err;
    }
    const request: WebhookRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody };
    try {
      send(res, await route.handle(request));
    } catch (err) {
      // The event was not stored: 503 makes the platform deliver it again.
      if (isAppError(err, 'STORAGE_UNAVAILABLE')) return send(res, { status: 503 });
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
