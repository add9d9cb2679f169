import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getKernels } from './kernels/select.js';
import { add, mul, mulScalar, relu, tanh } from './ops-elementwise.js';
import { matmul } from './ops-linalg.js';
import { sum } from './ops-reduce.js';
import { noGrad, scope } from './scope.js';
import { Tensor, tensor } from './tensor.js';

test('gradients accumulate across backward calls until zeroed (PyTorch semantics)', () => {
  const x = tensor([2, 3], 1, 2, { requiresGrad: true });
  // d/dx sum(x * x) = 2x = [4, 6]
  sum(mul(x, x)).backward();
  sum(mul(x, x)).backward();
  assert.deepEqual(Array.from(x.grad!), [8, 12]);
  x.zeroGrad();
  assert.deepEqual(Array.from(x.grad!), [0, 0]);
});

test('a shared subexpression gets the sum of its consumers\' gradients', () => {
  const x = tensor([0.5], 1, 1, { requiresGrad: true });
  const t = tanh(x);
  // y = t*t + 3t: dy/dx = (2t + 3)(1 - t^2)
  sum(add(mul(t, t), mulScalar(t, 3))).backward();
  const tv = Math.tanh(0.5);
  assert.ok(Math.abs(x.grad![0]! - (2 * tv + 3) * (1 - tv * tv)) < 1e-6);
});

test('noGrad records nothing', () => {
  const x = tensor([1, -1], 1, 2, { requiresGrad: true });
  const y = noGrad(() => sum(relu(x)));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.backwardFn, null);
  assert.throws(() => y.backward(), /^Error: backward: the tensor does not require gradients/);
});

test('backward needs a seed for non-scalar roots', () => {
  const x = tensor([1, 2], 1, 2, { requiresGrad: true });
  assert.throws(() => relu(x).backward(), /pass a seed gradient/);
});

test('a 20000-op chain backpropagates without recursion', () => {
  const x = tensor([1], 1, 1, { requiresGrad: true });
  let y: Tensor = x;
  for (let i = 0; i < 20000; i++) y = mulScalar(y, 1);
  y.backward();
  assert.equal(x.grad![0], 1);
});

test('scope releases scratch, rescues what it returns, and gives the same numbers as heap storage', () => {
  const k = getKernels();
  const w = Tensor.param(3, 1);
  w.data.set([0.5, -1, 2]);
  const x = tensor([[1, 2, 3], [-1, 0, 1]]);
  const step = (): Tensor => {
    w.zeroGrad();
    const loss = sum(relu(matmul(add(mul(x, x), mulScalar(x, 0.1)), w)));
    loss.backward();
    return loss;
  };
  const heap = step();
  const heapGrad = Array.from(w.grad!);
  const before = k.scratchMark();
  let leaked: Tensor | null = null;
  const fromScope = scope(() => {
    const r = step();
    leaked = relu(x);
    return { r, n: 3 };
  });
  assert.equal(k.scratchMark(), before, 'scratch released');
  assert.equal(fromScope.n, 3);
  assert.equal(fromScope.r.scopeId, 0, 'returned tensor copied to heap');
  assert.deepEqual(fromScope.r.toArray(), heap.toArray());
  assert.deepEqual(Array.from(w.grad!), heapGrad);
  assert.throws(() => relu(leaked!), /^RangeError: relu: input tensor used after its scope ended/);
  // The same step twice in a scope ends at the same scratch mark: memory is reused, not grown.
  scope(() => step());
  scope(() => step());
  assert.equal(k.scratchMark(), before);
});

test('parameter gradients computed inside a scope survive it', () => {
  const w = Tensor.param(1, 2);
  w.data.set([1, 2]);
  const x = tensor([3, 4], 1, 2);
  scope(() => sum(mul(w, x)).backward());
  // d/dw sum(w * x) = x
  assert.deepEqual(Array.from(w.grad!), [3, 4]);
});
