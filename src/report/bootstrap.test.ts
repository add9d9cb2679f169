import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { bootstrapCi, interquartileMean, quantileSorted } from './bootstrap.js';

test('percentile bootstrap covers the true mean of a normal about 95% of the time', () => {
  // 400 samples of 30 draws from N(3, 2^2). The percentile interval of the mean is close to
  // mean +- 1.96 * s_plugin / sqrt(n), whose coverage for n = 30 is about 94%; with 400 repeats
  // the estimate's standard error is sqrt(0.94 * 0.06 / 400) = 0.012, so [0.90, 0.98] is a
  // 3-sigma band. An interval that ignored resampling (width 0) or used the sd instead of the
  // standard error (coverage ~100%) falls outside it.
  const rng = new Random(42);
  const mu = 3, sigma = 2, n = 30, repeats = 400;
  let covered = 0;
  let widthSum = 0;
  const sample = new Float64Array(n);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < n; i++) sample[i] = mu + sigma * rng.normal();
    const [lo, hi] = bootstrapCi(sample, { resamples: 2000, seed: r });
    if (lo <= mu && mu <= hi) covered++;
    widthSum += hi - lo;
  }
  const coverage = covered / repeats;
  assert.ok(coverage >= 0.9 && coverage <= 0.98, `coverage ${coverage}`);
  // Mean width ~ 2 * 1.96 * sigma / sqrt(n) = 1.431 (times E[s]/sigma ~ 0.99 and the plug-in factor
  // sqrt(29/30) = 0.983): about 1.39; allow 10%.
  const width = widthSum / repeats;
  assert.ok(Math.abs(width - 1.39) < 0.14, `mean width ${width}`);
});

test('the bootstrap interval matches the normal approximation on a fixed sample', () => {
  // For the values 1..20 the resampled mean has sd = sqrt(plugin var / n) = sqrt(33.25 / 20) = 1.2894
  // (plugin var of 1..20 = (20^2 - 1) / 12 = 33.25), so the 95% interval is about 10.5 -+ 1.96 * 1.2894 = [7.97, 13.03].
  const values = Array.from({ length: 20 }, (_, i) => i + 1);
  const [lo, hi] = bootstrapCi(values, { resamples: 20000, seed: 7 });
  assert.ok(Math.abs(lo - 7.97) < 0.15, `lo ${lo}`);
  assert.ok(Math.abs(hi - 13.03) < 0.15, `hi ${hi}`);
});

test('bootstrap is deterministic in its seed, and degenerate inputs are exact', () => {
  const values = [0.2, 0.5, 0.9, 0.4];
  assert.deepEqual(bootstrapCi(values, { seed: 3 }), bootstrapCi(values, { seed: 3 }));
  assert.notDeepEqual(bootstrapCi(values, { seed: 3, resamples: 50 }), bootstrapCi(values, { seed: 4, resamples: 50 }));
  assert.deepEqual(bootstrapCi([5]), [5, 5]);
  assert.deepEqual(bootstrapCi([2, 2, 2]), [2, 2]);
  assert.ok(bootstrapCi([]).every(Number.isNaN));
  // The interval lies within the range of the data (a mean of resampled values cannot leave it).
  const [lo, hi] = bootstrapCi(values);
  assert.ok(lo >= 0.2 && hi <= 0.9 && lo < hi);
});

test('interquartile mean on hand cases', () => {
  // 1..8: cut floor(8 / 4) = 2 from each end, mean of 3, 4, 5, 6 = 4.5.
  assert.equal(interquartileMean([8, 1, 7, 2, 6, 3, 5, 4]), 4.5);
  // An outlier is cut: [1, 2, 3, 100] -> cut 1 each end -> mean(2, 3) = 2.5 (the mean would be 26.5).
  assert.equal(interquartileMean([100, 1, 2, 3]), 2.5);
  // 5 values: cut 1 each end -> mean(2, 3, 4) = 3.
  assert.equal(interquartileMean([5, 4, 3, 2, 1]), 3);
  // Fewer than 4 values: nothing is cut.
  assert.equal(interquartileMean([1, 2, 6]), 3);
  assert.ok(Number.isNaN(interquartileMean([])));
});

test('quantiles interpolate linearly like numpy', () => {
  // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75; 0.5 -> 2.5; 1 -> 4.
  assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  assert.equal(quantileSorted([7], 0.3), 7);
});
