/**
 * Global state of the autodiff engine: whether operations record a tape
 * (`noGrad`), and which memory scope new tensors are allocated in (`scope`
 * in ./scope.ts). Kept apart from the Tensor class so every other module can
 * read it without import cycles.
 */
import { getKernels } from './kernels/select.js';
import type { Kernels } from './kernels/kernels.js';

let gradEnabled = true;

/** Scope ids from the outermost to the innermost open scope. */
const scopeIds: number[] = [];
/** The kernels each open scope took its scratch mark from. */
const scopeKernels: Kernels[] = [];
let nextScopeId = 1;

/** True unless inside `noGrad`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run `fn` without recording any tape: results never require gradients. */
export function noGrad<T>(fn: () => T): T {
  const saved = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = saved;
  }
}

/** Id of the innermost open scope, or 0 outside any scope (heap storage). */
export function currentScopeId(): number {
  return scopeIds.length === 0 ? 0 : scopeIds[scopeIds.length - 1]!;
}

/** True when storage tagged with `scopeId` has not been released yet. */
export function isScopeLive(scopeId: number): boolean {
  if (scopeId === 0) return true;
  for (let i = scopeIds.length - 1; i >= 0; i--) if (scopeIds[i] === scopeId) return true;
  return false;
}

/** Open a scope (internal to ./scope.ts); returns its id and scratch mark. */
export function openScope(): { id: number; mark: number; kernels: Kernels } {
  const kernels = getKernels();
  const mark = kernels.scratchMark();
  const id = nextScopeId++;
  scopeIds.push(id);
  scopeKernels.push(kernels);
  return { id, mark, kernels };
}

/** Close the innermost scope (internal to ./scope.ts), releasing its scratch. */
export function closeScope(id: number, mark: number, kernels: Kernels): void {
  if (scopeIds[scopeIds.length - 1] !== id) throw new Error(`scope: closing scope ${id} out of order`);
  scopeIds.pop();
  scopeKernels.pop();
  kernels.scratchRelease(mark);
}

/**
 * Storage for `n` floats for a new tensor: scratch of the innermost scope
 * (contents undefined), or zero-filled heap storage outside any scope.
 */
export function allocTensorData(n: number): Float32Array {
  if (scopeKernels.length === 0) return new Float32Array(n);
  return scopeKernels[scopeKernels.length - 1]!.allocScratch(n);
}
