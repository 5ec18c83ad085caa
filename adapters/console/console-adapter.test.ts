import { describe, expect, it } from 'vitest';
import { formatForConsole, parseConsoleLine } from './console-adapter.js';

describe('the console adapter', () => {
  it('numbers choices once, whatever digits a label already starts with', () => {
    const out = formatForConsole({ text: 'Which topic?', choices: [
      { id: 'topic:1', label: '١. ئاستەنگ و دەستکەوت' }, { id: 'topic:2', label: '2. Rebuilding Iraq' }, { id: 'x', label: 'Skip' }] });
    expect(out).toBe('Which topic?\n  ١. ئاستەنگ و دەستکەوت\n  2. Rebuilding Iraq\n  3) Skip\n');
  });
  it('reads /commands with arguments and everything else as messages', () => {
    const ref = { platform: 'console' as const, chatId: 'u', userId: 'u' };
    expect(parseConsoleLine('/start topic2', ref, undefined)).toMatchObject({ kind: 'command', command: 'start', args: 'topic2' });
    expect(parseConsoleLine('2', ref, 'ar')).toMatchObject({ kind: 'message', text: '2', localeHint: 'ar' });
    expect(parseConsoleLine('/ not a command', ref, undefined)).toMatchObject({ kind: 'message' });
  });
});

describe('console numbering', () => {
  it('numbers choices in the digits of the message language (one digit system per screen)', () => {
    const ckb = formatForConsole({ text: 'x', lang: 'ckb', choices: [{ id: 'a', label: 'تەواو' }, { id: 'b', label: 'نا' }] });
    expect(ckb).toBe('x\n  ١) تەواو\n  ٢) نا\n');
    const ar = formatForConsole({ text: 'x', lang: 'ar', choices: [{ id: 'a', label: 'تم' }] });
    expect(ar).toBe('x\n  1) تم\n');
  });
});
