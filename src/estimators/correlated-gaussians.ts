/**
 * Correlated Gaussian pairs with known dependence, the estimators' test bed:
 * x ~ N(0, I_d) and y = rho x + sqrt(1 - rho^2) n with n ~ N(0, I_d), so each
 * dimension pair has correlation rho and the dimensions are independent.
 */
import type { Random } from '../core/random.js';
import { Tensor } from '../nn/tensor.js';

/** I(x; y) = -d/2 log(1 - rho^2) nats. */
export function gaussianMutualInformation(d: number, rho: number): number {
  return (-d / 2) * Math.log(1 - rho * rho);
}

/** A batch of pairs as two heap tensors, rows x d each, drawn from `rng` (x then y, row by row). */
export function sampleCorrelatedPairs(rng: Random, rows: number, d: number, rho: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(rows * d);
  const y = new Float32Array(rows * d);
  const s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < rows * d; i++) {
    const xi = rng.normal();
    x[i] = xi;
    y[i] = rho * xi + s * rng.normal();
  }
  return { x: new Tensor(x, rows, d), y: new Tensor(y, rows, d) };
}

/** log p(x, y) / (p(x) p(y)) for one pair of d-vectors (float64). */
export function gaussianLogRatio(x: ArrayLike<number>, y: ArrayLike<number>, rho: number): number {
  const r2 = 1 - rho * rho;
  let r = 0;
  for (let k = 0; k < x.length; k++) {
    const a = x[k]!;
    const b = y[k]!;
    r += -0.5 * Math.log(r2) - (a * a - 2 * rho * a * b + b * b) / (2 * r2) + (a * a + b * b) / 2;
  }
  return r;
}

function softplus64(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/**
 * 2 JSD(p(x, y) || p(x) p(y)) in nats by Monte Carlo in float64: the supremum
 * over critics T of E_p[log 2 - softplus(-T)] - E_{p(x)p(y)}[softplus(T) - log 2],
 * reached at T = log p / (p(x) p(y)). That is the value MINE's Jensen-Shannon
 * bound approaches; it is at most 2 log 2.
 */
export function gaussianTwiceJsd(rng: Random, d: number, rho: number, samples: number): number {
  const x = new Float64Array(d);
  const y = new Float64Array(d);
  const s = Math.sqrt(1 - rho * rho);
  let joint = 0;
  let product = 0;
  for (let n = 0; n < samples; n++) {
    for (let k = 0; k < d; k++) { x[k] = rng.normal(); y[k] = rho * x[k]! + s * rng.normal(); }
    joint += Math.LN2 - softplus64(-gaussianLogRatio(x, y, rho));
    for (let k = 0; k < d; k++) { x[k] = rng.normal(); y[k] = rng.normal(); }
    product += Math.LN2 - softplus64(gaussianLogRatio(x, y, rho));
  }
  return (joint + product) / samples;
}
