import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam } from './adam.js';
import { Tensor } from './tensor.js';

function param(values: number[]): Tensor {
  const p = Tensor.param(1, values.length);
  p.data.set(values);
  return p;
}

test('Adam matches two hand-computed steps (PyTorch formula)', () => {
  const p = param([1]);
  const opt = new Adam([p], { lr: 0.1 });
  p.grad![0] = 0.5;
  opt.step();
  // t=1: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 2.5e-4; m/(1-0.9) = 0.5, sqrt(v/(1-0.999)) = 0.5
  // p = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
  assert.equal(p.data[0], Math.fround(1 - (0.1 * 0.5) / (0.5 + 1e-8)));
  const p1 = p.data[0]!;
  p.grad![0] = -1;
  opt.step();
  // t=2: m = 0.9*0.05 - 0.1 = -0.055, v = 0.999*2.5e-4 + 0.001 = 1.24975e-3
  const m = Math.fround(0.9 * Math.fround(0.05) + 0.1 * -1);
  const v = Math.fround(0.999 * Math.fround(2.5e-4) + 0.001 * 1);
  const expected = p1 - (0.1 / (1 - 0.81)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.998001) + 1e-8);
  assert.ok(Math.abs(p.data[0]! - expected) < 1e-6, `${p.data[0]} vs ${expected}`);
  assert.equal(opt.steps, 2);
});

test('Adam weight decay adds wd * p to the gradient', () => {
  const p = param([2]);
  const opt = new Adam([p], { lr: 0.01, weightDecay: 0.5 });
  p.grad![0] = 0;
  opt.step();
  // g' = 0 + 0.5*2 = 1 > 0, and the first Adam step moves by lr * g'/|g'| = 0.01
  assert.ok(Math.abs(p.data[0]! - 1.99) < 1e-6);
});

test('getState / setState continue bit for bit', () => {
  const grads = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.5], [0.2, 0.2], [1, -1]];
  const a = param([1, -1]);
  const optA = new Adam([a], { lr: 0.05 });
  let saved = optA.getState();
  let savedP: Float32Array = a.data.slice();
  grads.forEach((g, i) => {
    a.grad!.set(g);
    optA.step();
    if (i === 2) { saved = optA.getState(); savedP = a.data.slice(); }
  });
  const b = param([0, 0]);
  b.data.set(savedP);
  const optB = new Adam([b], { lr: 0.05 });
  optB.setState(saved);
  assert.equal(optB.steps, 3);
  grads.slice(3).forEach((g) => { b.grad!.set(g); optB.step(); });
  assert.deepEqual(Array.from(b.data), Array.from(a.data));
  assert.throws(() => optB.setState({ step: 1, m: [], v: [] }), /Adam.setState: state has 0 moments/);
});
