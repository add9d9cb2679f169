import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from './grad-check.js';
import type { GradCheckCase } from './grad-check.js';
import * as ops from './ops-elementwise.js';
import { tensor } from './tensor.js';

const TOL = 1e-4;

function check(name: string, c: GradCheckCase, seed = 1): void {
  const r = gradCheck(c, new Random(seed));
  assert.ok(r.forwardError < 1e-6, `${name}: forward error ${r.forwardError}`);
  assert.ok(r.gradError < TOL, `${name}: gradient error ${r.gradError} (per input ${r.perInput.join(', ')})`);
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const unaries: [string, (x: ReturnType<typeof tensor>) => ReturnType<typeof tensor>, (x: number) => number, number, number, number[]][] = [
  // name, op, float64 reference, input range, kinks to stay away from
  ['relu', ops.relu, (x) => Math.max(x, 0), -2, 2, [0]],
  ['leakyRelu', (x) => ops.leakyRelu(x, 0.2), (x) => (x > 0 ? x : 0.2 * x), -2, 2, [0]],
  ['tanh', ops.tanh, Math.tanh, -3, 3, []],
  ['sigmoid', ops.sigmoid, sig, -6, 6, []],
  ['silu', ops.silu, (x) => x * sig(x), -6, 6, []],
  ['softplus', ops.softplus, (x) => Math.log(1 + Math.exp(x)), -8, 8, []],
  ['exp', ops.exp, Math.exp, -3, 3, []],
  ['log', ops.log, Math.log, 0.2, 4, []],
  ['square', ops.square, (x) => x * x, -3, 3, []],
  ['sqrt', ops.sqrt, Math.sqrt, 0.2, 4, []],
  ['abs', ops.abs, Math.abs, -3, 3, [0]],
  ['neg', ops.neg, (x) => -x, -3, 3, []],
  ['addScalar', (x) => ops.addScalar(x, 1.5), (x) => x + 1.5, -3, 3, []],
  ['mulScalar', (x) => ops.mulScalar(x, -0.7), (x) => x * -0.7, -3, 3, []],
  ['clamp', (x) => ops.clamp(x, -0.5, 0.8), (x) => Math.min(Math.max(x, -0.5), 0.8), -2, 2, [-0.5, 0.8]],
];

for (const [name, op, ref, lo, hi, avoid] of unaries) {
  test(`gradient of ${name} matches float64 finite differences`, () => {
    const rng = new Random(7);
    check(name, {
      inputs: [{ rows: 5, cols: 7, values: randomValues(rng, 35, lo, hi, avoid) }],
      forward: ([x]) => op(x!),
      reference: ([x]) => x!.map(ref),
    });
  });
}

type Shape = [number, number];
const binaries: [string, typeof ops.add, (a: number, b: number) => number][] = [
  ['add', ops.add, (a, b) => a + b],
  ['sub', ops.sub, (a, b) => a - b],
  ['mul', ops.mul, (a, b) => a * b],
  ['div', ops.div, (a, b) => a / b],
];
// Same shape, then a row vector, a column vector and a scalar on either side.
const shapePairs: [Shape, Shape][] = [
  [[4, 6], [4, 6]], [[4, 6], [1, 6]], [[1, 6], [4, 6]], [[4, 6], [4, 1]], [[4, 1], [4, 6]], [[4, 6], [1, 1]], [[1, 1], [4, 6]],
];

/** Float64 broadcasting reference. */
function broadcast(f: (a: number, b: number) => number, a: Float64Array, sa: Shape, b: Float64Array, sb: Shape): Float64Array {
  const rows = Math.max(sa[0], sb[0]);
  const cols = Math.max(sa[1], sb[1]);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const av = a[(sa[0] === 1 ? 0 : r) * sa[1] + (sa[1] === 1 ? 0 : c)]!;
      const bv = b[(sb[0] === 1 ? 0 : r) * sb[1] + (sb[1] === 1 ? 0 : c)]!;
      out[r * cols + c] = f(av, bv);
    }
  }
  return out;
}

for (const [name, op, f] of binaries) {
  for (const [sa, sb] of shapePairs) {
    test(`gradient of ${name} ${sa.join('x')} with ${sb.join('x')} matches finite differences`, () => {
      const rng = new Random(11);
      // Divisors stay away from 0 so the quotient is well conditioned.
      const bv = name === 'div' ? randomValues(rng, sb[0] * sb[1], 0.5, 2).map((v, i) => (i % 2 ? v : -v)) : randomValues(rng, sb[0] * sb[1]);
      check(`${name} ${sa} ${sb}`, {
        inputs: [{ rows: sa[0], cols: sa[1], values: randomValues(rng, sa[0] * sa[1]) }, { rows: sb[0], cols: sb[1], values: bv }],
        forward: ([a, b]) => op(a!, b!),
        reference: ([a, b]) => broadcast(f, a!, sa, b!, sb),
      });
    });
  }
}

for (const [name, op, f] of [['minimum', ops.minimum, Math.min], ['maximum', ops.maximum, Math.max]] as const) {
  test(`gradient of ${name} matches finite differences`, () => {
    const rng = new Random(3);
    const a = randomValues(rng, 24);
    // b differs from a by at least 0.05 everywhere, so no tie sits within h.
    const b = a.map((v, i) => Math.fround(v + (i % 2 ? 1 : -1) * (0.05 + rng.next())));
    check(name, {
      inputs: [{ rows: 4, cols: 6, values: a }, { rows: 4, cols: 6, values: b }],
      forward: ([x, y]) => op(x!, y!),
      reference: ([x, y]) => x!.map((v, i) => f(v, y![i]!)),
    });
  });
}

test('x used twice accumulates both paths: d(x*x)/dx = 2x', () => {
  const x = tensor([1.5, -2], 1, 2, { requiresGrad: true });
  const y = ops.mul(x, x);
  y.backward(new Float32Array([1, 1]));
  assert.deepEqual(Array.from(x.grad!), [3, -4]);
});

test('softplus and sigmoid stay finite at extreme inputs', () => {
  const x = tensor([-1000, -50, 0, 50, 1000], 1, 5);
  assert.deepEqual(ops.softplus(x).toArray(), [0, Math.fround(Math.log1p(Math.exp(-50))), Math.fround(Math.LN2), 50, 1000]);
  assert.deepEqual(ops.sigmoid(x).toArray(), [0, Math.fround(1 / (1 + Math.exp(50))), 0.5, 1, 1]);
});

test('shape errors name the op', () => {
  const a = tensor([1, 2, 3, 4, 5, 6], 2, 3);
  const b = tensor([1, 2, 3, 4], 2, 2);
  assert.throws(() => ops.add(a, b), /^RangeError: add: shapes \[2, 3\] and \[2, 2\] do not broadcast/);
  assert.throws(() => ops.minimum(a, b), /^RangeError: minimum: shapes \[2, 3\] and \[2, 2\] differ/);
  assert.throws(() => ops.clamp(a, 1, 0), /^RangeError: clamp: lower bound 1 is above upper bound 0/);
});
