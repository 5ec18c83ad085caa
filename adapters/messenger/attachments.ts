/**
 * A file sent in Messenger → its text. The webhook gives a CDN URL (no name, no size): it is
 * downloaded with the injected fetch, stopping past 20 MB (the cap shared with Telegram), and read
 * by the shared readDocument (.txt, .docx, .pdf, decided from the first bytes).
 */
import { readDocument, type DocumentText } from '../shared/read-document.js';
import { boundedBytes, DocumentTooLarge } from '../shared/bounded-body.js';
import type { Logger } from '../../src/core/index.js';
import type { FileRef } from './parse.js';

export interface DownloadDeps {
  fetch: typeof fetch;
  logger: Logger;
  /** The download's time limit: Meta waits for the webhook's answer only so long. */
  timeoutMs?: number;
}

export async function readAttachment(file: FileRef, deps: DownloadDeps): Promise<DocumentText> {
  try {
    const res = await deps.fetch(file.url, { signal: AbortSignal.timeout(deps.timeoutMs ?? 20_000) });
    if (!res.ok) {
      // A CDN link expires after a while: a redelivery days later finds it gone.
      deps.logger.warn('messenger attachment download failed', { status: res.status });
      return { ok: false, problem: 'unreadable' };
    }
    const mime = res.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
    return await readDocument(await boundedBytes(res), file.fileName, mime);
  } catch (err) {
    if (err instanceof DocumentTooLarge) return { ok: false, problem: 'too-large' };
    // Only the error's name: its message could quote the URL, which is the person's file.
    deps.logger.warn('messenger attachment could not be read', { reason: err instanceof Error ? err.name : 'unknown' });
    return { ok: false, problem: 'unreadable' };
  }
}
