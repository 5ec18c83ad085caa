/**
 * The text of a .docx, read from its main part (word/document.xml) in one pass over the XML:
 * the text runs (<w:t>), tabs and line breaks, a blank line after each paragraph. Deleted text
 * (<w:delText>) and field codes (<w:instrText>) are not the author's words and are left out, as is
 * the fallback copy of a text box (<mc:Fallback> repeats what <mc:Choice> holds).
 * One regular expression scan, linear in the XML: a crafted document cannot make it slow.
 */
import { readZipEntry, type ZipLimits } from './zip-entries.js';

export type DocxText = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'too-long' | 'unreadable' };

const TOKENS = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:(?:br|cr)(?:\s[^>]*)?\/>|<\/w:p>|<mc:Fallback>|<\/mc:Fallback>/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] !== '#') return ENTITIES[e]!;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** The document's text, stopping as soon as it passes maxChars (then 'too-long'). */
export function docxText(zip: Buffer, limits: ZipLimits & { maxChars: number }): DocxText {
  const entry = readZipEntry(zip, 'word/document.xml', limits);
  if (!entry.ok) return entry;
  const xml = entry.bytes.toString('utf8');
  const out: string[] = [];
  let length = 0;
  let fallback = 0;
  for (const m of xml.matchAll(TOKENS)) {
    const token = m[0];
    if (token === '<mc:Fallback>') fallback++;
    else if (token === '</mc:Fallback>') fallback = Math.max(0, fallback - 1);
    if (fallback > 0) continue;
    const piece = m[1] !== undefined ? decodeEntities(m[1]) : token === '<w:tab/>' ? '\t' : token === '</w:p>' ? '\n\n' : token.startsWith('<w:') ? '\n' : '';
    out.push(piece);
    length += piece.length;
    if (length > limits.maxChars) return { ok: false, problem: 'too-long' };
  }
  return { ok: true, text: out.join('') };
}
