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
