/**
 * MINE in its Jensen-Shannon form on (z, a) (SPEC 3.2): a separable critic
 * u(a, z) = <embA(a), embZ(z)> scored over every pair of a batch at once,
 * positives (the batch's own pairs) on the diagonal, negatives (a with
 * another row's z, i.e. samples of the product of marginals) off it.
 *
 * What the bound bounds: at the optimal critic, mean(I+) equals
 * 2 * JSD(p(z, a) || p(z) p(a)) (JSD with the mixture, in nats, at most
 * 2 log 2), a lower bound on that quantity and not on the KL mutual
 * information; MITRA-VIB uses it as a bounded, low-variance signal that grows
 * with the dependence of actions on z.
 */
import type { Random } from '../core/random.js';
import { noGrad, scope } from '../nn/scope.js';
import { Linear, childParameters } from '../nn/layers.js';
import type { Module } from '../nn/layers.js';
import { add, addScalar, leakyRelu, mulScalar, neg, softplus, sub } from '../nn/ops-elementwise.js';
import { scoreMatrix } from '../nn/ops-linalg.js';
import { mean } from '../nn/ops-reduce.js';
import { diag } from '../nn/ops-shape.js';
import type { Tensor } from '../nn/tensor.js';
import { softplusRowSums } from './softplus-rows.js';

/** Options of `MineEstimator`; defaults are the released code's. */
export interface MineOptions {
  /** Width of z (the encoder's latent, or the raw state without the encoder). */
  readonly zDim: number;
  /** Width of a (the joint action). */
  readonly aDim: number;
  /** Width of each embedding (32). */
  readonly embedDim?: number;
  /** Negative slope of the leaky ReLU after each embedding (0.01, PyTorch's default). */
  readonly leakySlope?: number;
}

const LOG2 = Math.LN2;

/** The Jensen-Shannon MINE estimator with one linear embedding per side. */
export class MineEstimator implements Module {
  readonly zDim: number;
  readonly aDim: number;
  readonly embedDim: number;
  readonly leakySlope: number;
  readonly embedZ: Linear;
  readonly embedA: Linear;

  /** Initialised in order (z embedding, then a embedding) from `rng`, PyTorch defaults. */
  constructor(opts: MineOptions, rng: Random) {
    this.zDim = opts.zDim;
    this.aDim = opts.aDim;
    this.embedDim = opts.embedDim ?? 32;
    this.leakySlope = opts.leakySlope ?? 0.01;
    this.embedZ = new Linear(this.zDim, this.embedDim, rng);
    this.embedA = new Linear(this.aDim, this.embedDim, rng);
  }

  /**
   * Per-sample loss (rows x 1): loss_i = mean_{j != i} Eneg_ij - Epos_i with
   * Epos_i = log 2 - softplus(-u_ii) and Eneg_ij = softplus(-u_ij) + u_ij - log 2.
   */
  lossPerSample(z: Tensor, a: Tensor): Tensor {
    this.check('lossPerSample', z, a);
    const b = z.rows;
    const u = scoreMatrix(leakyRelu(this.embedA.forward(a), this.leakySlope), leakyRelu(this.embedZ.forward(z), this.leakySlope));
    // softplus(-u) + u = softplus(u) exactly, so Eneg_ij = softplus(u_ij) - log 2: one B x B op fewer.
    const du = diag(u);
    // The off-diagonal mean without a mask: (row sum over all j - the diagonal term) / (B - 1).
    const negMean = mulScalar(sub(softplusRowSums(u), softplus(du)), 1 / (b - 1));
    // loss_i = (negMean_i - log 2) - (log 2 - softplus(-u_ii))
    return addScalar(add(negMean, softplus(neg(du))), -2 * LOG2);
  }

  /** Mean over the batch of the per-sample loss (1 x 1); minimising it tightens the bound. Gradients reach the parameters and z (and a). */
  loss(z: Tensor, a: Tensor): Tensor {
    return mean(this.lossPerSample(z, a));
  }

  /**
   * I+_i = -loss_i per row, without gradient (what the critic target adds per
   * transition). Written into `out` when given (length >= rows), else a new array.
   */
  lowerBoundPerSample(z: Tensor, a: Tensor, out?: Float32Array): Float32Array {
    const b = z.rows;
    const dst = out ?? new Float32Array(b);
    if (dst.length < b) throw new RangeError(`MineEstimator.lowerBoundPerSample: output has ${dst.length} slots for ${b} rows`);
    scope(() => noGrad(() => {
      const l = this.lossPerSample(z, a).data;
      for (let i = 0; i < b; i++) dst[i] = -l[i]!;
    }));
    return dst;
  }

  parameters(): Tensor[] {
    return [...this.embedZ.parameters(), ...this.embedA.parameters()];
  }

  /** `embedZ.weight`, `embedZ.bias`, `embedA.weight`, `embedA.bias`. */
  namedParameters(): [string, Tensor][] {
    return childParameters({ embedZ: this.embedZ, embedA: this.embedA });
  }

  private check(op: string, z: Tensor, a: Tensor): void {
    if (z.cols !== this.zDim || a.cols !== this.aDim) {
      throw new RangeError(`MineEstimator.${op}: z ${z.shapeString} and a ${a.shapeString} do not match the estimator's widths ${this.zDim} and ${this.aDim}`);
    }
    if (z.rows !== a.rows) throw new RangeError(`MineEstimator.${op}: z has ${z.rows} rows, a has ${a.rows}`);
    if (z.rows < 2) throw new RangeError(`MineEstimator.${op}: need at least 2 rows to form negative pairs, got ${z.rows}`);
  }
}
