/**
 * Gradient checking: the autodiff gradient of an op (float32) against central
 * finite differences of an independent float64 implementation of the same
 * function. Used by this folder's tests and by the estimators' tests.
 */
import type { Random } from '../core/random.js';
import { Tensor } from './tensor.js';

/** One input: its shape and values (rounded to float32 so both sides see the same numbers). */
export interface GradCheckInput {
  readonly rows: number;
  readonly cols: number;
  readonly values: ArrayLike<number>;
}

/** A function checked in both forms. */
export interface GradCheckCase {
  readonly inputs: readonly GradCheckInput[];
  /** The autodiff version. */
  readonly forward: (xs: Tensor[]) => Tensor;
  /** An independent float64 version over row-major inputs, returning the output row-major. */
  readonly reference: (xs: Float64Array[]) => ArrayLike<number>;
  /** Indices of the inputs to differentiate (default: all). */
  readonly wrt?: readonly number[];
  /** Finite-difference step (default 1e-5; float64 makes the truncation error ~h^2). */
  readonly h?: number;
}

/** Outcome: worst relative errors of the forward values and of the gradients. */
export interface GradCheckResult {
  readonly forwardError: number;
  readonly gradError: number;
  /** Per checked input: relative L2 error of its gradient. */
  readonly perInput: number[];
}

/** Uniform values in [lo, hi), redrawn while closer than `gap` to any of `avoid` (kinks). */
export function randomValues(rng: Random, n: number, lo = -2, hi = 2, avoid: readonly number[] = [], gap = 0.02): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const v = Math.fround(rng.uniform(lo, hi));
    if (avoid.every((a) => Math.abs(v - a) >= gap)) out.push(v);
  }
  return out;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const scale = Math.max(Math.sqrt(na), Math.sqrt(nb));
  return scale < 1e-12 ? Math.sqrt(d) : Math.sqrt(d) / scale;
}

/**
 * Check `c`: the objective is sum_i w_i out_i with random weights w, so one
 * backward pass covers every output element; its gradient is compared with
 * (L(x + h) - L(x - h)) / 2h in float64, element by element of every input.
 */
export function gradCheck(c: GradCheckCase, rng: Random): GradCheckResult {
  const h = c.h ?? 1e-5;
  const wrt = c.wrt ?? c.inputs.map((_, i) => i);
  const xs64 = c.inputs.map((x) => {
    if (x.values.length !== x.rows * x.cols) throw new RangeError(`gradCheck: ${x.values.length} values for shape [${x.rows}, ${x.cols}]`);
    return Float64Array.from(x.values, (v) => Math.fround(v));
  });
  const ts = c.inputs.map((x, i) => new Tensor(Float32Array.from(xs64[i]!), x.rows, x.cols, { requiresGrad: wrt.includes(i) }));
  const out = c.forward(ts);
  const ref = c.reference(xs64.map((a) => a.slice()));
  if (ref.length !== out.size) throw new RangeError(`gradCheck: forward gives ${out.size} values, reference ${ref.length}`);
  const forwardError = relErr(out.data.subarray(0, out.size), ref);

  const w = Float64Array.from({ length: out.size }, () => Math.fround(rng.uniform(-1, 1)));
  out.backward(Float32Array.from(w));
  const objective = (xs: Float64Array[]): number => {
    const y = c.reference(xs);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i]! * y[i]!;
    return s;
  };
  const perInput: number[] = [];
  for (const i of wrt) {
    const x = xs64[i]!;
    const numeric = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const v = x[j]!;
      x[j] = v + h;
      const up = objective(xs64);
      x[j] = v - h;
      const down = objective(xs64);
      x[j] = v;
      numeric[j] = (up - down) / (2 * h);
    }
    perInput.push(relErr(ts[i]!.grad ?? new Float32Array(x.length), numeric));
  }
  return { forwardError, gradError: Math.max(0, ...perInput), perInput };
}
