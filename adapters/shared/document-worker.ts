/**
 * The extraction worker: one document in, its text (or why not) out. Started by read-document.ts
 * with a heap limit and stopped by it at the time limit, so a document built to hurt costs a
 * worker, never the bot's event loop or its memory.
 */
import { parentPort } from 'node:worker_threads';
import { extractText, type Extracted } from './extract-text.js';

// Run from the TypeScript sources, tsx turns source maps on: Node would then parse the PDF
// engine's maps (many megabytes) when it loads, for stack traces this worker never shows.
process.setSourceMapsEnabled(false);

parentPort!.once('message', (job: { bytes: Uint8Array; kind: 'docx' | 'pdf' }) => {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  extractText(bytes, job.kind)
    .catch((): Extracted => ({ ok: false, problem: 'unreadable' }))
    .then((result) => parentPort!.postMessage(result), () => undefined);
});
