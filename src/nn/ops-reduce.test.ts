import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from './grad-check.js';
import type { GradCheckCase } from './grad-check.js';
import { huber, logSoftmax, mean, mse, softmax, sum } from './ops-reduce.js';
import { tensor } from './tensor.js';

function check(name: string, c: GradCheckCase): void {
  const r = gradCheck(c, new Random(2));
  assert.ok(r.forwardError < 1e-6, `${name}: forward error ${r.forwardError}`);
  assert.ok(r.gradError < 1e-4, `${name}: gradient error ${r.gradError}`);
}

const R = 4;
const C = 5;
function reduce64(x: Float64Array, axis: 0 | 1 | undefined, isMean: boolean): Float64Array {
  if (axis === undefined) {
    const s = x.reduce((a, b) => a + b, 0);
    return Float64Array.of(isMean ? s / x.length : s);
  }
  const out = new Float64Array(axis === 0 ? C : R);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[axis === 0 ? c : r] += x[r * C + c]!;
  return out.map((v) => (isMean ? v / (axis === 0 ? R : C) : v));
}

for (const isMean of [false, true]) {
  for (const axis of [undefined, 0, 1] as const) {
    const name = `${isMean ? 'mean' : 'sum'}(axis ${String(axis)})`;
    test(`gradient of ${name} matches finite differences`, () => {
      const rng = new Random(4);
      check(name, {
        inputs: [{ rows: R, cols: C, values: randomValues(rng, R * C) }],
        forward: ([x]) => (isMean ? mean(x!, axis) : sum(x!, axis)),
        reference: ([x]) => reduce64(x!, axis, isMean),
      });
    });
  }
}

function logSoftmax64(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c]!);
    for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c]! - Math.log(s);
  }
  return out;
}

test('gradient of logSoftmax matches finite differences', () => {
  const rng = new Random(9);
  check('logSoftmax', {
    inputs: [{ rows: R, cols: C, values: randomValues(rng, R * C, -3, 3) }],
    forward: ([x]) => logSoftmax(x!),
    reference: ([x]) => logSoftmax64(x!, R, C),
  });
});

test('gradient of softmax matches finite differences', () => {
  const rng = new Random(10);
  check('softmax', {
    inputs: [{ rows: R, cols: C, values: randomValues(rng, R * C, -3, 3) }],
    forward: ([x]) => softmax(x!),
    reference: ([x]) => logSoftmax64(x!, R, C).map(Math.exp),
  });
});

test('logSoftmax is stable for huge logits', () => {
  // Shifting a row by a constant leaves log-softmax unchanged: [1000, 1001] behaves as [0, 1].
  const y = logSoftmax(tensor([1000, 1001, -1000, -1001], 2, 2)).toArray();
  const a = -Math.log1p(Math.exp(1));
  const b = -Math.log1p(Math.exp(-1));
  // Float32 keeps ~6e-5 absolute precision near 1000 (its ulp there), hence the tolerance.
  [a, b, b, a].forEach((v, i) => assert.ok(Math.abs(y[i]! - v) < 1e-4, `${y}`));
});

test('gradient of mse matches finite differences (both arguments)', () => {
  const rng = new Random(12);
  check('mse', {
    inputs: [{ rows: R, cols: 2, values: randomValues(rng, 2 * R) }, { rows: R, cols: 2, values: randomValues(rng, 2 * R) }],
    forward: ([p, t]) => mse(p!, t!),
    reference: ([p, t]) => [p!.reduce((s, v, i) => s + (v - t![i]!) ** 2, 0) / p!.length],
  });
});

test('gradient of huber matches finite differences on both branches', () => {
  const rng = new Random(13);
  const delta = 0.7;
  const p = randomValues(rng, 16, -2, 2);
  // Keep |p - t| away from delta (the branch switch) by construction: t = p - d with |d| in [0.1, 0.6] or [0.8, 2].
  const t = p.map((v, i) => Math.fround(v - (i % 2 ? 1 : -1) * (i % 4 < 2 ? rng.uniform(0.1, 0.6) : rng.uniform(0.8, 2))));
  check('huber', {
    inputs: [{ rows: 4, cols: 4, values: p }, { rows: 4, cols: 4, values: t }],
    forward: ([a, b]) => huber(a!, b!, delta),
    reference: ([a, b]) => {
      let s = 0;
      a!.forEach((v, i) => {
        const d = Math.abs(v - b![i]!);
        s += d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
      });
      return [s / a!.length];
    },
  });
});

test('huber of a hand-worked example', () => {
  // d = [0.5, -3], delta 1: 0.5*0.25 = 0.125 and 1*(3 - 0.5) = 2.5; mean = 1.3125
  assert.equal(huber(tensor([0.5, -3], 1, 2), tensor([0, 0], 1, 2)).item(), 1.3125);
});

test('reduce and loss errors name the op', () => {
  const a = tensor([1, 2, 3, 4], 2, 2);
  assert.throws(() => mse(a, tensor([1, 2], 1, 2)), /^RangeError: mse: shapes \[2, 2\] and \[1, 2\] differ/);
  assert.throws(() => sum(a, 2 as 0), /^RangeError: sum: axis must be 0 or 1, got 2/);
  assert.throws(() => huber(a, a, 0), /^RangeError: huber: delta must be positive/);
});
