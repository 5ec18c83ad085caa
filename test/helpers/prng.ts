/**
 * A small deterministic PRNG (mulberry32): receipt codes and seeded data repeat from run to run
 * and backend to backend. Its own file so that the benchmarks' data seeding needs no dispatcher.
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
