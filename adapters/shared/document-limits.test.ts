/**
 * Documents built to hurt are refused before the work they would cost, and the work that is done
 * happens in a worker the bot can stop (document-limits.ts). Memory is sampled while each one is
 * read: the process must not take in what the document inflates to.
 */
import { describe, expect, it } from 'vitest';
import { readDocument } from './read-document.js';
import { MAX_PDF_PAGES } from './document-limits.js';
import { docxBomb, pdfPages, pdfSlowPage, pdfStreamBomb } from '../../test/helpers/crafted-documents.js';

const MiB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The result, and how much the process's resident memory grew at most while it was read. */
async function readWatched(bytes: Buffer, name: string, mime?: string, options?: { timeLimitMs?: number }) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await readDocument(bytes, name, mime, options);
    return { result, grewMiB: (Math.max(peak, process.memoryUsage().rss) - before) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

describe('document limits', () => {
  it('refuses a .docx that declares a 1 GiB text part, from its directory, without inflating it', async () => {
    const bomb = docxBomb(1024 * MiB);
    expect(bomb.length).toBeLessThan(5 * MiB);
    const { result, grewMiB } = await readWatched(bomb, 'bomb.docx', DOCX);
    expect(result).toEqual({ ok: false, problem: 'too-long' });
    expect(grewMiB).toBeLessThan(150);
  });

  it('stops inflating a .docx whose directory lies about its size, at the cap', async () => {
    // Declares 2 KB; inflates to 256 MiB.
    const { result, grewMiB } = await readWatched(docxBomb(256 * MiB, 2048), 'liar.docx', DOCX);
    expect(result).toEqual({ ok: false, problem: 'too-long' });
    expect(grewMiB).toBeLessThan(150);
  });

  it('refuses a .docx of 16 MiB of text by its length, without reading it all', async () => {
    const { result } = await readWatched(docxBomb(16 * MiB), 'long.docx', DOCX);
    expect(result).toEqual({ ok: false, problem: 'too-long' });
  });

  it('refuses a PDF whose stream inflates to 128 MiB before the PDF engine opens it', async () => {
    const { result, grewMiB } = await readWatched(pdfStreamBomb(128 * MiB), 'bomb.pdf', 'application/pdf');
    expect(result).toEqual({ ok: false, problem: 'too-complex' });
    expect(grewMiB).toBeLessThan(150);
  });

  it('refuses a PDF of more pages than any contribution from its page count', async () => {
    const { result } = await readWatched(await pdfPages(MAX_PDF_PAGES + 1, 1), 'book.pdf', 'application/pdf');
    expect(result).toEqual({ ok: false, problem: 'too-long' });
  });

  it('stops a reading that passes its time limit, and reads the next document as usual', async () => {
    // 400,000 text operations on one page: seconds of work for any PDF reader.
    const slow = pdfSlowPage(400_000);
    const { result } = await readWatched(slow, 'slow.pdf', 'application/pdf', { timeLimitMs: 300 });
    expect(result).toEqual({ ok: false, problem: 'too-complex' });
    const next = await readDocument(await pdfPages(1, 5), 'short.pdf', 'application/pdf');
    expect(next.ok && next.text.split(/\s+/).length).toBe(5);
  });

  it('refuses a .txt far beyond the text cap before decoding it, and one just over it after', async () => {
    expect(await readDocument(Buffer.from('word '.repeat(60_000)), 'long.txt')).toEqual({ ok: false, problem: 'too-long' });
    expect(await readDocument(Buffer.from('w'.repeat(50_001)), 'long.txt')).toEqual({ ok: false, problem: 'too-long' });
  });
});
