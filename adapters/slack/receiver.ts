/**
 * A Bolt Receiver mounted on the project's one HTTP server at /slack/events, instead of Bolt's own
 * server: it verifies the signature over the raw bytes, answers url_verification, hands the parsed
 * body to app.processEvent and answers the HTTP request with whatever the listener acked (e.g.
 * `response_action: "errors"` for a modal).
 *
 * Slack gives up on a request after 3 seconds and retries it (up to 3 times, X-Slack-Retry-Num):
 * - interactive payloads and slash commands are answered as soon as the listener acks, and the
 *   listener acks first and works after;
 * - Events API requests are answered once the event is stored and handled, so a database outage
 *   answers 503 and Slack delivers the event again (the core claims event_id, so a retry that
 *   arrives after success changes nothing); if that takes longer than `ackDeadlineMs` the request
 *   is answered 200 anyway and the work goes on.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { type WebhookRequest, type WebhookResponse, type WebhookRoute, isAppError, type Logger, type Metrics } from '../../src/core/index.js';
import { checkSlackBody } from './schema.js';
import { verifySlackSignature } from './verify.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface ReceiverOptions {
  signingSecret: string;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
  /** Answer Slack by then even if the work is not finished (Slack's limit is 3 s). */
  ackDeadlineMs?: number;
  /** Hears every piece of work in progress (the adapter's idle() waits for them). */
  track: (work: Promise<unknown>) => void;
}

const OK: WebhookResponse = { status: 200 };

function header(h: WebhookRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** JSON for the Events API; form-encoded for slash commands, and `payload=<json>` for interactivity. */
export function parseSlackBody(contentType: string | undefined, raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    return payload !== null ? (JSON.parse(payload) as unknown) : Object.fromEntries(form);
  }
  return JSON.parse(text) as unknown;
}

function ackResponse(body: unknown): WebhookResponse {
  if (body === undefined || body === null || body === '') return OK;
  if (typeof body === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export class WebhookReceiver implements Receiver {
  private app: App | null = null;

  constructor(private readonly opts: ReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  // The project's HttpServer listens; Bolt's start/stop have nothing to open or close.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  route(): WebhookRoute {
    return { path: SLACK_EVENTS_PATH, methods: ['POST'], handle: (req) => this.handle(req) };
  }

  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const { metrics, logger } = this.opts;
    const verdict = verifySlackSignature({ signingSecret: this.opts.signingSecret, headers: req.headers, rawBody: req.rawBody, now: this.opts.now });
    if (!verdict.ok) {
      metrics.inc('requests_rejected_total', { platform: 'slack', reason: verdict.reason });
      logger.warn('slack request refused', { reason: verdict.reason });
      return { status: 401 };
    }
    let parsed: unknown;
    try {
      parsed = parseSlackBody(header(req.headers, 'content-type'), req.rawBody);
    } catch {
      return { status: 400 };
    }
    const shape = checkSlackBody(parsed);
    if (!shape.ok) {
      // One line naming the field that did not fit, never its value.
      metrics.inc(shape.answer === 'ignore' ? 'inbound_ignored_total' : 'requests_rejected_total', { platform: 'slack', reason: 'malformed' });
      logger.warn('slack request malformed', { field: shape.field, answer: shape.answer });
      return shape.answer === 'ignore' ? OK : { status: 400 };
    }
    const body = parsed as Record<string, unknown>;
    if (body.ssl_check) return OK;
    if (body.type === 'url_verification') {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: String(body.challenge ?? '') }) };
    }
    if (!this.app) throw new Error('receiver used before Bolt initialised it');
    const retryNum = header(req.headers, 'x-slack-retry-num');
    if (retryNum) metrics.inc('redeliveries_total', { platform: 'slack', kind: 'retry_header' });
    return this.dispatch(this.app, body, retryNum ? Number(retryNum) : undefined, header(req.headers, 'x-slack-retry-reason'));
  }

  private dispatch(app: App, body: Record<string, unknown>, retryNum: number | undefined, retryReason: string | undefined): Promise<WebhookResponse> {
    const isEvent = body.type === 'event_callback';
    return new Promise<WebhookResponse>((resolve) => {
      let answered = false;
      let acked = false;
      const answer = (r: WebhookResponse) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.opts.metrics.inc('ack_deadline_missed_total', { platform: 'slack' });
        answer(OK);
      }, this.opts.ackDeadlineMs ?? 2500);
      timer.unref();
      const event: ReceiverEvent = {
        body,
        retryNum,
        retryReason,
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          if (!isEvent) answer(ackResponse(response));
        },
      };
      const work = app.processEvent(event).then(
        () => answer(OK),
        (err: unknown) => {
          // Not stored: 503 makes Slack deliver it again (if it still waits for our answer).
          if (isAppError(err, 'STORAGE_UNAVAILABLE')) return answer({ status: 503 });
          this.opts.metrics.inc('inbound_total', { platform: 'slack', outcome: 'error' });
          this.opts.logger.error('slack handler failed', { err });
          answer(OK);
        },
      );
      this.opts.track(work);
    });
  }
}
