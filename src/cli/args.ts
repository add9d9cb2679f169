import { UserError } from '../core/errors.js';

/** Parse a flag that must be a whole number >= min. */
export function parseIntFlag(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UserError(`${flag}: expected a whole number, got '${value}'`);
  }
  if (n < min) throw new UserError(`${flag}: must be at least ${min}, got ${n}`);
  return n;
}

/** Check `value` is one of `allowed`, or fail naming the valid choices. */
export function parseChoice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${flag}: unknown value '${value}'; valid: ${allowed.join(', ')}`);
}
