/** Counters for /metrics (Prometheus text format). Counts only, nothing personal. */
export class Metrics {
  readonly counters = new Map<string, number>();

  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  toPrometheus(): string {
    const lines: string[] = [];
    for (const [name, value] of [...this.counters.entries()].sort()) {
      lines.push(`# TYPE icssi_${name} counter`, `icssi_${name} ${value}`);
    }
    return lines.join('\n') + '\n';
  }
}
