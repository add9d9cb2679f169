import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ci95, mean, studentTQuantile, summarize } from './stats.js';

const close = (a: number, b: number, tol: number): void => assert.ok(Math.abs(a - b) < tol, `expected ${b}, got ${a}`);

test('t quantiles match the printed table', () => {
  // Two-sided 95% critical values from standard t tables.
  close(studentTQuantile(0.975, 1), 12.7062, 1e-4);
  close(studentTQuantile(0.975, 3), 3.1824, 1e-4);
  close(studentTQuantile(0.975, 10), 2.2281, 1e-4);
  close(studentTQuantile(0.975, 30), 2.0423, 1e-4);
  close(studentTQuantile(0.975, 1e7), 1.95996, 1e-4); // the normal limit
  close(studentTQuantile(0.025, 10), -2.2281, 1e-4);
});

test('ci95 of [1, 2, 3, 4] by hand', () => {
  // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, s = sqrt(5 / 3) = 1.2909944;
  // half width = t(0.975, 3) * s / sqrt(4) = 3.1824463 * 1.2909944 / 2 = 2.0542603.
  const [lo, hi] = ci95([1, 2, 3, 4]);
  close(lo, 2.5 - 2.0542603, 1e-6);
  close(hi, 2.5 + 2.0542603, 1e-6);
  assert.equal(mean([1, 2, 3, 4]), 2.5);
});

test('one value: both ends are the value; summarize totals', () => {
  assert.deepEqual(ci95([7]), [7, 7]);
  assert.deepEqual(summarize([7]), { mean: 7, ci95: [7, 7], total: 7 });
  const s = summarize([0, 2]);
  // mean 1, s = sqrt(2), half = 12.7062047 * sqrt(2) / sqrt(2) = 12.7062047.
  close(s.ci95[1], 1 + 12.7062047, 1e-6);
  assert.equal(s.total, 2);
  assert.ok(Number.isNaN(mean([])));
});
