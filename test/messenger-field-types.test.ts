/**
 * Signed Messenger bodies with one field's type (or range) swapped, over real HTTP on a real
 * SQLite database: each is answered 200 (or 400 for a body that is no webhook at all) and ignored
 * with at most one warning — never a 5xx, never an error line. A 503 would make Meta deliver the
 * same body again and again while the database is healthy (a timestamp outside any date once
 * reached the database as an invalid date and failed there).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/open-store.js';
import { databaseUrl, scratchDatabases } from './helpers/scratch-databases.js';
import { fixture, messengerRig, type MessengerRig } from './helpers/messenger.js';

const dbs = scratchDatabases('messenger-types');
let rig: MessengerRig | undefined;
afterEach(async () => rig?.close());

type Path = (string | number)[];

/** Every path into a JSON value (the root too). */
function paths(v: unknown, at: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [at];
  return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))];
}

function setAt(v: unknown, at: Path, x: unknown): unknown {
  if (at.length === 0) return x;
  let o = v as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') return v;
    o = o[k] as Record<string | number, unknown>;
  }
  o[at.at(-1)!] = x;
  return v;
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((k, i) => k === b[i]);

/** Wrong types, and numbers no clock or id can hold. */
const WRONG: unknown[] = [null, 'x', '1764147600000', true, {}, [null], -1, 1.5, 1e20, -1e20, 1e300, -1e300];

// Messages, a postback with an m.me ref, a referral and an edit: every field Meta sends in them.
const FIXTURES = ['text', 'quick-reply', 'postback-get-started-referral', 'referral', 'message-edit'];

describe('signed Messenger bodies with a field of the wrong type', () => {
  it('are answered 200 (or 400), never 5xx, with at most one warning and no error', async () => {
    rig = await messengerRig(await openStore(databaseUrl(await dbs.empty('sqlite'))));
    const refused: string[] = [];
    let n = 0;
    for (const name of FIXTURES) {
      const base = fixture(name);
      for (const at of paths(base)) {
        for (const wrong of WRONG) {
          n++;
          // Each body its own person and message ids, so no case passes as a duplicate of another.
          const body = structuredClone(base) as unknown;
          const item = ['entry', 0, 'messaging', 0];
          for (const [field, value] of [[[...item, 'sender', 'id'], String(7_000_000_000_000 + n)], [[...item, 'message', 'mid'], `m_fuzz_${n}`], [[...item, 'postback', 'mid'], `m_fuzz_pb_${n}`], [[...item, 'message_edit', 'mid'], `m_fuzz_ed_${n}`]] as [Path, string][]) {
            if (paths(body).some((p) => samePath(p, field)) && !samePath(field, at)) setAt(body, field, value);
          }
          const mutated = setAt(body, at, wrong);
          const before = rig.logs.length;
          const res = await rig.post(mutated);
          const levels = rig.logs.slice(before).map((l) => JSON.parse(l).level as string);
          const warnings = levels.filter((l) => l === 'warn').length;
          if (![200, 400].includes(res.status) || levels.includes('error') || warnings > 1) {
            refused.push(`${name} ${at.join('.')} = ${JSON.stringify(wrong)}: ${res.status}, ${warnings} warnings${levels.includes('error') ? ', error logged' : ''}`);
          }
        }
      }
    }
    expect(refused).toEqual([]);
    // Still well: a good message is stored and answered.
    expect((await rig.post(fixture('text'))).status).toBe(200);
  }, 120_000);
});
