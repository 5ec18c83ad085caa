/**
 * Reads a downloaded document's body, stopping as soon as it passes the size cap: neither a
 * declared Content-Length nor a lying or missing one can make a download fill memory.
 */
import { MAX_DOCUMENT_BYTES } from './read-document.js';

export class DocumentTooLarge extends Error {}

export async function boundedBytes(res: Response, max = MAX_DOCUMENT_BYTES): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) throw new DocumentTooLarge();
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw new DocumentTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
