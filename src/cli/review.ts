/**
 * npm run icssi -- review <code> accept|decline|revise [--note "…"] [--as NAME]
 *
 * An organiser's decision from the command line, the same as Slack's buttons: recorded with who
 * and when, and told to the author in their language on their own platform — through the
 * platforms configured here (Messenger's 24-hour window holds it if needed).
 */
import { userInfo } from 'node:os';
import type { TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import type { Decision } from '../core/ports.js';
import { normaliseCode } from '../domain/codes.js';
import { decide } from '../organisers/decisions.js';
import { buildRuntime } from '../runtime.js';

const VERDICTS: Record<string, Decision> = { accept: 'accepted', decline: 'declined', revise: 'revision_requested' };

export interface ReviewOptions {
  config: AppConfig;
  args: string[];
  note?: string;
  as?: string;
  t: TFunction;
}

export async function review(opts: ReviewOptions): Promise<number> {
  const { t } = opts;
  const code = normaliseCode(opts.args[0] ?? '');
  const decision = VERDICTS[opts.args[1] ?? ''];
  if (!code || !decision) {
    process.stderr.write(t('cli:review.usage') + '\n');
    return 2;
  }
  const runtime = await buildRuntime(opts.config);
  const { app } = runtime;
  try {
    // The platforms configured here tell the author; only their senders are needed (no webhooks).
    await runtime.connect();
    const actor = `cli:${opts.as?.trim() || userInfo().username}`;
    const out = await decide(app.core, { code, decision, actor, note: opts.note?.trim() || null });
    process.stdout.write(t(`cli:review.${out.result}`, { code }) + '\n');
    // Never "told" unless the platform accepted it: held (cannot be reached) and refused say so.
    if (out.notice === 'unreachable' || out.notice === 'refused') process.stdout.write(t(`outbox:review.${out.notice}`, { reason: out.noticeReason ?? '' }) + '\n');
    else if (out.notice) process.stdout.write(t(`cli:review.notice.${out.notice}`) + '\n');
    return out.result === 'recorded' ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
