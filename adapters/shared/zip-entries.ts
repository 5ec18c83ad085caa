/**
 * Just enough of the ZIP format to read one entry of a .docx safely: the central directory is read
 * first (entry count and every declared size checked before anything is inflated), then the one
 * entry wanted is inflated with a byte cap, so a declared size that lies cannot fill memory either.
 * APPNOTE.TXT (PKWARE) sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end record).
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the archive: a .docx has a few dozen. */
  maxEntries: number;
  /** What the entry read may inflate to (declared and actual). */
  maxEntryBytes: number;
  /** What all entries together declare: a bomb declares gigabytes across many parts. */
  maxTotalBytes: number;
}

export type ZipProblem = 'too-large' | 'unreadable';
export type ZipEntry = { ok: true; bytes: Buffer } | { ok: false; problem: ZipProblem };

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

interface CentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes. */
function findEnd(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) if (zip.readUInt32LE(i) === END_SIGNATURE) return i;
  return -1;
}

function centralDirectory(zip: Buffer, limits: ZipLimits): CentralEntry[] | ZipProblem {
  const end = findEnd(zip);
  if (end < 0) return 'unreadable';
  const count = zip.readUInt16LE(end + 10);
  const offset = zip.readUInt32LE(end + 16);
  // ZIP64 (0xFFFF / 0xFFFFFFFF markers) is for archives no contribution needs.
  if (count === 0xffff || offset === 0xffffffff) return 'too-large';
  if (count > limits.maxEntries) return 'too-large';
  const entries: CentralEntry[] = [];
  let total = 0;
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL_SIGNATURE) return 'unreadable';
    const nameLength = zip.readUInt16LE(p + 28);
    const entry: CentralEntry = {
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      uncompressedSize: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
    };
    if (entry.uncompressedSize === 0xffffffff) return 'too-large';
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) return 'too-large';
    entries.push(entry);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** One entry's bytes by name, or why not; nothing is inflated unless every declared size fits. */
export function readZipEntry(zip: Buffer, name: string, limits: ZipLimits): ZipEntry {
  const entries = centralDirectory(zip, limits);
  if (typeof entries === 'string') return { ok: false, problem: entries };
  const entry = entries.find((e) => e.name === name);
  if (!entry) return { ok: false, problem: 'unreadable' };
  if (entry.uncompressedSize > limits.maxEntryBytes) return { ok: false, problem: 'too-large' };
  const local = entry.localOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) return { ok: false, problem: 'unreadable' };
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.length <= limits.maxEntryBytes ? { ok: true, bytes: Buffer.from(data) } : { ok: false, problem: 'too-large' };
  if (entry.method !== 8) return { ok: false, problem: 'unreadable' };
  try {
    // The cap holds whatever the directory declared: inflating stops at maxEntryBytes + 1.
    return { ok: true, bytes: inflateRawSync(data, { maxOutputLength: limits.maxEntryBytes + 1 }) };
  } catch (err) {
    return { ok: false, problem: (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'unreadable' };
  }
}
