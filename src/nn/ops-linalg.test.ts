import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from './grad-check.js';
import { linear, matmul, scoreMatrix } from './ops-linalg.js';
import { concatCols } from './ops-shape.js';
import { sum } from './ops-reduce.js';
import { scope } from './scope.js';
import { tensor } from './tensor.js';

/** Float64 (m x k)(k x n) with optional transposed storage of either side. */
function matmul64(a: Float64Array, b: Float64Array, m: number, n: number, k: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!);
      out[i * n + j] = s;
    }
  }
  return out;
}

for (const tA of [false, true]) {
  for (const tB of [false, true]) {
    test(`gradient of matmul transA=${tA} transB=${tB} matches finite differences`, () => {
      const rng = new Random(5);
      const [m, n, k] = [3, 4, 5];
      const r = gradCheck({
        inputs: [
          { rows: tA ? k : m, cols: tA ? m : k, values: randomValues(rng, m * k) },
          { rows: tB ? n : k, cols: tB ? k : n, values: randomValues(rng, k * n) },
        ],
        forward: ([a, b]) => matmul(a!, b!, { transA: tA, transB: tB }),
        reference: ([a, b]) => matmul64(a!, b!, m, n, k, tA, tB),
      }, rng);
      assert.ok(r.forwardError < 1e-6 && r.gradError < 1e-4, JSON.stringify(r));
    });
  }
}

test('gradient of the score matrix u = A Bᵀ matches finite differences', () => {
  const rng = new Random(6);
  const r = gradCheck({
    inputs: [{ rows: 6, cols: 4, values: randomValues(rng, 24) }, { rows: 6, cols: 4, values: randomValues(rng, 24) }],
    forward: ([a, b]) => scoreMatrix(a!, b!),
    reference: ([a, b]) => matmul64(a!, b!, 6, 6, 4, false, true),
  }, rng);
  assert.ok(r.forwardError < 1e-6 && r.gradError < 1e-4, JSON.stringify(r));
});

for (const withBias of [true, false]) {
  test(`gradient of linear (bias ${withBias}) matches finite differences`, () => {
    const rng = new Random(8);
    const [rows, nIn, nOut] = [5, 4, 3];
    const inputs = [
      { rows, cols: nIn, values: randomValues(rng, rows * nIn) },
      { rows: nOut, cols: nIn, values: randomValues(rng, nOut * nIn) },
      { rows: 1, cols: nOut, values: randomValues(rng, nOut) },
    ];
    const r = gradCheck({
      inputs: withBias ? inputs : inputs.slice(0, 2),
      forward: ([x, w, b]) => linear(x!, w!, b ?? null),
      reference: ([x, w, b]) => {
        const y = matmul64(x!, w!, rows, nOut, nIn, false, true);
        if (b) for (let i = 0; i < y.length; i++) y[i] += b[i % nOut]!;
        return y;
      },
    }, rng);
    assert.ok(r.forwardError < 1e-6 && r.gradError < 1e-4, JSON.stringify(r));
  });
}

test('matmul of a hand-worked example', () => {
  // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
  assert.deepEqual(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toRows(), [[19, 22], [43, 50]]);
});

test('matmul and linear shape errors name the op', () => {
  const a = tensor([1, 2, 3, 4, 5, 6], 2, 3);
  assert.throws(() => matmul(a, a), /^RangeError: matmul: inner sizes differ: \[2, 3\] · \[2, 3\]/);
  assert.throws(() => scoreMatrix(a, tensor([1, 2], 1, 2)), /^RangeError: scoreMatrix: inner sizes differ/);
  assert.throws(() => linear(a, tensor([1, 2], 1, 2), null), /^RangeError: linear: input has 3 columns, weight \[1, 2\] expects 2/);
  assert.throws(() => linear(a, tensor([1, 2, 3], 1, 3), tensor([1, 2], 1, 2)), /^RangeError: linear: bias has shape \[1, 2\], expected \[1, 1\]/);
});

test('linear on [constant | variable] columns gives the variable part the full product\'s gradient', () => {
  // The layer's input gradient is formed for the variable columns only (gradColumns);
  // the parts' gradients must equal those of the same graph with every part variable.
  const rng = new Random(8);
  const rows = 6, nOut = 5, widths = [7, 3, 2];
  const nIn = widths.reduce((a, b) => a + b, 0);
  const vals = widths.map((w) => randomValues(rng, rows * w));
  const w = tensor(randomValues(rng, nOut * nIn), nOut, nIn, { requiresGrad: true });
  const bias = tensor(randomValues(rng, nOut), 1, nOut, { requiresGrad: true });
  const grads = (variable: readonly boolean[]): number[][] => scope(() => {
    const parts = vals.map((v, i) => tensor(v, rows, widths[i]!, { requiresGrad: variable[i]! }));
    sum(linear(concatCols(parts), w, bias)).backward();
    return parts.map((p) => (p.grad ? Array.from(p.grad) : []));
  });
  const full = grads([true, true, true]);
  for (const variable of [[false, true, false], [false, true, true], [true, false, false], [false, false, true]]) {
    const got = grads(variable);
    variable.forEach((v, i) => {
      if (!v) return;
      got[i]!.forEach((g, j) => assert.ok(Math.abs(g - full[i]![j]!) <= 1e-6 * (1 + Math.abs(full[i]![j]!)), `part ${i} of ${variable.join('/')}: ${g} vs ${full[i]![j]}`));
    });
  }
});
