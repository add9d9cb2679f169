/**
 * The exponential moving average of the paper's training curves (weight 0.994,
 * as TensorBoard's smoothing slider), debiased so the curve starts at the
 * first values rather than at zero.
 */

/**
 * Smooth `y` (sampled at episodes `x`) with per-episode weight `weight` in
 * [0, 1). A gap of d episodes between kept samples (a downsampled series)
 * counts as d steps: the sample is weighted as d equal values would be.
 * Missing values (null, NaN) stay missing and do not move the average.
 */
export function emaSmooth(x: readonly number[], y: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999999);
  const out: (number | null)[] = new Array(y.length);
  let acc = 0; // weighted sum of the values seen
  let norm = 0; // sum of the weights (the debiasing term)
  let prevX: number | null = null;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    const steps = prevX === null ? 1 : Math.max(1, x[i]! - prevX);
    const keep = w ** steps;
    acc = keep * acc + (1 - keep) * v;
    norm = keep * norm + (1 - keep);
    prevX = x[i]!;
    out[i] = norm > 0 ? acc / norm : v;
  }
  return out;
}
