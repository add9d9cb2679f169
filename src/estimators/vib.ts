/**
 * The variational information bottleneck encoder q(z | s) of MITRA-VIB
 * (SPEC 3.2): a Gaussian with diagonal covariance whose mean and
 * log-variance come from a shared SiLU trunk; samples are drawn by the
 * reparameterisation trick so the estimators' losses reach the encoder.
 */
import type { Random } from '../core/random.js';
import { Linear, MLP, childParameters } from '../nn/layers.js';
import type { Module } from '../nn/layers.js';
import { add, addScalar, exp, mul, mulScalar, square, sub, tanh } from '../nn/ops-elementwise.js';
import { sum } from '../nn/ops-reduce.js';
import { Tensor, zeros } from '../nn/tensor.js';

/** Options of `VibEncoder`; defaults are the released code's. */
export interface VibEncoderOptions {
  /** Width of the input s (the global state, ~266 on paper-1cs-3es-7ud). */
  readonly inputDim: number;
  /** Width of both hidden layers (128). */
  readonly hiddenDim?: number;
  /** Width of z (64). */
  readonly latentDim?: number;
  /** Log-variance bound: logvar = scale * tanh(raw), so var stays in [e^-scale, e^scale] (4). */
  readonly logvarScale?: number;
}

/** One pass of the encoder: the sample z and the parameters of q(z | s). */
export interface VibOutput {
  /** mean + eps * exp(logvar / 2), or the mean itself when not sampling (rows x latentDim). */
  readonly z: Tensor;
  readonly mean: Tensor;
  readonly logvar: Tensor;
}

/** q(z | s): s -> hidden -> hidden (SiLU after each) -> mean and log-variance heads. */
export class VibEncoder implements Module {
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly logvarScale: number;
  readonly trunk: MLP;
  readonly meanHead: Linear;
  readonly logvarHead: Linear;

  /** Layers are initialised in order (trunk, mean head, log-variance head) from `rng`, PyTorch defaults. */
  constructor(opts: VibEncoderOptions, rng: Random) {
    this.inputDim = opts.inputDim;
    this.hiddenDim = opts.hiddenDim ?? 128;
    this.latentDim = opts.latentDim ?? 64;
    this.logvarScale = opts.logvarScale ?? 4;
    this.trunk = new MLP({ sizes: [this.inputDim, this.hiddenDim, this.hiddenDim], activation: 'silu', outputActivation: 'silu' }, rng);
    this.meanHead = new Linear(this.hiddenDim, this.latentDim, rng);
    this.logvarHead = new Linear(this.hiddenDim, this.latentDim, rng);
  }

  /**
   * Encode a batch of states (rows x inputDim). With `sample` (the default) z
   * is drawn with standard-normal noise from `rng`, one value per row and
   * latent dimension in row-major order; without it z is the mean and `rng`
   * is not touched.
   */
  encode(s: Tensor, rng: Random, sample = true): VibOutput {
    if (s.cols !== this.inputDim) throw new RangeError(`VibEncoder.encode: input has ${s.cols} columns, the encoder expects ${this.inputDim}`);
    const h = this.trunk.forward(s);
    const mean = this.meanHead.forward(h);
    const logvar = mulScalar(tanh(this.logvarHead.forward(h)), this.logvarScale);
    if (!sample) return { z: mean, mean, logvar };
    // A fresh noise tensor per call (scope scratch): the product's backward reads it,
    // so a buffer shared between two encodes before one backward would corrupt gradients.
    const eps = zeros(s.rows, this.latentDim);
    const e = eps.data;
    for (let i = 0, n = eps.size; i < n; i++) e[i] = rng.normal();
    const z = add(mean, mul(eps, exp(mulScalar(logvar, 0.5))));
    return { z, mean, logvar };
  }

  /**
   * The mean of q(z | s) alone (rows x latentDim), as `encode(s, rng, false).z`
   * but without the log-variance head: what a deterministic code needs.
   */
  encodeMean(s: Tensor): Tensor {
    if (s.cols !== this.inputDim) throw new RangeError(`VibEncoder.encodeMean: input has ${s.cols} columns, the encoder expects ${this.inputDim}`);
    return this.meanHead.forward(this.trunk.forward(s));
  }

  /** The batch-mean KL term of this encoder's outputs; see `klLoss`. */
  klLoss(mean: Tensor, logvar: Tensor): Tensor {
    return klLoss(mean, logvar);
  }

  parameters(): Tensor[] {
    return [...this.trunk.parameters(), ...this.meanHead.parameters(), ...this.logvarHead.parameters()];
  }

  /** `trunk.0.weight`, `trunk.2.weight` (as nn.Sequential(Linear, SiLU, Linear, SiLU)), `mean.weight`, `logvar.weight`, and biases. */
  namedParameters(): [string, Tensor][] {
    return childParameters({ trunk: this.trunk, mean: this.meanHead, logvar: this.logvarHead });
  }
}

/**
 * KL(q(z | s) || N(0, I)) averaged over the batch: the mean over rows of
 * 0.5 * sum over latent dims of (exp(logvar) + mean^2 - 1 - logvar); 1 x 1.
 */
export function klLoss(mean: Tensor, logvar: Tensor): Tensor {
  if (mean.rows !== logvar.rows || mean.cols !== logvar.cols) {
    throw new RangeError(`klLoss: mean ${mean.shapeString} and logvar ${logvar.shapeString} differ in shape`);
  }
  if (mean.rows === 0) throw new RangeError('klLoss: empty batch');
  const terms = sub(add(exp(logvar), square(mean)), logvar);
  // The "- 1" summed over rows x cols and divided by rows is - cols, folded into one scalar add.
  return addScalar(mulScalar(sum(terms), 0.5 / mean.rows), -0.5 * mean.cols);
}
