import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emaSmooth } from './ema.js';

test('weight 0 returns the raw values', () => {
  assert.deepEqual(emaSmooth([0, 1, 2], [3, -1, 7], 0), [3, -1, 7]);
});

test('a constant series stays constant from the first point (debiased)', () => {
  const out = emaSmooth([0, 1, 2, 3], [5, 5, 5, 5], 0.994);
  for (const v of out) assert.ok(Math.abs(v! - 5) < 1e-12);
});

test('matches the explicit weighted mean sum_j w^(t-j) y_j / sum_j w^(t-j)', () => {
  const w = 0.9;
  const y = [1, 4, 2, 8, 5];
  const x = y.map((_, i) => i);
  const out = emaSmooth(x, y, w);
  for (let t = 0; t < y.length; t++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j <= t; j++) {
      num += w ** (t - j) * y[j]!;
      den += w ** (t - j);
    }
    assert.ok(Math.abs(out[t]! - num / den) < 1e-12, `t=${t}`);
  }
});

test('a gap of d episodes weighs the sample like d repeated values', () => {
  const w = 0.8;
  // Samples at episodes 0 and 3 (stride 3) versus the full series 1,2,2,2.
  const sparse = emaSmooth([0, 3], [1, 2], w);
  const full = emaSmooth([0, 1, 2, 3], [1, 2, 2, 2], w);
  assert.ok(Math.abs(sparse[1]! - full[3]!) < 1e-12);
});

test('missing values stay missing and do not move the average', () => {
  const out = emaSmooth([0, 1, 2], [2, null, 2], 0.5);
  assert.equal(out[1], null);
  assert.equal(out[2], 2);
});
