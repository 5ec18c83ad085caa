/**
 * Tiny shape checks for the payloads platforms send. A signed request can still carry a body the
 * code would trip over (`null` where an object belongs, a number where a string does): each
 * adapter checks the fields it reads before it reads them, and answers 400 or ignores the item —
 * never a 500, and never a 503 that would make the platform deliver it again forever.
 *
 * A check returns null when the value fits, or the path of the first field that does not. Paths
 * are built from the schema's own names (map keys become `*`), never from the request's values:
 * they are safe to log.
 */
export type Obj = Record<string, unknown>;
export type Check = (value: unknown, path: string) => string | null;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const any: Check = () => null;
export const str: Check = (v, p) => (typeof v === 'string' ? null : p);
export const bool: Check = (v, p) => (typeof v === 'boolean' ? null : p);
export const int: Check = (v, p) => (Number.isSafeInteger(v) ? null : p);
export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : p);
/**
 * A time in milliseconds since 1970 that a Date can hold (JavaScript dates end 8.64e15 ms either
 * side of 1970): a number outside would become an invalid date that the database refuses, and a
 * refusal there reads as the database being down (503, delivered again forever).
 */
export const epochMs: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 8.64e15 ? null : p);
/** The same in seconds (Telegram's `date`). */
export const epochSeconds: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 8.64e12 ? null : p);
export const matches = (re: RegExp): Check => (v, p) => (typeof v === 'string' && re.test(v) ? null : p);

export const optional = (c: Check): Check => (v, p) => (v === undefined ? null : c(v, p));
export const nullable = (c: Check): Check => (v, p) => (v === null ? null : c(v, p));
export const oneOf = (...cs: Check[]): Check => (v, p) => (cs.some((c) => c(v, p) === null) ? null : p);

/** An object with at least these fields; fields it does not name are allowed (platforms add some). */
export const obj = (fields: Record<string, Check>): Check => (v, p) => {
  if (!isObj(v)) return p;
  for (const [k, c] of Object.entries(fields)) {
    const bad = c(v[k], `${p}.${k}`);
    if (bad) return bad;
  }
  return null;
};

export const arr = (c: Check): Check => (v, p) => {
  if (!Array.isArray(v)) return p;
  for (let i = 0; i < v.length; i++) {
    const bad = c(v[i], `${p}[${i}]`);
    if (bad) return bad;
  }
  return null;
};

/** A map whose keys the request chooses: its keys never appear in a path. */
export const record = (c: Check): Check => (v, p) => {
  if (!isObj(v)) return p;
  for (const x of Object.values(v)) {
    const bad = c(x, `${p}.*`);
    if (bad) return bad;
  }
  return null;
};

/** The first problem of `value` against `check`, as a loggable path, or null. */
export function problemOf(check: Check, value: unknown, root = '$'): string | null {
  return check(value, root);
}
