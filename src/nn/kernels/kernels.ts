/**
 * The kernel interface: pure functions over Float32Array storage and shapes.
 * The autodiff (src/nn/autodiff) calls only these, so it never knows whether
 * the plain TypeScript reference (`ts-kernels.ts`) or the WebAssembly SIMD
 * build (`wasm-kernels.ts`, compiled from `assembly/`) is running.
 *
 * Conventions shared by every implementation:
 * - Matrices are row-major. `n` counts elements of a flat array.
 * - `out` may alias an input only where a kernel says so.
 * - Kernels with an `accumulate` flag add into `out` when it is true and
 *   overwrite it when false; backward kernels always add (`gx += ...`),
 *   which is what gradient accumulation on a tape needs.
 * - Any Float32Array is accepted. Arrays handed out by `alloc` / `allocScratch`
 *   live in the backend's own memory and are the fast path for WebAssembly
 *   (no copy in or out).
 */

/** Elementwise unary functions with a kernel of their own. */
export const Unary = {
  Relu: 0,
  /** param = negative slope */
  LeakyRelu: 1,
  Tanh: 2,
  Sigmoid: 3,
  /** x * sigmoid(x) */
  Silu: 4,
  /** log(1 + exp(x)), computed stably as max(x, 0) + log1p(exp(-|x|)) */
  Softplus: 5,
  Exp: 6,
  Log: 7,
  Square: 8,
  Neg: 9,
  /** param = scalar added */
  AddScalar: 10,
  /** param = scalar factor */
  MulScalar: 11,
  Abs: 12,
  Sqrt: 13,
} as const;
/** One of the values of `Unary`. */
export type Unary = (typeof Unary)[keyof typeof Unary];

/** Elementwise binary functions on two arrays of equal length. */
export const Binary = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Min: 4,
  Max: 5,
} as const;
/** One of the values of `Binary`. */
export type Binary = (typeof Binary)[keyof typeof Binary];

/** The numeric kernels every backend provides. */
export interface Kernels {
  /** `ts` or `wasm-simd`. */
  readonly name: string;

  /** Storage for `n` floats, zero-filled, that lives until the process ends (parameters, optimiser state). */
  alloc(n: number): Float32Array;
  /** Storage for `n` floats (contents undefined) released by `scratchRelease`; falls back to the JS heap when the arena is full. */
  allocScratch(n: number): Float32Array;
  /** Current scratch position, to pass to `scratchRelease`. */
  scratchMark(): number;
  /** Free every scratch array handed out since `mark`. Using them afterwards is a bug. */
  scratchRelease(mark: number): void;

  /**
   * General matrix product: C (m x n) = op(A) * op(B) (+ C when accumulate).
   * op(A) is m x k: A is m x k, or k x m read transposed when transA.
   * op(B) is k x n: B is k x n, or n x k read transposed when transB.
   */
  gemm(
    a: Float32Array, b: Float32Array, c: Float32Array,
    m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean,
  ): void;

  /** out[r, c] = x[r, c] + bias[c]. `out` may be `x`. */
  addRowVector(x: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** out[c] (+)= sum over r of x[r, c]  (column sums; the bias gradient). */
  sumRows(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void;
  /** out[r] (+)= sum over c of x[r, c]  (row sums). */
  sumCols(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void;
  /** Sum of all n elements, accumulated in float64. */
  sumAll(x: Float32Array, n: number): number;

  /** out[i] = f(x[i]). `out` may be `x`. */
  unary(op: Unary, x: Float32Array, out: Float32Array, n: number, param: number): void;
  /**
   * gx[i] += gy[i] * f'(x[i]). `y` holds f(x) from the forward pass; kernels may
   * use whichever of x and y is cheaper (tanh and sigmoid use y, relu uses x).
   */
  unaryBackward(op: Unary, x: Float32Array, y: Float32Array, gy: Float32Array, gx: Float32Array, n: number, param: number): void;
  /** out[i] = a[i] op b[i]. `out` may be `a` or `b`. */
  binary(op: Binary, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void;
  /** y[i] += alpha * x[i]. */
  axpy(alpha: number, x: Float32Array, y: Float32Array, n: number): void;
  /** gx[i] += gy[i] * b[i]  (the product rule's half; also div's numerator half with b = 1/den). */
  mulAcc(gy: Float32Array, b: Float32Array, gx: Float32Array, n: number): void;
  /** x[i] = value. */
  fill(x: Float32Array, value: number, n: number): void;

  /** Row-wise log-softmax: out[r, :] = x[r, :] - logsumexp(x[r, :]), max-shifted. */
  logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void;

  /**
   * One Adam step on a flat parameter array, PyTorch semantics (L2 weight
   * decay added to the gradient): g' = g + wd * p; m = b1 m + (1-b1) g';
   * v = b2 v + (1-b2) g'^2; p -= lr * (m / bc1) / (sqrt(v / bc2) + eps),
   * with bc1 = 1 - b1^t and bc2 = 1 - b2^t passed in.
   */
  adam(
    p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
    bc1: number, bc2: number,
  ): void;
  /** Sum of squares of x, accumulated in float64 (for gradient-norm clipping). */
  sumSquares(x: Float32Array, n: number): number;

  /**
   * out[r] (+)= sum over c of softplus(x[r, c]) (softplus as in `unary(Unary.Softplus)`,
   * the sum exact to about its own float32 rounding), without materialising
   * the rows x cols values (MINE's negative term over the batch x batch scores).
   */
  softplusRowSums(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void;
  /** gx[r, c] += gRow[r] * sigmoid(x[r, c]): the backward pass of `softplusRowSums`. */
  softplusRowSumsBackward(x: Float32Array, gRow: Float32Array, gx: Float32Array, rows: number, cols: number): void;
}
