/** The Adam optimiser (PyTorch semantics) with exactly restorable state. */
import { getKernels } from './kernels/select.js';
import type { Tensor } from './tensor.js';

/** Options of `Adam`; defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate. */
  readonly lr: number;
  /** First-moment decay (0.9). */
  readonly beta1?: number;
  /** Second-moment decay (0.999). */
  readonly beta2?: number;
  /** Denominator term (1e-8). */
  readonly eps?: number;
  /** L2 penalty added to the gradient (0). */
  readonly weightDecay?: number;
}

/** Saved optimiser state: step count and both moment estimates per parameter. */
export interface AdamState {
  readonly step: number;
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** Adam with bias correction; moments live in persistent backend memory. */
export class Adam {
  readonly params: readonly Tensor[];
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private stepCount = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  /** Optimise `params` (each must require gradients). */
  constructor(params: readonly Tensor[], opts: AdamOptions) {
    for (const p of params) if (!p.requiresGrad) throw new RangeError(`Adam: parameter ${p.name || p.shapeString} does not require gradients`);
    if (!(opts.lr >= 0)) throw new RangeError(`Adam: lr must be non-negative, got ${opts.lr}`);
    const k = getKernels();
    this.params = params.slice();
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.m = params.map((p) => k.alloc(p.size));
    this.v = params.map((p) => k.alloc(p.size));
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.stepCount;
  }

  /** One update of every parameter from its current gradient (parameters without a gradient are skipped). */
  step(): void {
    const k = getKernels();
    this.stepCount++;
    const bc1 = 1 - Math.pow(this.beta1, this.stepCount);
    const bc2 = 1 - Math.pow(this.beta2, this.stepCount);
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      if (p.grad === null) continue;
      k.adam(p.data, p.grad, this.m[i]!, this.v[i]!, p.size, this.lr, this.beta1, this.beta2, this.eps, this.weightDecay, bc1, bc2);
    }
  }

  /** Zero every parameter's gradient. */
  zeroGrad(): void {
    const k = getKernels();
    for (const p of this.params) if (p.grad !== null) k.fill(p.grad, 0, p.size);
  }

  /** A copy of the state (step, m, v). */
  getState(): AdamState {
    return { step: this.stepCount, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  /** Restore a state from `getState` (or a checkpoint); shapes must match the parameters. */
  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`Adam.setState: bad step ${state.step}`);
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new RangeError(`Adam.setState: state has ${state.m.length} moments, optimiser has ${this.m.length} parameters`);
    }
    for (let i = 0; i < this.m.length; i++) {
      if (state.m[i]!.length !== this.m[i]!.length || state.v[i]!.length !== this.v[i]!.length) {
        throw new RangeError(`Adam.setState: moment ${i} has ${state.m[i]!.length} values, parameter has ${this.m[i]!.length}`);
      }
      this.m[i]!.set(state.m[i]!);
      this.v[i]!.set(state.v[i]!);
    }
    this.stepCount = state.step;
  }
}
