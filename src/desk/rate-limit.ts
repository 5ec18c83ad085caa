/**
 * Failed sign-in attempts per client address: at most `max` in a sliding `windowMs`, after which
 * the address is refused until old failures age out. Only failures count, so a person using their
 * link is never slowed; guessing a 256-bit token is pointless anyway, this keeps it quiet. In
 * memory, per process: several instances each count their own.
 */
export class RateLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly clock: () => number = Date.now) {}

  private recent(key: string): number[] {
    const now = this.clock();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent;
  }

  blocked(key: string): boolean {
    return this.recent(key).length >= this.max;
  }

  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.clock());
    this.failures.set(key, recent);
    // Forget quiet addresses now and then, so the map does not grow with every visitor.
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k);
  }
}
