/**
 * docs/transcripts/*.md are what the real bot says: each is produced again here, through the
 * console on a temporary database, and must equal the committed file. A change to the flow or a
 * text that is not followed by `npm run transcripts` fails this test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_DIR, transcript, typedTranscript } from '../scripts/transcripts.js';

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

  it('typed.md is up to date: a greeting, "yes" to the terms, a question in Iraqi Arabic, choices typed by their labels', async () => {
    const fresh = await typedTranscript();
    const committed = readFileSync(join(TRANSCRIPT_DIR, 'typed.md'), 'utf8');
    expect(committed === fresh, 'docs/transcripts/typed.md is stale: run npm run transcripts').toBe(true);
    // Each typed answer was understood: the greeting said back, the terms agreed, the question
    // answered, the topic chosen, and no "I did not understand".
    expect(fresh).toContain('**Person:** السلام عليكم\n\n```text\nأهلاً وسهلاً بك!');
    expect(fresh).toContain('**Person:** yes\n\n```text\nشكرًا لك.');
    expect(fresh).toContain('**Person:** شكد كلمة لازم اكتب؟\n\n```text\nالمطلوب نحو 250 كلمة');
    expect(fresh).toContain('**Person:** إعادة بناء العراق\n\n```text\nالمحور 2: إعادة بناء العراق.');
    expect(fresh).not.toContain('لم أفهم');
    expect(fresh).toMatch(/ICS-[0-9A-Z]{6}/);
  });
});
