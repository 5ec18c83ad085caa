/**
 * Stored conversation states stay readable across releases: a version-1 state (drafts without
 * the message ids of their parts) is read as the current version, and a newer one is refused.
 */
import { describe, expect, it } from 'vitest';
import { parseState, STATE_VERSION } from '../src/flow/state.js';

describe('stored states', () => {
  it('a version-1 draft is upgraded: its parts are kept, with unknown message ids', () => {
    const v1 = {
      v: 1, locale: 'ckb', step: 'body', returnTo: null, consent: 'given', pendingTopic: null, target: null, greeted: true,
      draft: { topic: 2, details: { name: 'Hama' }, parts: ['یەکەم', 'دووەم'], editingCode: null, returnToReview: false },
    };
    const parsed = parseState(v1);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.state.v).toBe(STATE_VERSION);
    expect(parsed.state.draft).toMatchObject({ parts: ['یەکەم', 'دووەم'], partIds: [null, null], replacing: false, topic: 2 });
  });

  it('the new steps are read back', () => {
    for (const step of ['confirm-clear', 'text-options']) {
      const parsed = parseState({ v: STATE_VERSION, locale: 'en', step, draft: { parts: ['x'], partIds: ['m1'] } });
      expect(parsed.ok && parsed.state.step).toBe(step);
      expect(parsed.ok && parsed.state.draft?.partIds).toEqual(['m1']);
    }
  });

  it('a state from a newer release is refused, not misread', () => {
    expect(parseState({ v: STATE_VERSION + 1, step: 'menu', locale: 'en' })).toEqual({ ok: false, reason: 'newer-version' });
  });
});
