/**
 * What a PDF's compressed streams inflate to, measured before pdf.js opens it: pdf.js inflates a
 * page's content (and fonts, images) into memory it never caps, so a 266 KB file whose one stream
 * inflates to 256 MiB would take that much. Every `stream … endstream` body is inflated here, in
 * small chunks counted and dropped, against a running budget; past the budget the file is refused.
 * Streams that are not zlib data (JPEG images, other filters) fail at once and cost nothing.
 */
import { createInflate, constants } from 'node:zlib';

const STREAM = Buffer.from('stream');
const END = Buffer.from('endstream');

/** Whether the inflated size of all the PDF's Flate streams stays within `budget` bytes. */
export async function pdfInflatesWithin(pdf: Buffer, budget: number): Promise<boolean> {
  let left = budget;
  let at = 0;
  for (;;) {
    const s = pdf.indexOf(STREAM, at);
    if (s < 0) return true;
    // "endstream" contains "stream": skip it (it closes a stream already measured).
    if (s >= 3 && pdf.toString('latin1', s - 3, s) === 'end') {
      at = s + STREAM.length;
      continue;
    }
    let body = s + STREAM.length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    const e = pdf.indexOf(END, body);
    const stop = e < 0 ? pdf.length : e;
    if (isZlibHeader(pdf[body], pdf[body + 1])) {
      left -= await inflatedSize(pdf.subarray(body, stop), left + 1);
      if (left < 0) return false;
    }
    at = stop + END.length;
  }
}

/** A zlib stream's first two bytes (RFC 1950): method 8 (deflate), a window of at most 32 KiB, and the check bits. */
function isZlibHeader(cmf: number | undefined, flg: number | undefined): boolean {
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

/** How many bytes `data` inflates to, counting at most `cap` (then it stops). Corrupt data counts what came out. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    // Z_SYNC_FLUSH: a truncated stream (common in the wild) is measured as far as it goes.
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    let size = 0;
    const done = () => {
      inflate.removeAllListeners('data');
      inflate.destroy();
      resolve(size);
    };
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size >= cap) done();
    });
    inflate.on('end', done);
    inflate.on('error', done);
    inflate.end(data);
  });
}
