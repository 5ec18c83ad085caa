/**
 * Streams a call's contributions as CSV or JSON. Rows come from storage a page at a time and are
 * written with backpressure, so 100,000 rows need no more memory than 10. Platform user ids are
 * replaced by a keyed pseudonym: stable across exports, meaningless without ICSSI_SECRET.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ExportStore } from '../core/ports.js';
import { pseudonym } from '../core/conversation-key.js';
import type { ExportRecord } from '../domain/records.js';
import { csvLine } from './csv.js';

export const EXPORT_COLUMNS = ['code', 'call', 'topic', 'state', 'language', 'platform', 'participant', 'created_at', 'updated_at',
  'revision', 'word_count', 'name', 'organisation', 'country', 'email', 'text'] as const;

export function exportRow(r: ExportRecord, secret: string): Record<(typeof EXPORT_COLUMNS)[number], string | number | null> {
  return {
    code: r.code,
    call: r.callId,
    topic: r.topic,
    state: r.state,
    language: r.language,
    platform: r.platform,
    participant: pseudonym(secret, r.platform, r.platformUserId),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    revision: r.revision,
    word_count: r.wordCount,
    name: r.details.name,
    organisation: r.details.organisation,
    country: r.details.country,
    email: r.details.email,
    text: r.text,
  };
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function exportContributions(opts: { store: ExportStore; callId: string; secret: string; format: 'csv' | 'json'; out: Writable; onRow?: () => void }): Promise<number> {
  const { out } = opts;
  let n = 0;
  if (opts.format === 'csv') await write(out, '\uFEFF' + csvLine([...EXPORT_COLUMNS])); // BOM: Excel then reads UTF-8 Arabic right.
  else await write(out, '[');
  for await (const record of opts.store.exportRecords(opts.callId)) {
    const row = exportRow(record, opts.secret);
    if (opts.format === 'csv') await write(out, csvLine(EXPORT_COLUMNS.map((c) => row[c])));
    else await write(out, (n === 0 ? '\n' : ',\n') + JSON.stringify(row));
    n++;
    opts.onRow?.();
  }
  if (opts.format === 'json') await write(out, n === 0 ? ']\n' : '\n]\n');
  return n;
}
