/**
 * Reads the text of a contribution sent as a file: .txt (UTF-8 or UTF-16 with a BOM), .docx or
 * .pdf. Shared by the platform adapters; the flow receives the text as if it had been typed. The
 * type is decided from the file's first bytes, not only its name.
 *
 * A .docx or .pdf is read in a worker thread (document-worker.ts) with a heap limit and a time
 * limit, at most MAX_CONCURRENT_EXTRACTIONS at once: a document built to hurt (a zip bomb, a PDF
 * of 5,000 pages, a stream inflating to gigabytes) costs that worker, never the bot's event loop.
 * Every size is checked before the work it would cost (document-limits.ts).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  EXTRACTION_HEAP_MB, EXTRACTION_TIME_LIMIT_MS, MAX_CONCURRENT_EXTRACTIONS, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_CHARS,
} from './document-limits.js';
import type { Extracted } from './extract-text.js';

export { MAX_DOCUMENT_BYTES } from './document-limits.js';

/**
 * too-large: over the download cap · too-long: more text (or pages) than any contribution ·
 * too-complex: reading it would take more time or memory than allowed (stopped) ·
 * unsupported-type · unreadable.
 */
export type DocumentProblem = 'too-large' | 'too-long' | 'too-complex' | 'unsupported-type' | 'unreadable';
export type DocumentText = { ok: true; text: string } | { ok: false; problem: DocumentProblem };

export interface ReadOptions {
  /** The extraction's time limit (tests shorten it). */
  timeLimitMs?: number;
}

type Kind = 'pdf' | 'docx' | 'txt';

function extension(name: string): string {
  const m = /\.([a-z0-9]{1,5})$/i.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/** What the file is, from its name or declared type, confirmed by its first bytes. */
export function documentKind(bytes: Uint8Array, fileName: string, mimeType?: string): Kind | null {
  const ext = extension(fileName);
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head.startsWith('%PDF-')) return ext === 'pdf' || mimeType === 'application/pdf' || ext === '' ? 'pdf' : null;
  // A .docx is a ZIP archive (PK\x03\x04); other ZIP-based files (.odt, .xlsx) are not accepted.
  if (head.startsWith('PK\u0003\u0004')) {
    return ext === 'docx' || mimeType === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' ? 'docx' : null;
  }
  if (ext === 'txt' || mimeType === 'text/plain') return 'txt';
  return null;
}

function decodeText(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(b.subarray(2));
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(b.subarray(2));
    // fatal: a file in an old Arabic code page (Windows-1256) is refused rather than shown garbled.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b);
  } catch {
    return null;
  }
}

export async function readDocument(bytes: Uint8Array, fileName: string, mimeType?: string, options: ReadOptions = {}): Promise<DocumentText> {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) return { ok: false, problem: 'too-large' };
  const kind = documentKind(bytes, fileName, mimeType);
  if (!kind) return { ok: false, problem: 'unsupported-type' };
  let text: string | null;
  if (kind === 'txt') {
    // Every character takes at most 4 bytes (UTF-8) or 2–4 (UTF-16): a bigger file has more
    // characters than the cap, and is refused before it is decoded.
    if (bytes.byteLength > MAX_DOCUMENT_CHARS * 4) return { ok: false, problem: 'too-long' };
    text = decodeText(bytes);
    if (text !== null && text.length > MAX_DOCUMENT_CHARS) return { ok: false, problem: 'too-long' };
  } else {
    const r = await inWorker(bytes, kind, options.timeLimitMs ?? EXTRACTION_TIME_LIMIT_MS);
    if (!r.ok) return r;
    text = r.text;
  }
  const cleaned = text?.replace(/\n{3,}/g, '\n\n').trim();
  return cleaned ? { ok: true, text: cleaned } : { ok: false, problem: 'unreadable' };
}

// ---- the worker ----

let running = 0;
const waiting: (() => void)[] = [];

async function inWorker(bytes: Uint8Array, kind: 'docx' | 'pdf', timeLimitMs: number): Promise<Extracted> {
  if (running >= MAX_CONCURRENT_EXTRACTIONS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await runWorker(bytes, kind, timeLimitMs);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runWorker(bytes: Uint8Array, kind: 'docx' | 'pdf', timeLimitMs: number): Promise<Extracted> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      resolve({ ok: false, problem: 'unreadable' });
      return;
    }
    let settled = false;
    const settle = (result: Extracted) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      void worker.terminate();
    };
    // Past the time limit the worker is stopped wherever it is (terminate interrupts running JavaScript).
    const timer = setTimeout(() => settle({ ok: false, problem: 'too-complex' }), timeLimitMs);
    worker.once('message', (result: Extracted) => settle(result));
    // ERR_WORKER_OUT_OF_MEMORY: the document needed more heap than EXTRACTION_HEAP_MB.
    worker.once('error', (err: Error & { code?: string }) => settle({ ok: false, problem: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too-complex' : 'unreadable' }));
    worker.once('exit', () => settle({ ok: false, problem: 'unreadable' }));
    // A copy goes to the worker: the caller's bytes stay usable.
    worker.postMessage({ bytes: Uint8Array.from(bytes), kind });
  });
}

const HERE = import.meta.url;

function startWorker(): Worker {
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: EXTRACTION_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    // The worker needs none of the bot's flags (tsx's loader, when there, is registered below).
    execArgv: [],
  };
  if (!HERE.endsWith('.ts')) return new Worker(new URL('./document-worker.js', HERE), options);
  // Run from the TypeScript sources (npm start, the tests, the benches): the worker is TypeScript
  // too, loaded through tsx's API (tsx is a development tool; the build runs the .js above).
  // require.resolve names the API's CommonJS build; its ES module sits beside it (the CommonJS one
  // cannot register the loader from inside a worker). The PDF engine is loaded natively first and
  // handed over (extract-text.ts): through tsx's loader it cost 400 MB and 3 s more per document.
  const require = createRequire(HERE);
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const target = new URL('./document-worker.ts', HERE).href;
  const boot = `globalThis.icssiPdfParse = require(${JSON.stringify(require.resolve('pdf-parse'))});
    import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
  return new Worker(boot, { ...options, eval: true });
}
