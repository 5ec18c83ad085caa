import { describe, expect, it } from 'vitest';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { readDocument, MAX_DOCUMENT_BYTES } from './read-document.js';
import { countWords } from '../../src/core/index.js';

const ARABIC = 'نما المجتمع المدني في العراق عبر الاحتجاج والعمل الصبور.';

async function docx(paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) }] });
  return Packer.toBuffer(doc);
}

async function pdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((l, i) => page.drawText(l, { x: 40, y: 780 - i * 16, size: 11, font }));
  return doc.save();
}

describe('readDocument', () => {
  it('reads UTF-8 text with Arabic and a BOM', async () => {
    const r = await readDocument(Buffer.from('\uFEFF' + ARABIC, 'utf8'), 'paper.txt');
    expect(r).toEqual({ ok: true, text: ARABIC });
  });

  it('reads UTF-16 text with its BOM', async () => {
    const body = Buffer.from(ARABIC, 'utf16le');
    const r = await readDocument(Buffer.concat([Buffer.from([0xff, 0xfe]), body]), 'paper.txt');
    expect(r).toEqual({ ok: true, text: ARABIC });
  });

  it('refuses a text file in a legacy code page instead of showing it garbled', async () => {
    const r = await readDocument(Buffer.from([0xc7, 0xe1, 0xda, 0xd1, 0xc7, 0xde]), 'paper.txt');
    expect(r).toEqual({ ok: false, problem: 'unreadable' });
  });

  it('reads a .docx, Arabic paragraphs included', async () => {
    const r = await readDocument(await docx(['Civil society in Iraq.', ARABIC]), 'paper.docx');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.text).toContain('Civil society in Iraq.');
      expect(r.text).toContain(ARABIC);
      expect(countWords(r.text, 'ar')).toBe(4 + countWords(ARABIC, 'ar'));
    }
  });

  it('reads a .pdf', async () => {
    const r = await readDocument(await pdf(['Solidarity in action', 'ten years of ICSSI']), 'paper.pdf');
    expect(r.ok && r.text.replace(/\s+/g, ' ')).toBe('Solidarity in action ten years of ICSSI');
  });

  it('refuses other types, files dressed up under another name, and oversized files', async () => {
    expect(await readDocument(Buffer.from('GIF89a....'), 'photo.gif')).toEqual({ ok: false, problem: 'unsupported-type' });
    // A ZIP that calls itself .txt is not read as text.
    expect(await readDocument(await docx(['x']), 'paper.txt')).toEqual({ ok: false, problem: 'unsupported-type' });
    expect(await readDocument(new Uint8Array(MAX_DOCUMENT_BYTES + 1), 'big.txt')).toEqual({ ok: false, problem: 'too-large' });
  });

  it('says a broken or empty document is unreadable', async () => {
    expect(await readDocument(Buffer.from('%PDF-1.7 broken'), 'paper.pdf')).toEqual({ ok: false, problem: 'unreadable' });
    expect(await readDocument(Buffer.from('PK\u0003\u0004broken'), 'paper.docx')).toEqual({ ok: false, problem: 'unreadable' });
    expect(await readDocument(Buffer.from('   \n '), 'empty.txt')).toEqual({ ok: false, problem: 'unreadable' });
  });
});
