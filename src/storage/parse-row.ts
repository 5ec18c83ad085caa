/**
 * Small validators for what a stored row holds. A column's type in the schema is only `String`:
 * a row written by hand, by a broken copy or by a newer release can hold anything. Reading one
 * fails at once with an error naming the table and column — never the value, which may be
 * personal (a name, a text, a platform id) and would end up in logs.
 */
import { AppError } from '../core/errors.js';

/** `column` is `Table.column` (the Prisma model's names); `what` says what was expected. */
export function corruptRow(column: string, what: string, cause?: unknown): AppError {
  return new AppError('STATE_UNREADABLE', `A stored row is unreadable: ${column} is not ${what}`, cause === undefined ? undefined : { cause });
}

/** A parser for a column that holds one of `values`. */
export function oneOf<const T extends string>(values: readonly T[], column: string, what: string): (value: string) => T {
  const allowed = new Set<string>(values);
  return (value) => {
    if (!allowed.has(value)) throw corruptRow(column, what);
    return value as T;
  };
}

/** Like oneOf, for a nullable column. */
export function oneOfOrNull<const T extends string>(values: readonly T[], column: string, what: string): (value: string | null) => T | null {
  const parse = oneOf(values, column, what);
  return (value) => (value === null ? null : parse(value));
}

/** JSON text of a column, parsed (not yet checked). */
export function jsonColumn(text: string, column: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // The parser's message quotes the text: it is not passed on as the cause.
    throw corruptRow(column, `valid JSON (${err instanceof Error ? err.name : 'error'})`);
  }
}

export type Fields = Record<string, unknown>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional field of a stored object: absent, or passing `check`. */
export function optional(o: Fields, name: string, check: (v: unknown) => boolean): boolean {
  return !(name in o) || o[name] === undefined || check(o[name]);
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
