/**
 * The long jobs' progress bar: drawn on a terminal, nothing at all on a pipe or a file.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/cli/progress.js';

/** A stream that says it is a terminal, as process.stderr does on one, and keeps what is drawn. */
function terminal(isTTY: boolean) {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean; clearScreenDown: () => boolean };
  stream.isTTY = isTTY;
  stream.columns = 100;
  stream.cursorTo = stream.clearLine = stream.moveCursor = stream.clearScreenDown = () => true;
  return { stream, out };
}

describe('progressBar', () => {
  it('draws the label, the count and the percentage on a terminal', () => {
    const { stream, out } = terminal(true);
    const bar = progressBar('Export', 4, stream as unknown as NodeJS.WriteStream);
    expect(bar.visible).toBe(true);
    for (let i = 0; i < 4; i++) bar.increment();
    bar.stop();
    const drawn = out.join('');
    expect(drawn).toContain('Export');
    expect(drawn).toContain('4/4');
    expect(drawn).toContain('100%');
  });

  it('stays quiet when the output is piped', () => {
    const { stream, out } = terminal(false);
    const bar = progressBar('Export', 4, stream as unknown as NodeJS.WriteStream);
    expect(bar.visible).toBe(false);
    bar.increment();
    bar.update(3, 5);
    bar.stop();
    expect(out).toEqual([]);
  });
});
