/**
 * Reads the text of a contribution sent as a file: .txt (UTF-8 or UTF-16 with a BOM), .docx
 * (mammoth) or .pdf (pdf-parse). Shared by the platform adapters; the flow receives the text as if
 * it had been typed. The type is decided from the file's first bytes, not only its name.
 */
// mammoth and pdf-parse (which bundles pdf.js) are loaded on the first document, not at start:
// together they add well over 100 MB to a process that may never receive a file.

/** Telegram's getFile serves at most 20 MB; the same cap keeps any platform's download bounded. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export type DocumentText = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'unsupported-type' | 'unreadable' };

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
  const b = Buffer.from(bytes);
  try {
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(b.subarray(2));
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(b.subarray(2));
    // fatal: a file in an old Arabic code page (Windows-1256) is refused rather than shown garbled.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b);
  } catch {
    return null;
  }
}

export async function readDocument(bytes: Uint8Array, fileName: string, mimeType?: string): Promise<DocumentText> {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) return { ok: false, problem: 'too-large' };
  const kind = documentKind(bytes, fileName, mimeType);
  if (!kind) return { ok: false, problem: 'unsupported-type' };
  try {
    let text: string | null;
    if (kind === 'txt') text = decodeText(bytes);
    else if (kind === 'docx') {
      const mammoth = (await import('mammoth')).default;
      text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } else {
      const { PDFParse } = await import('pdf-parse');
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      try {
        text = (await parser.getText()).text;
      } finally {
        await parser.destroy();
      }
    }
    // pdf-parse marks page breaks with "-- 1 of 2 --" lines: they are not the author's words.
    const cleaned = text?.replace(/^-- \d+ of \d+ --$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
    return cleaned ? { ok: true, text: cleaned } : { ok: false, problem: 'unreadable' };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}
