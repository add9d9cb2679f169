/**
 * Elementwise ops: activations and other unary functions, scalar ops, and the
 * four arithmetic ops with broadcasting of a row vector (1 x c), a column
 * vector (r x 1) or a scalar (1 x 1) on either side; min/max and clamp.
 */
import { needsGrad, record } from './autodiff.js';
import { Binary, Unary } from './kernels/kernels.js';
import type { Kernels } from './kernels/kernels.js';
import { getKernels } from './kernels/select.js';
import { checkLive, checkSameShape, opError } from './ops-check.js';
import { Tensor } from './tensor.js';

function unaryOp(op: string, code: Unary, x: Tensor, param: number): Tensor {
  checkLive(op, x);
  const k = getKernels();
  const n = x.size;
  const out = Tensor.empty(x.rows, x.cols);
  k.unary(code, x.data, out.data, n, param);
  if (needsGrad(x)) record(out, [x], () => k.unaryBackward(code, x.data, out.data, out.grad!, x.grad!, n, param));
  return out;
}

/** max(x, 0). */
export function relu(x: Tensor): Tensor { return unaryOp('relu', Unary.Relu, x, 0); }
/** x for x > 0, slope * x otherwise (PyTorch default slope 0.01). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor { return unaryOp('leakyRelu', Unary.LeakyRelu, x, slope); }
/** tanh(x). */
export function tanh(x: Tensor): Tensor { return unaryOp('tanh', Unary.Tanh, x, 0); }
/** 1 / (1 + exp(-x)), computed without overflow. */
export function sigmoid(x: Tensor): Tensor { return unaryOp('sigmoid', Unary.Sigmoid, x, 0); }
/** x * sigmoid(x). */
export function silu(x: Tensor): Tensor { return unaryOp('silu', Unary.Silu, x, 0); }
/** log(1 + exp(x)), stable: max(x, 0) + log1p(exp(-|x|)). */
export function softplus(x: Tensor): Tensor { return unaryOp('softplus', Unary.Softplus, x, 0); }
/** exp(x). */
export function exp(x: Tensor): Tensor { return unaryOp('exp', Unary.Exp, x, 0); }
/** Natural log. */
export function log(x: Tensor): Tensor { return unaryOp('log', Unary.Log, x, 0); }
/** x^2. */
export function square(x: Tensor): Tensor { return unaryOp('square', Unary.Square, x, 0); }
/** sqrt(x). */
export function sqrt(x: Tensor): Tensor { return unaryOp('sqrt', Unary.Sqrt, x, 0); }
/** |x| (gradient 0 at 0). */
export function abs(x: Tensor): Tensor { return unaryOp('abs', Unary.Abs, x, 0); }
/** -x. */
export function neg(x: Tensor): Tensor { return unaryOp('neg', Unary.Neg, x, 0); }
/** x + s. */
export function addScalar(x: Tensor, s: number): Tensor { return unaryOp('addScalar', Unary.AddScalar, x, s); }
/** x * s. */
export function mulScalar(x: Tensor, s: number): Tensor { return unaryOp('mulScalar', Unary.MulScalar, x, s); }

/** Output size of one broadcast axis, or -1 when the sizes are incompatible. */
function bcast(p: number, q: number): number {
  return p === q ? p : p === 1 ? q : q === 1 ? p : -1;
}

/** `t.data` when it already has the full shape, else `t` expanded into scratch. */
function expand(k: Kernels, t: Tensor, rows: number, cols: number): Float32Array {
  if (t.rows === rows && t.cols === cols) return t.data;
  const dst = k.allocScratch(rows * cols);
  if (t.rows === 1 && t.cols === 1) {
    k.fill(dst, t.data[0]!, rows * cols);
  } else if (t.rows === 1) {
    k.fill(dst, 0, rows * cols);
    k.addRowVector(dst, t.data, dst, rows, cols);
  } else {
    // A column vector times a row of ones is the outer product that repeats it.
    const ones = k.allocScratch(cols);
    k.fill(ones, 1, cols);
    k.gemm(t.data, ones, dst, rows, cols, 1, false, false, false);
  }
  return dst;
}

/** Add a full-shape gradient `g` into `t.grad`, summing over the broadcast axes. */
function reduceInto(k: Kernels, g: Float32Array, t: Tensor, rows: number, cols: number): void {
  if (t.rows === 1 && t.cols === 1) t.grad![0] += k.sumAll(g, rows * cols);
  else if (t.rows === 1) k.sumRows(g, t.grad!, rows, cols, true);
  else k.sumCols(g, t.grad!, rows, cols, true);
}

function binaryOp(op: string, code: Binary, a: Tensor, b: Tensor): Tensor {
  checkLive(op, a, b);
  const rows = bcast(a.rows, b.rows);
  const cols = bcast(a.cols, b.cols);
  if (rows < 0 || cols < 0) opError(op, `shapes ${a.shapeString} and ${b.shapeString} do not broadcast (each axis must match or be 1)`);
  const k = getKernels();
  const out = Tensor.empty(rows, cols);
  if (code === Binary.Add && a.rows === rows && a.cols === cols && b.rows === 1 && b.cols === cols) {
    k.addRowVector(a.data, b.data, out.data, rows, cols); // the bias-add fast path
  } else {
    const mark = k.scratchMark();
    k.binary(code, expand(k, a, rows, cols), expand(k, b, rows, cols), out.data, rows * cols);
    k.scratchRelease(mark);
  }
  if (needsGrad(a, b)) record(out, [a, b], () => binaryBackward(k, code, a, b, out, rows, cols));
  return out;
}

function binaryBackward(k: Kernels, code: Binary, a: Tensor, b: Tensor, out: Tensor, rows: number, cols: number): void {
  const n = rows * cols;
  const gy = out.grad!;
  const mark = k.scratchMark();
  const full = (t: Tensor): boolean => t.rows === rows && t.cols === cols;
  const target = (t: Tensor): Float32Array => {
    if (full(t)) return t.grad!;
    const g = k.allocScratch(n);
    k.fill(g, 0, n);
    return g;
  };
  if (a.requiresGrad) {
    const ga = target(a);
    if (code === Binary.Add || code === Binary.Sub) k.axpy(1, gy, ga, n);
    else if (code === Binary.Mul) k.mulAcc(gy, expand(k, b, rows, cols), ga, n);
    else {
      const t = k.allocScratch(n);
      k.binary(Binary.Div, gy, expand(k, b, rows, cols), t, n);
      k.axpy(1, t, ga, n);
    }
    if (!full(a)) reduceInto(k, ga, a, rows, cols);
  }
  if (b.requiresGrad) {
    const gb = target(b);
    if (code === Binary.Add) k.axpy(1, gy, gb, n);
    else if (code === Binary.Sub) k.axpy(-1, gy, gb, n);
    else if (code === Binary.Mul) k.mulAcc(gy, expand(k, a, rows, cols), gb, n);
    else {
      // d(a/b)/db = -(a/b)/b = -out/b
      const t = k.allocScratch(n);
      k.binary(Binary.Div, out.data, expand(k, b, rows, cols), t, n);
      k.binary(Binary.Mul, t, gy, t, n);
      k.axpy(-1, t, gb, n);
    }
    if (!full(b)) reduceInto(k, gb, b, rows, cols);
  }
  k.scratchRelease(mark);
}

/** a + b (broadcasting). */
export function add(a: Tensor, b: Tensor): Tensor { return binaryOp('add', Binary.Add, a, b); }
/** a - b (broadcasting). */
export function sub(a: Tensor, b: Tensor): Tensor { return binaryOp('sub', Binary.Sub, a, b); }
/** a * b elementwise (broadcasting). */
export function mul(a: Tensor, b: Tensor): Tensor { return binaryOp('mul', Binary.Mul, a, b); }
/** a / b elementwise (broadcasting). */
export function div(a: Tensor, b: Tensor): Tensor { return binaryOp('div', Binary.Div, a, b); }

function minMax(op: string, code: Binary, a: Tensor, b: Tensor): Tensor {
  checkSameShape(op, a, b);
  const k = getKernels();
  const n = a.size;
  const out = Tensor.empty(a.rows, a.cols);
  k.binary(code, a.data, b.data, out.data, n);
  if (needsGrad(a, b)) {
    record(out, [a, b], () => {
      // The gradient goes to a where a strictly wins (d > 0), else to b (ties go to b).
      const gy = out.grad!;
      const mark = k.scratchMark();
      const d = k.allocScratch(n);
      const t = k.allocScratch(n);
      if (code === Binary.Min) k.binary(Binary.Sub, b.data, a.data, d, n);
      else k.binary(Binary.Sub, a.data, b.data, d, n);
      k.fill(t, 0, n);
      k.unaryBackward(Unary.Relu, d, d, gy, t, n, 0);
      if (a.requiresGrad) k.axpy(1, t, a.grad!, n);
      if (b.requiresGrad) { k.axpy(1, gy, b.grad!, n); k.axpy(-1, t, b.grad!, n); }
      k.scratchRelease(mark);
    });
  }
  return out;
}

/** Elementwise minimum of two same-shape tensors. */
export function minimum(a: Tensor, b: Tensor): Tensor { return minMax('minimum', Binary.Min, a, b); }
/** Elementwise maximum of two same-shape tensors. */
export function maximum(a: Tensor, b: Tensor): Tensor { return minMax('maximum', Binary.Max, a, b); }

/** min(max(x, lo), hi); the gradient passes where lo < x < hi. */
export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  checkLive('clamp', x);
  if (!(lo <= hi)) opError('clamp', `lower bound ${lo} is above upper bound ${hi}`);
  const k = getKernels();
  const n = x.size;
  const out = Tensor.empty(x.rows, x.cols);
  const mark = k.scratchMark();
  const bound = k.allocScratch(n);
  k.fill(bound, lo, n);
  k.binary(Binary.Max, x.data, bound, out.data, n);
  k.fill(bound, hi, n);
  k.binary(Binary.Min, out.data, bound, out.data, n);
  k.scratchRelease(mark);
  if (needsGrad(x)) {
    record(out, [x], () => {
      // Two ReLU masks: [x - lo > 0] then [hi - x > 0].
      const m2 = k.scratchMark();
      const d = k.allocScratch(n);
      const t = k.allocScratch(n);
      k.unary(Unary.AddScalar, x.data, d, n, -lo);
      k.fill(t, 0, n);
      k.unaryBackward(Unary.Relu, d, d, out.grad!, t, n, 0);
      k.unary(Unary.Neg, x.data, d, n, 0);
      k.unary(Unary.AddScalar, d, d, n, hi);
      k.unaryBackward(Unary.Relu, d, d, t, x.grad!, n, 0);
      k.scratchRelease(m2);
    });
  }
  return out;
}
