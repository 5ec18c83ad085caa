/**
 * The word-count cache must not keep a participant's text: after an erasure no draft may stay in
 * the process's memory. Checked on a real heap snapshot (V8 collects garbage before taking it).
 */
import { randomUUID } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { countWords, countWordsOnce } from './words.js';

/** Whether `needle` occurs in the heap snapshot's text (searched chunk by chunk, across chunk ends). */
async function heapHolds(needle: string): Promise<boolean> {
  let tail = '';
  for await (const chunk of getHeapSnapshot()) {
    const text = tail + String(chunk);
    if (text.includes(needle)) return true;
    tail = text.slice(-needle.length);
  }
  return false;
}

describe('countWordsOnce', () => {
  it('counts as countWords does; the heap search finds a text still referenced', async () => {
    const marker = randomUUID();
    // Built at run time, so that no literal holds it; only a cache keyed by the text would.
    const draft = () => Array.from({ length: 12 }, (_, i) => `draft${i}-${marker}`).join(' then ');
    const needle = `draft3-${marker} then draft4-${marker}`;
    expect(countWordsOnce(draft(), 'en')).toBe(countWords(draft(), 'en'));
    expect(countWordsOnce(draft(), 'en')).toBe(countWords(draft(), 'en'));
    // The check can fail: a text still referenced is found.
    const held = draft();
    expect(await heapHolds(needle)).toBe(true);
    expect(held.length).toBeGreaterThan(0);
  }, 60_000);

  it('keeps no counted text in memory once the caller lets it go (keyed by a hash)', async () => {
    const marker = randomUUID();
    const draft = () => Array.from({ length: 12 }, (_, i) => `part${i}-${marker}`).join(' and ');
    expect(countWordsOnce(draft(), 'ckb')).toBe(countWords(draft(), 'ckb'));
    expect(await heapHolds(`part3-${marker} and part4-${marker}`)).toBe(false);
  }, 60_000);
});
