/**
 * docs/transcripts/*.md are what the real bot says: each is produced again here, through the
 * console on a temporary database, and must equal the committed file. A change to the flow or a
 * text that is not followed by `npm run transcripts` fails this test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_DIR, transcript } from '../scripts/transcripts.js';

describe('the transcripts in docs/transcripts', () => {
  for (const lng of ['en', 'ar', 'ckb'] as const) {
    it(`${lng}.md is up to date (run npm run transcripts after changing the bot)`, async () => {
      const fresh = await transcript(lng);
      const committed = readFileSync(join(TRANSCRIPT_DIR, `${lng}.md`), 'utf8');
      expect(committed === fresh, `docs/transcripts/${lng}.md is stale: run npm run transcripts`).toBe(true);
      // What the issue asks each transcript to show.
      expect(fresh).toContain('**Person:** /status');
      expect(fresh).toMatch(/ICS-[0-9A-Z]{6}/);
    });
  }
});
