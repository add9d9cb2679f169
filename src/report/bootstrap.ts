/**
 * Statistics over independent runs (seeds): the percentile bootstrap
 * confidence interval of the mean and the interquartile mean (IQM), as
 * rliable and marl-eval recommend for few-run comparisons.
 */
import { Random } from '../core/random.js';

/** Options of `bootstrapCi`. */
export interface BootstrapOptions {
  /** Resamples drawn (default 10,000). */
  readonly resamples?: number;
  /** Coverage of the interval (default 0.95). */
  readonly confidence?: number;
  /** Seed of the resampling stream (default 0): same values and seed, same interval. */
  readonly seed?: number;
}

/**
 * Percentile bootstrap interval of the mean: resample the values with
 * replacement, take each resample's mean, and return the (1-c)/2 and (1+c)/2
 * quantiles of those means. One value gives [value, value]; none gives NaNs.
 */
export function bootstrapCi(values: ArrayLike<number>, opts: BootstrapOptions = {}): [number, number] {
  const n = values.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  if (n === 1) return [values[0]!, values[0]!];
  const resamples = opts.resamples ?? 10000;
  const confidence = opts.confidence ?? 0.95;
  const rng = new Random(opts.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)]!;
    means[b] = s / n;
  }
  means.sort();
  return [quantileSorted(means, (1 - confidence) / 2), quantileSorted(means, (1 + confidence) / 2)];
}

/**
 * Interquartile mean: the mean of the values left after cutting
 * floor(n / 4) from each end of the sorted values (scipy's
 * `trim_mean(x, 0.25)`, which rliable's IQM uses). Below 4 values nothing is
 * cut, so it equals the mean.
 */
export function interquartileMean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const cut = Math.floor(n / 4);
  let s = 0;
  for (let i = cut; i < n - cut; i++) s += sorted[i]!;
  return s / (n - 2 * cut);
}

/** Quantile p of ascending values by linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
