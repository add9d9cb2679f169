import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { Adam } from './adam.js';
import { Linear, MLP, clipGradNorm, copyParams, softUpdate, zeroGrad } from './layers.js';
import { mse } from './ops-reduce.js';
import { noGrad, scope } from './scope.js';
import { Tensor, fromArray } from './tensor.js';

test('Linear uses PyTorch layout and init: weight [out, in] then bias, uniform in ±1/sqrt(in)', () => {
  const layer = new Linear(16, 3, new Random(5));
  assert.equal(layer.weight.shapeString, '[3, 16]');
  assert.equal(layer.bias!.shapeString, '[1, 3]');
  const rng = new Random(5);
  // bound = 1/sqrt(16) = 0.25; the draws come in the order weight (row-major), then bias.
  const expected = [...Array.from({ length: 48 }, () => Math.fround(rng.uniform(-0.25, 0.25))), ...Array.from({ length: 3 }, () => Math.fround(rng.uniform(-0.25, 0.25)))];
  assert.deepEqual([...layer.weight.toArray(), ...layer.bias!.toArray()], expected);
  for (const v of expected) assert.ok(Math.abs(v) <= 0.25);
});

test('MLP parameter names follow torch.nn.Sequential', () => {
  const mlp = new MLP({ sizes: [4, 8, 8, 2], activation: 'relu', outputActivation: 'tanh' }, new Random(1));
  assert.deepEqual(mlp.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
  assert.equal(mlp.parameters().length, 6);
});

test('forwardInto gives exactly the tape forward, for one row and for a batch', () => {
  const rng = new Random(2);
  for (const act of ['relu', 'silu', 'leakyRelu'] as const) {
    const mlp = new MLP({ sizes: [5, 7, 6, 3], activation: act, outputActivation: 'tanh' }, rng);
    for (const rows of [1, 4]) {
      const x = new Float32Array(rows * 5).map(() => rng.uniform(-2, 2));
      const out = new Float32Array(rows * 3);
      mlp.forwardInto(x, out, rows);
      const ref = noGrad(() => mlp.forward(fromArray(x, rows, 5)));
      assert.deepEqual(Array.from(out), ref.toArray(), `${act} rows ${rows}`);
    }
  }
});

test('softUpdate and copyParams', () => {
  const a = new Linear(2, 2, new Random(1));
  const b = new Linear(2, 2, new Random(2));
  const before = a.weight.toArray();
  softUpdate(a, b, 0.25);
  // target = 0.25 source + 0.75 target
  a.weight.toArray().forEach((v, i) => assert.ok(Math.abs(v - (0.25 * b.weight.data[i]! + 0.75 * before[i]!)) < 1e-7));
  copyParams(a, b);
  assert.deepEqual(a.weight.toArray(), b.weight.toArray());
  assert.throws(() => copyParams(a, new Linear(3, 2, new Random(1))), /copyParams: parameter 0 has shape \[2, 2\] in the target, \[2, 3\] in the source/);
});

test('clipGradNorm returns the norm and scales by max / (norm + 1e-6) only when above max', () => {
  const p = Tensor.param(1, 2);
  const q = Tensor.param(1, 1);
  p.grad!.set([3, 0]);
  q.grad!.set([4]);
  // global norm sqrt(9 + 16) = 5
  assert.equal(clipGradNorm([p, q], 10), 5);
  assert.deepEqual([...p.grad!, ...q.grad!], [3, 0, 4]);
  assert.equal(clipGradNorm([p, q], 1), 5);
  const c = 1 / (5 + 1e-6);
  assert.deepEqual([...p.grad!, ...q.grad!], [Math.fround(3 * c), 0, Math.fround(4 * c)]);
  zeroGrad([p, q]);
  assert.deepEqual([...p.grad!, ...q.grad!], [0, 0, 0]);
});

test('an MLP learns y = sin(2 x0) * x1 to MSE below 0.01', () => {
  const rng = new Random(3);
  const n = 256;
  const x = new Float32Array(2 * n).map(() => rng.uniform(-1, 1));
  const y = new Float32Array(n).map((_, i) => Math.sin(2 * x[2 * i]!) * x[2 * i + 1]!);
  // Target variance is about E[sin^2(2 x0)] E[x1^2] ≈ 0.38 * 0.33 ≈ 0.13; predicting the mean gives MSE ≈ 0.13.
  const mlp = new MLP({ sizes: [2, 32, 32, 1], activation: 'tanh' }, rng);
  const opt = new Adam(mlp.parameters(), { lr: 1e-2 });
  const xs = fromArray(x, n, 2);
  const ys = fromArray(y, n, 1);
  let loss = Infinity;
  for (let step = 0; step < 600; step++) {
    loss = scope(() => {
      opt.zeroGrad();
      const l = mse(mlp.forward(xs), ys);
      l.backward();
      opt.step();
      return l.item();
    });
  }
  assert.ok(loss < 0.01, `final MSE ${loss}`);
});
