/**
 * Operators' commands: `backup <file>` (an online copy of the SQLite database) and
 * `copy-to <postgresql://…>` (the SQLite database into an empty PostgreSQL database). Both show a
 * progress bar on a terminal and print a one-line summary.
 */
import type { TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import { parseDatabaseUrl } from '../storage/open-store.js';
import { backupSqlite } from '../storage/backup.js';
import { copySqliteToPostgres } from '../storage/copy-to.js';
import { redact } from '../storage/raw-connection.js';
import { progressBar, type Progress } from './progress.js';

/** A bar created on the first progress report, when the total is known. */
function lazyBar(label: string): { report: (done: number, total: number) => void; stop: () => void } {
  let bar: Progress | undefined;
  return {
    report(done, total) {
      bar ??= progressBar(label, total);
      bar.update(done, total);
    },
    stop: () => bar?.stop(),
  };
}

export async function backupCommand(opts: { config: AppConfig; file: string | undefined; t: TFunction }): Promise<number> {
  const { t } = opts;
  if (!opts.file) {
    process.stderr.write(t('ops:backup.usage') + '\n');
    return 2;
  }
  const source = parseDatabaseUrl(opts.config.databaseUrl);
  if (source.provider !== 'sqlite') {
    process.stderr.write(t('ops:backup.notSqlite') + '\n');
    return 2;
  }
  const bar = lazyBar(t('ops:progress.backup'));
  let result;
  try {
    result = await backupSqlite(source.file, opts.file, bar.report);
  } finally {
    bar.stop();
  }
  process.stdout.write(t('ops:backup.done', { file: result.file, size: (result.bytes / 1024 / 1024).toFixed(1) }) + '\n');
  // Without the secret the copy is of little use: conversation keys and pseudonyms are keyed by it.
  process.stdout.write(t(process.env.ICSSI_SECRET?.trim() ? 'ops:backup.keepEnvSecret' : 'ops:backup.keepSecretFile') + '\n');
  return 0;
}

export async function copyToCommand(opts: { config: AppConfig; url: string | undefined; t: TFunction }): Promise<number> {
  const { t } = opts;
  const target = opts.url ? parseDatabaseUrl(opts.url) : null;
  if (!target || target.provider !== 'postgresql') {
    process.stderr.write(t('ops:copyTo.usage') + '\n');
    return 2;
  }
  const source = parseDatabaseUrl(opts.config.databaseUrl);
  if (source.provider !== 'sqlite') {
    process.stderr.write(t('ops:copyTo.notSqlite') + '\n');
    return 2;
  }
  const bar = lazyBar(t('ops:progress.copyTo'));
  let result;
  try {
    result = await copySqliteToPostgres(source.file, target.url, bar.report);
  } finally {
    bar.stop();
  }
  for (const [table, n] of Object.entries(result.counts)) process.stdout.write(`  ${table}: ${n}\n`);
  process.stdout.write(t('ops:copyTo.done', { rows: result.total, url: redact(target.url) }) + '\n');
  return 0;
}
