/**
 * The text of a .docx or a .pdf, with every limit of document-limits.ts applied before the work it
 * guards. Runs inside the extraction worker (document-worker.ts), never on the bot's main thread.
 */
import { docxText } from './docx-text.js';
import { pdfInflatesWithin } from './pdf-streams.js';
import { DOCX_LIMITS, MAX_DOCUMENT_CHARS, MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES } from './document-limits.js';

export type ExtractProblem = 'too-long' | 'too-complex' | 'unreadable';
export type Extracted = { ok: true; text: string } | { ok: false; problem: ExtractProblem };

export async function extractText(bytes: Buffer, kind: 'docx' | 'pdf'): Promise<Extracted> {
  if (kind === 'docx') {
    const r = docxText(bytes, { ...DOCX_LIMITS, maxChars: MAX_DOCUMENT_CHARS });
    // The text part inflates (or says it would) beyond what any contribution's text needs.
    return r.ok ? r : { ok: false, problem: r.problem === 'too-large' ? 'too-long' : r.problem };
  }
  return pdfText(bytes);
}

async function pdfText(bytes: Buffer): Promise<Extracted> {
  if (!(await pdfInflatesWithin(bytes, MAX_PDF_INFLATED_BYTES))) return { ok: false, problem: 'too-complex' };
  // Loaded by the worker's boot when the bot runs from its TypeScript sources (read-document.ts).
  const preloaded = (globalThis as { icssiPdfParse?: typeof import('pdf-parse') }).icssiPdfParse;
  const { PDFParse } = preloaded ?? (await import('pdf-parse'));
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    // The page count comes from the document's page tree, before any page's content is read.
    const first = await parser.getText({ partial: [1], pageJoiner: '' });
    if (first.total > MAX_PDF_PAGES) return { ok: false, problem: 'too-long' };
    let text = first.text;
    for (let page = 2; page <= first.total && text.length <= MAX_DOCUMENT_CHARS; page++) {
      text += (await parser.getText({ partial: [page], pageJoiner: '' })).text;
    }
    if (text.length > MAX_DOCUMENT_CHARS) return { ok: false, problem: 'too-long' };
    return { ok: true, text };
  } finally {
    await parser.destroy();
  }
}
