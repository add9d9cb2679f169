/**
 * Layers: `Linear` (PyTorch layout and initialisation), the `MLP` builder with
 * a tape-free inference path, and helpers over parameter lists.
 */
import type { Random } from '../core/random.js';
import { Unary } from './kernels/kernels.js';
import { getKernels } from './kernels/select.js';
import { leakyRelu, relu, sigmoid, silu, tanh } from './ops-elementwise.js';
import { linear } from './ops-linalg.js';
import { Tensor } from './tensor.js';

/** Anything with parameters. */
export interface Module {
  /** Trainable tensors, in a fixed order. */
  parameters(): Tensor[];
  /** Parameters with PyTorch state_dict-style names (`0.weight`, `0.bias`, ...). */
  namedParameters(): [string, Tensor][];
}

/** y = x Wᵀ + b with W [out, in] and b [1, out], as torch.nn.Linear. */
export class Linear implements Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  /** PyTorch default init: weight and bias uniform in ±1/sqrt(inFeatures), weight drawn first, row-major. */
  constructor(inFeatures: number, outFeatures: number, rng: Random, opts: { bias?: boolean } = {}) {
    if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 1 || outFeatures < 1) {
      throw new RangeError(`Linear: sizes must be positive integers, got ${inFeatures} -> ${outFeatures}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = Tensor.param(outFeatures, inFeatures, 'weight');
    for (let i = 0; i < this.weight.size; i++) this.weight.data[i] = rng.uniform(-bound, bound);
    if (opts.bias ?? true) {
      this.bias = Tensor.param(1, outFeatures, 'bias');
      for (let i = 0; i < outFeatures; i++) this.bias.data[i] = rng.uniform(-bound, bound);
    } else {
      this.bias = null;
    }
  }

  /** x (rows x in) -> rows x out, recorded on the tape. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }

  namedParameters(): [string, Tensor][] {
    return this.bias === null ? [['weight', this.weight]] : [['weight', this.weight], ['bias', this.bias]];
  }
}

/** Activation names an MLP accepts. */
export type Activation = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'silu' | 'none';

/** Options of `MLP`. */
export interface MlpOptions {
  /** Layer widths from input to output, e.g. [196, 64, 64, 1]. */
  readonly sizes: readonly number[];
  /** Between hidden layers (default relu). */
  readonly activation?: Activation;
  /** After the last layer (default none). */
  readonly outputActivation?: Activation;
}

const UNARY: Record<Exclude<Activation, 'none'>, Unary> = {
  relu: Unary.Relu, leakyRelu: Unary.LeakyRelu, tanh: Unary.Tanh, sigmoid: Unary.Sigmoid, silu: Unary.Silu,
};

/** Apply an activation by name on the tape (leaky slope 0.01, PyTorch's default). */
export function activate(x: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu': return relu(x);
    case 'leakyRelu': return leakyRelu(x, 0.01);
    case 'tanh': return tanh(x);
    case 'sigmoid': return sigmoid(x);
    case 'silu': return silu(x);
    case 'none': return x;
  }
}

/** A multilayer perceptron: Linear layers with an activation between them. */
export class MLP implements Module {
  readonly layers: readonly Linear[];
  readonly activation: Activation;
  readonly outputActivation: Activation;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Per hidden layer, persistent activations for `forwardInto` (grown on demand). */
  private hidden: Float32Array[] = [];
  private hiddenRows = 0;

  /** Layers are initialised in order from `rng` (PyTorch defaults). */
  constructor(opts: MlpOptions, rng: Random) {
    const { sizes } = opts;
    if (sizes.length < 2) throw new RangeError(`MLP: need at least input and output sizes, got [${sizes.join(', ')}]`);
    const layers: Linear[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) layers.push(new Linear(sizes[i]!, sizes[i + 1]!, rng));
    this.layers = layers;
    this.activation = opts.activation ?? 'relu';
    this.outputActivation = opts.outputActivation ?? 'none';
    this.inFeatures = sizes[0]!;
    this.outFeatures = sizes[sizes.length - 1]!;
  }

  /** x (rows x in) -> rows x out, recorded on the tape when gradients are on. */
  forward(x: Tensor): Tensor {
    let h = x;
    const last = this.layers.length - 1;
    for (let i = 0; i <= last; i++) h = activate(this.layers[i]!.forward(h), i < last ? this.activation : this.outputActivation);
    return h;
  }

  /**
   * Inference without tape or allocation (after the first call at a batch
   * size): `rows` inputs of `inFeatures` floats from `input`, results written
   * to `out` (rows * outFeatures floats). The acting path.
   */
  forwardInto(input: Float32Array, out: Float32Array, rows = 1): void {
    if (input.length < rows * this.inFeatures || out.length < rows * this.outFeatures) {
      throw new RangeError(`MLP.forwardInto: need ${rows * this.inFeatures} inputs and ${rows * this.outFeatures} outputs, got ${input.length} and ${out.length}`);
    }
    if (rows > this.hiddenRows) this.growHidden(rows);
    const k = getKernels();
    const last = this.layers.length - 1;
    let x = input;
    for (let i = 0; i <= last; i++) {
      const layer = this.layers[i]!;
      const y = i < last ? this.hidden[i]! : out;
      const nOut = layer.outFeatures;
      k.gemm(x, layer.weight.data, y, rows, nOut, layer.inFeatures, false, true, false);
      if (layer.bias !== null) k.addRowVector(y, layer.bias.data, y, rows, nOut);
      const act = i < last ? this.activation : this.outputActivation;
      if (act !== 'none') k.unary(UNARY[act], y, y, rows * nOut, act === 'leakyRelu' ? 0.01 : 0);
      x = y;
    }
  }

  private growHidden(rows: number): void {
    const k = getKernels();
    const cap = Math.max(rows, this.hiddenRows * 2);
    this.hidden = this.layers.slice(0, -1).map((l) => k.alloc(cap * l.outFeatures));
    this.hiddenRows = cap;
  }

  parameters(): Tensor[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Names as torch.nn.Sequential(Linear, act, Linear, ...) would give them: 0, 2, 4, ... (0, 1, 2 without activations). */
  namedParameters(): [string, Tensor][] {
    const stride = this.activation === 'none' ? 1 : 2;
    return this.layers.flatMap((l, i) => l.namedParameters().map(([n, t]): [string, Tensor] => [`${i * stride}.${n}`, t]));
  }
}

/** Named parameters of sub-modules as `<name>.<param>` (torch's state_dict naming of a module's children). */
export function childParameters(children: Readonly<Record<string, Module>>): [string, Tensor][] {
  return Object.entries(children).flatMap(([prefix, m]) => m.namedParameters().map(([n, t]): [string, Tensor] => [`${prefix}.${n}`, t]));
}

/** Polyak averaging: target = tau * source + (1 - tau) * target, parameter by parameter. */
export function softUpdate(target: Module, source: Module, tau: number): void {
  const k = getKernels();
  const tp = target.parameters();
  const sp = source.parameters();
  checkPairs('softUpdate', tp, sp);
  for (let i = 0; i < tp.length; i++) {
    const t = tp[i]!;
    k.unary(Unary.MulScalar, t.data, t.data, t.size, 1 - tau);
    k.axpy(tau, sp[i]!.data, t.data, t.size);
  }
}

/** Copy every parameter value of `source` into `target` (hard update). */
export function copyParams(target: Module, source: Module): void {
  const tp = target.parameters();
  const sp = source.parameters();
  checkPairs('copyParams', tp, sp);
  for (let i = 0; i < tp.length; i++) tp[i]!.data.set(sp[i]!.data.subarray(0, sp[i]!.size));
}

function checkPairs(op: string, a: Tensor[], b: Tensor[]): void {
  if (a.length !== b.length) throw new RangeError(`${op}: ${a.length} target parameters, ${b.length} source parameters`);
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.rows !== b[i]!.rows || a[i]!.cols !== b[i]!.cols) {
      throw new RangeError(`${op}: parameter ${i} has shape ${a[i]!.shapeString} in the target, ${b[i]!.shapeString} in the source`);
    }
  }
}

/**
 * Scale gradients so their global L2 norm is at most `maxNorm` (PyTorch
 * clip_grad_norm_: factor maxNorm / (norm + 1e-6) when below 1). Returns the norm before clipping.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  const k = getKernels();
  let sq = 0;
  for (const p of params) if (p.grad !== null) sq += k.sumSquares(p.grad, p.size);
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const p of params) if (p.grad !== null) k.unary(Unary.MulScalar, p.grad, p.grad, p.size, coef);
  return norm;
}

/**
 * Run `fn` with `params` held constant: ops inside it record no gradient
 * towards them, so a `backward` run inside `fn` skips their gradient products
 * (e.g. the critic's weights while the actors learn through the critic) and
 * leaves their `grad` untouched. The flags are restored when `fn` returns or throws.
 */
export function frozen<T>(params: readonly Tensor[], fn: () => T): T {
  const saved = params.map((p) => p.requiresGrad);
  for (const p of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    for (let i = 0; i < params.length; i++) params[i]!.requiresGrad = saved[i]!;
  }
}

/** Zero the gradients of `params`. */
export function zeroGrad(params: readonly Tensor[]): void {
  const k = getKernels();
  for (const p of params) if (p.grad !== null) k.fill(p.grad, 0, p.size);
}
