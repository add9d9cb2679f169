/** Shape and lifetime checks shared by the ops; errors name the op. */
import type { Tensor } from './tensor.js';

/** Throw a RangeError prefixed with the op name. */
export function opError(op: string, message: string): never {
  throw new RangeError(`${op}: ${message}`);
}

/** Every input must still have its storage (not released by a scope). */
export function checkLive(op: string, a: Tensor, b?: Tensor): void {
  if (!a.isLive || (b !== undefined && !b.isLive)) opError(op, 'input tensor used after its scope ended (copy it out by returning it from the scope)');
}

/** Both tensors must have the same shape. */
export function checkSameShape(op: string, a: Tensor, b: Tensor): void {
  checkLive(op, a, b);
  if (a.rows !== b.rows || a.cols !== b.cols) opError(op, `shapes ${a.shapeString} and ${b.shapeString} differ`);
}

/** Row indices must be integers in [0, limit). */
export function checkIndices(op: string, idx: ArrayLike<number>, limit: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= limit) opError(op, `${what} index ${v} at position ${i} is outside [0, ${limit})`);
  }
}
