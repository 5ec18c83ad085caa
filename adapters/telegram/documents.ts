/**
 * A document sent in Telegram → its text: getFile gives a path, the file is downloaded from
 * <apiRoot>/file/bot<token>/<path> (the URL holds the token: it is never logged), and
 * readDocument reads .txt, .docx or .pdf.
 */
import type { Api } from 'grammy';
import { MAX_DOCUMENT_BYTES, readDocument, type DocumentText } from '../shared/read-document.js';
import { boundedBytes, DocumentTooLarge } from '../shared/bounded-body.js';
import type { Logger } from '../../src/core/index.js';
import type { DocumentRef } from './parse.js';

export interface DocumentReaderDeps {
  api: Api;
  token: string;
  apiRoot: string;
  fetch?: typeof fetch;
  logger: Logger;
  /** The download's time limit: the webhook must still answer within Telegram's 60 s. */
  timeoutMs?: number;
}

export async function readTelegramDocument(doc: DocumentRef, deps: DocumentReaderDeps): Promise<DocumentText> {
  try {
    const file = await deps.api.getFile(doc.fileId);
    // getFile serves at most 20 MB: beyond that Telegram gives no path at all.
    if ((file.file_size ?? 0) > MAX_DOCUMENT_BYTES) return { ok: false, problem: 'too-large' };
    if (!file.file_path) return { ok: false, problem: 'unreadable' };
    const url = `${deps.apiRoot}/file/bot${deps.token}/${file.file_path}`;
    const res = await (deps.fetch ?? fetch)(url, { signal: AbortSignal.timeout(deps.timeoutMs ?? 20_000) });
    if (!res.ok) {
      deps.logger.warn('telegram file download failed', { status: res.status });
      return { ok: false, problem: 'unreadable' };
    }
    return await readDocument(await boundedBytes(res), doc.fileName, doc.mimeType);
  } catch (err) {
    if (err instanceof DocumentTooLarge) return { ok: false, problem: 'too-large' };
    // The person is asked to paste the text instead; holding the update would hold their chat up.
    // Only the error's name: a fetch error's message can quote the URL, and the URL holds the token.
    deps.logger.warn('telegram file could not be read', { reason: err instanceof Error ? err.name : 'unknown' });
    return { ok: false, problem: 'unreadable' };
  }
}
