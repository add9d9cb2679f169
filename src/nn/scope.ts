/**
 * Memory scopes. `scope(fn)` takes a scratch mark, runs `fn`, and releases all
 * scratch storage made inside it: tensors, their gradients and temporaries.
 * That is how a training step reuses the same memory on every call.
 *
 * What `fn` returns survives: a returned Tensor (also inside a returned array
 * or plain object, one level deep) made in this scope is copied to heap
 * storage and detached from the tape. Anything else made inside the scope
 * must not be used after it ends (ops check and throw). Parameters and their
 * gradients live in persistent memory and are unaffected.
 */
import { closeScope, openScope } from './context.js';
import { Tensor } from './tensor.js';

export { noGrad, isGradEnabled } from './context.js';

/** Run `fn` in a memory scope; see the module comment for what survives. */
export function scope<T>(fn: () => T): T {
  const { id, mark, kernels } = openScope();
  try {
    return rescue(fn(), id);
  } finally {
    closeScope(id, mark, kernels);
  }
}

function rescue<T>(value: T, id: number): T {
  if (value instanceof Tensor) return (value.scopeId === id ? value.clone() : value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => (v instanceof Tensor && v.scopeId === id ? v.clone() : v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = v instanceof Tensor && v.scopeId === id ? v.clone() : v;
    return out as T;
  }
  return value;
}
