/**
 * A minimal progress display for long CLI operations. On a terminal: one line redrawn in place;
 * otherwise a line at every tenth. (A shared progress helper may replace this file; its one
 * function is all the callers use.)
 */
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; end(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total) {
      const ratio = total === 0 ? 1 : done / total;
      if (out.isTTY) {
        const width = 30;
        const full = Math.round(ratio * width);
        out.write(`\r${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${done}/${total}`);
        drawn = true;
      } else {
        const tenth = Math.floor(ratio * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          out.write(`${label} ${done}/${total}\n`);
        }
      }
    },
    end() {
      if (drawn) out.write('\n');
    },
  };
}
