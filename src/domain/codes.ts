/**
 * Receipt codes such as ICS-7K4QM2: easy to read out over a phone line.
 * The alphabet leaves out letters and digits that are confused when spoken or hand-written
 * (0/O, 1/I/L, 5/S, 2/Z, U/V, B/8). Six symbols from 23 give ~148 million codes; storage rejects
 * a collision and the core retries with a new one.
 */
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';
export const CODE_PREFIX = 'ICS-';
const CODE_LENGTH = 6;

/** `random()` returns numbers in [0, 1): injected so the flow stays deterministic in tests. */
export function makeCode(random: () => number): string {
  let out = CODE_PREFIX;
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)];
  return out;
}

/** Accepts what a person types when quoting a code: any case, spaces or a missing dash. */
export function normaliseCode(s: string): string | null {
  const compact = s.toUpperCase().replace(/[\s-]/g, '');
  const body = compact.startsWith('ICS') ? compact.slice(3) : compact;
  if (body.length !== CODE_LENGTH || [...body].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return CODE_PREFIX + body;
}
