/**
 * CLUB, the contrastive log-ratio upper bound on I(z; a) (Cheng et al. 2020;
 * SPEC 3.2): a Gaussian q(a | z) learned by maximum likelihood, then
 * I-_i = log q(a_i | z_i) - mean_j log q(a_j | z_i).
 *
 * The released code forms mean_j (a_j - mu_i)^2 as a batch x batch x |a|
 * tensor. Expanding the square makes it linear in the batch:
 * mean_j (a_jd - mu_id)^2 = (mu_id - m_d)^2 + s_d, with m_d = mean_j a_jd and
 * s_d = mean_j (a_jd - m_d)^2 (the expansion m2 - 2 mu m + mu^2 regrouped
 * around the mean, which avoids cancellation in float32).
 */
import type { Random } from '../core/random.js';
import { noGrad, scope } from '../nn/scope.js';
import { MLP, childParameters } from '../nn/layers.js';
import type { Module } from '../nn/layers.js';
import { add, exp, mul, mulScalar, neg, square, sub } from '../nn/ops-elementwise.js';
import { mean, sum } from '../nn/ops-reduce.js';
import type { Tensor } from '../nn/tensor.js';

/** Options of `ClubEstimator`; defaults are the released code's. */
export interface ClubOptions {
  /** Width of z (the encoder's latent, or the raw state without the encoder). */
  readonly zDim: number;
  /** Width of a (the joint action). */
  readonly aDim: number;
  /** Hidden width of the mean and log-variance nets (32). */
  readonly hiddenDim?: number;
}

/** q(a | z) = N(mu(z), diag(exp(logvar(z)))), with mean and log-variance nets z -> hidden (ReLU) -> |a|. */
export class ClubEstimator implements Module {
  readonly zDim: number;
  readonly aDim: number;
  readonly hiddenDim: number;
  /** z -> hidden (ReLU) -> |a|. */
  readonly muNet: MLP;
  /** z -> hidden (ReLU) -> |a| -> tanh, so the variance stays in [e^-1, e]. */
  readonly logvarNet: MLP;

  /** Initialised in order (mean net, then log-variance net) from `rng`, PyTorch defaults. */
  constructor(opts: ClubOptions, rng: Random) {
    this.zDim = opts.zDim;
    this.aDim = opts.aDim;
    this.hiddenDim = opts.hiddenDim ?? 32;
    this.muNet = new MLP({ sizes: [this.zDim, this.hiddenDim, this.aDim], activation: 'relu' }, rng);
    this.logvarNet = new MLP({ sizes: [this.zDim, this.hiddenDim, this.aDim], activation: 'relu', outputActivation: 'tanh' }, rng);
  }

  /** The parameters of q(a | z) for a batch of z: mean and log-variance, rows x |a| each. */
  gaussian(z: Tensor): { mu: Tensor; logvar: Tensor } {
    if (z.cols !== this.zDim) throw new RangeError(`ClubEstimator: z has ${z.cols} columns, the estimator expects ${this.zDim}`);
    return { mu: this.muNet.forward(z), logvar: this.logvarNet.forward(z) };
  }

  /**
   * Negative mean log-likelihood of a under q(a | z), 1 x 1: the mean over rows
   * of sum_d [(a - mu)^2 / (2 var) + logvar / 2], the constant (|a| / 2) log 2pi
   * dropped. (The released code minimises twice this, without the halves.)
   */
  logLikelihoodLoss(z: Tensor, a: Tensor): Tensor {
    this.check('logLikelihoodLoss', z, a);
    const { mu, logvar } = this.gaussian(z);
    const halfPrec = mulScalar(exp(neg(logvar)), 0.5);
    const terms = add(mul(square(sub(mu, a)), halfPrec), mulScalar(logvar, 0.5));
    return mulScalar(sum(terms), 1 / z.rows);
  }

  /**
   * Per-sample upper bound, rows x 1:
   * I-_i = sum_d [ -(mu_id - a_id)^2 + mean_j (a_jd - mu_id)^2 ] / (2 var_id),
   * the mean over j taken over the whole batch (j = i included), in O(B |a|).
   * Gradients reach the nets and z; a is treated as data.
   */
  upperBoundTerms(z: Tensor, a: Tensor): Tensor {
    this.check('upperBound', z, a);
    const { mu, logvar } = this.gaussian(z);
    const halfPrec = mulScalar(exp(neg(logvar)), 0.5);
    const aData = a.detach();
    const m = mean(aData, 0);
    const s = mean(square(sub(aData, m)), 0);
    const negative = add(square(sub(mu, m)), s);
    const positive = square(sub(mu, aData));
    return sum(mul(sub(negative, positive), halfPrec), 1);
  }

  /** Mean over the batch of the per-sample upper bound (1 x 1), differentiable (e.g. to minimise through the encoder). */
  upperBound(z: Tensor, a: Tensor): Tensor {
    return mean(this.upperBoundTerms(z, a));
  }

  /** I-_i per row without gradient (what the critic target subtracts). Written into `out` when given, else a new array. */
  upperBoundPerSample(z: Tensor, a: Tensor, out?: Float32Array): Float32Array {
    const b = z.rows;
    const dst = out ?? new Float32Array(b);
    if (dst.length < b) throw new RangeError(`ClubEstimator.upperBoundPerSample: output has ${dst.length} slots for ${b} rows`);
    scope(() => noGrad(() => {
      dst.set(this.upperBoundTerms(z, a).data.subarray(0, b));
    }));
    return dst;
  }

  parameters(): Tensor[] {
    return [...this.muNet.parameters(), ...this.logvarNet.parameters()];
  }

  /** `mu.0.weight`, `mu.2.weight`, `logvar.0.weight`, `logvar.2.weight`, and biases (nn.Sequential layout). */
  namedParameters(): [string, Tensor][] {
    return childParameters({ mu: this.muNet, logvar: this.logvarNet });
  }

  private check(op: string, z: Tensor, a: Tensor): void {
    if (a.cols !== this.aDim) throw new RangeError(`ClubEstimator.${op}: a has ${a.cols} columns, the estimator expects ${this.aDim}`);
    if (z.rows !== a.rows) throw new RangeError(`ClubEstimator.${op}: z has ${z.rows} rows, a has ${a.rows}`);
    if (z.rows === 0) throw new RangeError(`ClubEstimator.${op}: empty batch`);
  }
}
