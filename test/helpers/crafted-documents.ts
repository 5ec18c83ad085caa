/**
 * Documents built to hurt, for the tests and bench:files: .docx files whose text part inflates to
 * any size (declared honestly or not), a PDF whose one stream inflates to any size, a PDF of many
 * pages, a PDF whose one page takes long to read. Large inflated sizes cost little to build: a
 * chunk is compressed once with a full flush (which resets the compressor), so the compressed
 * stream is that chunk's bytes repeated — the same trick a real bomb uses.
 */
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const MiB = 1024 * 1024;

/** Raw deflate of `chunk` repeated `times` times, and the CRC-32 of the whole (for a ZIP). */
function repeatedDeflateRaw(chunk: Buffer, times: number): { data: Buffer; crc: number } {
  const once = deflateRawSync(chunk, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < times; i++) crc = crc32(chunk, crc);
  // A final, empty block with fixed codes (BFINAL=1, BTYPE=01, end-of-block): 0x03 0x00.
  return { data: Buffer.concat([...Array<Buffer>(times).fill(once), Buffer.from([0x03, 0x00])]), crc };
}

interface ZipPart {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
  /** What the archive says the part inflates to (a bomb may lie). */
  declared?: number;
}

/** A ZIP archive of deflated parts (APPNOTE 4.3): local headers, data, central directory, end record. */
function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const size = p.declared ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(Math.min(size, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(Math.min(size, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function part(name: string, text: string): ZipPart {
  const data = Buffer.from(text);
  return { name, data: deflateRawSync(data), crc: crc32(data), size: data.length };
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const HEAD = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const TAIL = '</w:body></w:document>';
const PARAGRAPH = '<w:p><w:r><w:t>Civil society in Iraq grew through protest and patient work, year after year. </w:t></w:r></w:p>';

/**
 * A .docx whose text part inflates to about `inflatedBytes` of paragraphs. `declared`: what its
 * directory says that part inflates to (default: the truth).
 */
export function docxBomb(inflatedBytes: number, declared?: number): Buffer {
  const chunk = Buffer.from(PARAGRAPH.repeat(Math.max(1, Math.floor(MiB / PARAGRAPH.length))));
  const times = Math.max(1, Math.round((inflatedBytes - HEAD.length - TAIL.length) / chunk.length));
  // The head and tail are deflated apart and joined as blocks of one raw stream: the head with a
  // full flush, the repeated middle, then the tail as the final block.
  const head = deflateRawSync(Buffer.from(HEAD), { finishFlush: constants.Z_FULL_FLUSH });
  const middle = deflateRawSync(chunk, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const tail = deflateRawSync(Buffer.from(TAIL));
  let crc = crc32(HEAD);
  for (let i = 0; i < times; i++) crc = crc32(chunk, crc);
  crc = crc32(TAIL, crc);
  const size = HEAD.length + chunk.length * times + TAIL.length;
  const data = Buffer.concat([head, ...Array<Buffer>(times).fill(middle), tail]);
  return zip([part('[Content_Types].xml', CONTENT_TYPES), part('_rels/.rels', RELS), { name: 'word/document.xml', data, crc, size, declared }]);
}

/** Bytes of a PDF from its objects (1-based, in order), with a correct cross-reference table. */
function pdfOf(objects: Buffer[]): Buffer {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(obj);
    offset += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

/** A one-page PDF whose content is `content` (a zlib stream, FlateDecode). */
function onePagePdf(content: Buffer): Buffer {
  return pdfOf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
  ]);
}

/** A one-page PDF whose content stream inflates to about `inflatedBytes` (of spaces: valid, and empty). */
export function pdfStreamBomb(inflatedBytes: number): Buffer {
  const chunk = Buffer.alloc(MiB, 0x20);
  const times = Math.max(1, Math.round(inflatedBytes / MiB));
  const { data } = repeatedDeflateRaw(chunk, times);
  // zlib's wrapper around the raw stream: header 78 DA, then the Adler-32 of the data.
  let a = 1;
  let b = 0;
  for (let i = 0; i < times; i++) {
    for (let j = 0; j < chunk.length; j++) {
      a += 0x20;
      if (a >= 65521) a -= 65521;
      b = (b + a) % 65521;
    }
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  return onePagePdf(Buffer.concat([Buffer.from([0x78, 0xda]), data, adler]));
}

/** A one-page PDF with `ops` text-showing operations: slow for any reader, small on disk. */
export function pdfSlowPage(ops: number): Buffer {
  const op = 'BT /F1 1 Tf 1 0 0 1 10 10 Tm (a) Tj ET\n';
  return onePagePdf(deflateSync(Buffer.from(op.repeat(ops))));
}

/** A PDF of `pages` pages with `wordsPerPage` words of text each (pdf-lib). */
export async function pdfPages(pages: number, wordsPerPage: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const words = 'civil society in Iraq grew through protest and patient work'.split(' ');
  const perLine = 12;
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage();
    for (let line = 0; line * perLine < wordsPerPage; line++) {
      const text = Array.from({ length: Math.min(perLine, wordsPerPage - line * perLine) }, (_, i) => words[(line + i) % words.length]).join(' ');
      page.drawText(text, { x: 40, y: 800 - line * 14, size: 10, font });
    }
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
