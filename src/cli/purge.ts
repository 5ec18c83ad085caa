/**
 * npm run icssi -- purge [--dry-run] [--force]
 *
 * Retention: once the call's `retainUntil` day has passed (in the call's timezone), every
 * participant of the call is erased exactly as /delete erases one person, and every stored
 * conversation is deleted. Before that day, or when no day is set, it refuses unless --force is
 * given: the consent text promised the data is kept until then, and erasing early is an
 * organiser's deliberate choice (a cancelled call), never a slip. --dry-run only counts.
 * Copies already exported are out of reach, and the output says so.
 */
import type { TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import { retentionPassed } from '../domain/call-definition.js';
import { buildRuntime } from '../runtime.js';
import { progressBar } from './progress.js';

export interface PurgeOptions {
  config: AppConfig;
  dryRun: boolean;
  force: boolean;
  t: TFunction;
  now?: Date;
}

export async function purge(opts: PurgeOptions): Promise<number> {
  const { t } = opts;
  const runtime = await buildRuntime(opts.config);
  const { app } = runtime;
  try {
    const { call, store } = app;
    const now = opts.now ?? new Date();
    if (opts.dryRun) {
      process.stdout.write(t('cli:purge.dryRun', { ...(await store.purgeCounts(call.id)) }) + '\n');
      return 0;
    }
    if (!opts.force && !retentionPassed(call, now)) {
      process.stderr.write((call.retainUntil ? t('cli:purge.notYet', { date: call.retainUntil }) : t('cli:purge.noDate')) + '\n');
      return 2;
    }
    // A bar on stderr while each participant is erased (one short transaction each); nothing is
    // drawn when stderr is not a terminal (cron, CI), so the summary lines are all that is printed.
    const bar = progressBar(t('ops:progress.purge'), (await store.purgeCounts(call.id)).participants);
    let erased;
    try {
      erased = await store.purge(call.id, now, (n) => bar.increment(n));
    } finally {
      bar.stop();
    }
    process.stdout.write(t('cli:purge.done', { ...erased }) + '\n');
    // The admin channel's posts about the erased: rewritten now where the platform is configured
    // here; the running bot's maintenance pass rewrites any left (they stay marked in the database).
    let rewritten = 0;
    for (const adapter of (await runtime.connect()).adapters) {
      rewritten += await adapter.redactErased?.().catch((err: unknown) => {
        app.logger.warn('posts about erased people not rewritten here', { err });
        return 0;
      }) ?? 0;
    }
    process.stdout.write(t('cli:purge.posts', { count: rewritten }) + '\n');
    process.stdout.write(t('cli:purge.exported') + '\n');
    return 0;
  } finally {
    await runtime.close();
  }
}
