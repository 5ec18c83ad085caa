/**
 * npm run icssi -- announce --text-en "…" [--text-ar "…"] [--text-ckb "…"] [--to consented|drafted|contributed]
 *   [--topic 1,2] [--platform telegram,…] [--language ar,…] [--expires ISO] [--dry-run] [--yes]
 * npm run icssi -- announce --resume ID
 * npm run icssi -- announcements
 *
 * The preview first; then, after a typed "yes" (or --yes), every recipient's copy is stored and
 * sent through the platforms configured here, paced, with a progress bar.
 */
import { createInterface } from 'node:readline/promises';
import { userInfo } from 'node:os';
import type { TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import type { Locale } from '../domain/records.js';
import { buildRuntime, type Runtime } from '../runtime.js';
import { checkInput } from '../announcements/audience.js';
import { doneParams, previewLines } from '../announcements/preview-text.js';
import type { Announcements } from '../announcements/sending.js';
import { progressBar } from './progress.js';


export interface AnnounceOptions {
  config: AppConfig;
  t: TFunction;
  lng: Locale;
  values: {
    'text-en'?: string;
    'text-ar'?: string;
    'text-ckb'?: string;
    to?: string;
    topic?: string;
    platform?: string;
    language?: string;
    expires?: string;
    'dry-run'?: boolean;
    yes?: boolean;
    resume?: string;
    as?: string;
  };
  /** Where the confirmation is read (stdin by default). */
  input?: NodeJS.ReadableStream;
}

const write = (line: string) => process.stdout.write(line + '\n');

/**
 * The platforms configured here connected as the server connects them (src/runtime.ts): their
 * senders registered and each one's announcement channel. Nothing listens for webhooks here.
 */
async function open(config: AppConfig): Promise<{ runtime: Runtime; announcements: Announcements }> {
  const runtime = await buildRuntime(config);
  return { runtime, announcements: await runtime.announcements() };
}


async function sendWithProgress(announcements: Announcements, id: string, t: TFunction, resume: boolean): Promise<number> {
  // The total is known with the first progress report (the recipients are counted then).
  let bar = null as ReturnType<typeof progressBar> | null;
  const counts = await announcements.send(id, {
    resume,
    onProgress: (p) => {
      bar ??= progressBar(t('announcements:cli.progress'), p.total);
      // Copies put back to wait for a daily limit are done for this run (the end line counts them).
      bar.update(p.done + p.waiting, p.total);
    },
  });
  bar?.stop();
  if (!counts) {
    process.stderr.write(t('announcements:cli.notFound', { id }) + '\n');
    return 1;
  }
  const done = doneParams(id, counts);
  write(t('announcements:cli.done', done));
  if (Number(done.waiting) > 0) write(t('announcements:cli.waiting', done));
  return 0;
}

async function confirm(question: string, input: NodeJS.ReadableStream): Promise<boolean> {
  const rl = createInterface({ input, output: process.stdout, terminal: false });
  try {
    process.stdout.write(question);
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*(y|yes)\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

export async function announce(opts: AnnounceOptions): Promise<number> {
  const { t, values } = opts;
  const { runtime, announcements } = await open(opts.config);
  const { app } = runtime;
  try {
    if (values.resume) return await sendWithProgress(announcements, values.resume, t, true);
    const checked = checkInput(
      {
        texts: { en: values['text-en'], ar: values['text-ar'], ckb: values['text-ckb'] },
        who: values.to, topics: values.topic, platforms: values.platform, languages: values.language, expires: values.expires,
      },
      app.call,
      app.dispatcher.now(),
    );
    if (!checked.ok) {
      for (const p of checked.problems) process.stderr.write(t('announcements:cli.invalid', { problem: t(`announcements:cli.problems.${p.key}`, p.params) }) + '\n');
      process.stderr.write(t('announcements:cli.usage') + '\n');
      return 2;
    }
    const preview = await announcements.preview(app.call.id, checked.input);
    for (const line of previewLines(preview, checked.input, t, (d) => app.core.texts.formatTime(d.toISOString(), opts.lng))) write(line);
    if (values['dry-run']) {
      write(t('announcements:cli.dryRun'));
      return 0;
    }
    const count = preview.total.now + preview.total.held;
    if (!values.yes && !(await confirm(t('announcements:cli.confirm', { count }), opts.input ?? process.stdin))) {
      write(t('announcements:cli.cancelled'));
      return 1;
    }
    const { id } = await announcements.create(app.call.id, checked.input, `cli:${values.as?.trim() || userInfo().username}`);
    return await sendWithProgress(announcements, id, t, false);
  } finally {
    await runtime.close();
  }
}

export async function listAnnouncements(opts: { config: AppConfig; t: TFunction; lng: Locale }): Promise<number> {
  const { t } = opts;
  const runtime = await buildRuntime(opts.config);
  const { app } = runtime;
  try {
    const { announcementStoreOf } = await import('../app-announcements.js');
    const store = announcementStoreOf(app);
    const all = await store.list();
    if (all.length === 0) write(t('announcements:cli.list.none'));
    for (const a of all) {
      write(t('announcements:cli.list.header', {
        time: app.core.texts.formatTime(a.createdAt.toISOString(), opts.lng), kind: t(`announcements:cli.list.kinds.${a.kind}`), status: a.status, id: a.id,
      }));
      for (const [platform, row] of Object.entries(await store.counts(a.id))) {
        // Pending copies of an announcement no sender is working on wait for the platform's daily
        // limit on new people: said on a line of their own, not among the others.
        const waiting = row.sending ? 0 : (row.pending ?? 0);
        const known = (row.sent ?? 0) + (row.held ?? 0) + waiting + (row.failed ?? 0) + (row['opted-out'] ?? 0);
        const all = Object.values(row).reduce((s, n) => s + (n ?? 0), 0);
        write(t('announcements:cli.list.row', { platform, sent: row.sent ?? 0, held: row.held ?? 0, failed: row.failed ?? 0, optedOut: row['opted-out'] ?? 0, other: all - known }));
        if (waiting > 0) write(t('announcements:cli.list.waiting', { platform, waiting }));
      }
    }
    return 0;
  } finally {
    await runtime.close();
  }
}
