/**
 * Reverse-mode automatic differentiation over the tape that ops leave on
 * their outputs (micrograd-style): each op's result keeps its inputs and a
 * closure that adds the result's gradient into theirs; `backward` orders the
 * graph topologically and runs the closures from the root down.
 */
import { currentScopeId, isGradEnabled } from './context.js';
import { getKernels } from './kernels/select.js';
import type { BackwardFn, Tensor } from './tensor.js';

let pass = 0;
/** Reused buffers for the iterative depth-first search (hot path: no allocation). */
const order: Tensor[] = [];
const stackNodes: Tensor[] = [];
const stackNext: number[] = [];

/** True when an op on these inputs must record a tape entry. */
export function needsGrad(a: Tensor, b?: Tensor, c?: Tensor): boolean {
  if (!isGradEnabled()) return false;
  return a.requiresGrad || (b !== undefined && b.requiresGrad) || (c !== undefined && c.requiresGrad);
}

/** Link `out` to its inputs with the op's backward closure. */
export function record(out: Tensor, parents: readonly Tensor[], fn: BackwardFn): Tensor {
  out.requiresGrad = true;
  out.parents = parents;
  out.backwardFn = fn;
  return out;
}

/**
 * Gradient storage for `t`, zero-filled on first use. It sits in the current
 * scope's scratch when `t` itself was made in that scope, else on the heap,
 * so a gradient never outlives its storage nor dies before its tensor.
 */
export function ensureGrad(t: Tensor): Float32Array {
  if (t.grad !== null) return t.grad;
  const n = t.size;
  let g: Float32Array;
  if (t.scopeId !== 0 && t.scopeId === currentScopeId()) {
    g = getKernels().allocScratch(n);
    g.fill(0);
  } else {
    g = new Float32Array(n);
  }
  t.grad = g;
  return g;
}

/**
 * Backpropagate from `root`: gradients are added (PyTorch semantics: they
 * accumulate until zeroed) into every tensor with `requiresGrad` it depends on.
 * `seed` is d(objective)/d(root); it defaults to 1 and is then only allowed for a 1 x 1 root.
 * Call it in the scope that built the graph.
 */
export function backward(root: Tensor, seed?: Float32Array): void {
  if (!root.requiresGrad) throw new Error('backward: the tensor does not require gradients (built under noGrad, or from constants only)');
  if (!root.isLive) throw new Error('backward: the tensor was released by its scope');
  if (seed === undefined && root.size !== 1) throw new Error(`backward: root has shape ${root.shapeString}; pass a seed gradient for non-scalar roots`);
  if (seed !== undefined && seed.length < root.size) throw new Error(`backward: seed has ${seed.length} values, root has ${root.size}`);

  topoSort(root);
  const g = ensureGrad(root);
  if (seed === undefined) g[0] += 1;
  else getKernels().axpy(1, seed, g, root.size);

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const fn = node.backwardFn;
    if (fn === null) continue;
    const ps = node.parents;
    for (let j = 0; j < ps.length; j++) if (ps[j]!.requiresGrad) ensureGrad(ps[j]!);
    fn();
  }
  order.length = 0;
}

/** Fill `order` with the nodes `root` depends on (gradient-requiring only), inputs first. */
function topoSort(root: Tensor): void {
  const stamp = ++pass;
  order.length = 0;
  stackNodes.length = 0;
  stackNext.length = 0;
  root.visit = stamp;
  stackNodes.push(root);
  stackNext.push(0);
  while (stackNodes.length > 0) {
    const top = stackNodes.length - 1;
    const node = stackNodes[top]!;
    const next = stackNext[top]!;
    if (next < node.parents.length) {
      stackNext[top] = next + 1;
      const p = node.parents[next]!;
      if (p.requiresGrad && p.visit !== stamp) {
        p.visit = stamp;
        stackNodes.push(p);
        stackNext.push(0);
      }
    } else {
      stackNodes.pop();
      stackNext.pop();
      order.push(node);
    }
  }
}
