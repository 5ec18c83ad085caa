/**
 * Progress bars for the organisers' long jobs (export, backup, copy-to, purge), drawn on stderr
 * with cli-progress — only when stderr is a terminal. Piped or redirected (a cron job, CI, a log
 * file), nothing is drawn: the job's own one-line summary is all that is printed.
 *
 * Use: `const bar = progressBar(label, total); bar.increment(); … bar.stop();`
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Adds `n` (default 1) done items. */
  increment(n?: number): void;
  /** Sets the done count, and the total if it changed (SQLite's page count can grow). */
  update(done: number, total?: number): void;
  /** Removes nothing, stops redrawing; call it before printing the summary. */
  stop(): void;
  /** True when a bar is actually drawn. */
  readonly visible: boolean;
}

const QUIET: Progress = { increment() {}, update() {}, stop() {}, visible: false };

export function progressBar(label: string, total: number, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  if (!stream.isTTY) return QUIET;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      // Redraw at most ~10 times a second: a 100,000-row export must not spend its time drawing.
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 0), 0);
  let done = 0;
  return {
    visible: true,
    increment(n = 1) {
      done += n;
      bar.increment(n);
    },
    update(value, newTotal) {
      done = value;
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
