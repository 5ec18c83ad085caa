/**
 * Long polling with @grammyjs/runner, for a machine without a public https address. Updates are
 * fetched ahead and processed concurrently, except that one chat's updates wait for each other
 * (sequentialize): a person's messages are handled in the order they were sent.
 */
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { isAppError, type Logger, type Metrics, type Sleep } from '../../src/core/index.js';
import { LONG_POLL_SECONDS } from './api.js';

/** The updates the bot acts on; the same list telegram:setup gives setWebhook. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface PollingDeps {
  bot: Bot;
  handle: (update: Update) => Promise<void>;
  logger: Logger;
  metrics: Metrics;
  sleep: Sleep;
  /** Attempts for an update whose event could not be stored (the database was away). */
  storageAttempts?: number;
}

/** The chat an update belongs to: the key that keeps one chat's updates in order. */
function chatOf(update: Update): string | undefined {
  const chat = update.message?.chat ?? update.edited_message?.chat ?? update.callback_query?.message?.chat ?? update.my_chat_member?.chat;
  const id = chat?.id ?? update.callback_query?.from.id;
  return id === undefined ? undefined : String(id);
}

export async function startPolling(deps: PollingDeps): Promise<RunnerHandle> {
  const { bot, logger, metrics } = deps;
  // getUpdates is refused (409) while a webhook is set: polling replaces it. Updates waiting on
  // Telegram's side are kept (drop_pending_updates false) and fetched below.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  bot.use(sequentialize((ctx) => chatOf(ctx.update)));
  bot.use(async (ctx) => {
    const attempts = deps.storageAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.handle(ctx.update);
      } catch (err) {
        // With polling, Telegram considers a fetched update delivered: there is no redelivery,
        // so an update that could not be stored is tried again here (1, 2, 4, 8, 16 s).
        if (!isAppError(err, 'STORAGE_UNAVAILABLE') || attempt >= attempts) throw err;
        metrics.inc('redeliveries_total', { platform: 'telegram', kind: 'storage_unavailable' });
        await deps.sleep(1000 * 2 ** (attempt - 1));
      }
    }
  });
  bot.catch((err) => {
    metrics.inc('inbound_total', { platform: 'telegram', outcome: 'error' });
    logger.error('telegram update failed', { err: err.error });
  });
  return run(bot, {
    runner: {
      fetch: { timeout: LONG_POLL_SECONDS, allowed_updates: [...ALLOWED_UPDATES] },
      // The runner prints fetch errors with console.error, payloads included: our logger instead.
      silent: true,
    },
  });
}
