/** Reductions and row-wise normalisations: sum, mean, softmax, log-softmax, and the regression losses. */
import { needsGrad, record } from './autodiff.js';
import { Binary, Unary } from './kernels/kernels.js';
import type { Kernels } from './kernels/kernels.js';
import { getKernels } from './kernels/select.js';
import { checkLive, checkSameShape, opError } from './ops-check.js';
import { Tensor } from './tensor.js';

/** Reduction axis: 0 sums over rows (result 1 x cols), 1 over columns (result rows x 1). */
export type Axis = 0 | 1;

function reduceOp(op: string, x: Tensor, axis: Axis | undefined, mean: boolean): Tensor {
  checkLive(op, x);
  const k = getKernels();
  const { rows, cols } = x;
  const n = rows * cols;
  let out: Tensor;
  let scale: number;
  if (axis === undefined) {
    scale = mean ? 1 / n : 1;
    out = Tensor.empty(1, 1);
    out.data[0] = k.sumAll(x.data, n) * scale;
  } else if (axis === 0) {
    scale = mean ? 1 / rows : 1;
    out = Tensor.empty(1, cols);
    k.sumRows(x.data, out.data, rows, cols, false);
    if (mean) k.unary(Unary.MulScalar, out.data, out.data, cols, scale);
  } else if (axis === 1) {
    scale = mean ? 1 / cols : 1;
    out = Tensor.empty(rows, 1);
    k.sumCols(x.data, out.data, rows, cols, false);
    if (mean) k.unary(Unary.MulScalar, out.data, out.data, rows, scale);
  } else {
    return opError(op, `axis must be 0 or 1, got ${String(axis)}`);
  }
  if (needsGrad(x)) {
    const o = out;
    record(o, [x], () => {
      const gx = x.grad!;
      const gy = o.grad!;
      if (axis === undefined) {
        k.unary(Unary.AddScalar, gx, gx, n, gy[0]! * scale);
        return;
      }
      const mark = k.scratchMark();
      if (axis === 0) {
        let row = gy;
        if (scale !== 1) { row = k.allocScratch(cols); k.unary(Unary.MulScalar, gy, row, cols, scale); }
        k.addRowVector(gx, row, gx, rows, cols);
      } else {
        const ones = k.allocScratch(cols);
        k.fill(ones, scale, cols);
        k.gemm(gy, ones, gx, rows, cols, 1, false, false, true);
      }
      k.scratchRelease(mark);
    });
  }
  return out;
}

/** Sum of all elements (1 x 1), or along an axis. */
export function sum(x: Tensor, axis?: Axis): Tensor { return reduceOp('sum', x, axis, false); }
/** Mean of all elements (1 x 1), or along an axis. */
export function mean(x: Tensor, axis?: Axis): Tensor { return reduceOp('mean', x, axis, true); }

/** Row sums of gy broadcast over columns: scratch rows x cols holding sum_c gy[r, c] in every column. */
function rowSumsExpanded(k: Kernels, g: Float32Array, rows: number, cols: number): Float32Array {
  const s = k.allocScratch(rows);
  k.sumCols(g, s, rows, cols, false);
  const ones = k.allocScratch(cols);
  k.fill(ones, 1, cols);
  const e = k.allocScratch(rows * cols);
  k.gemm(s, ones, e, rows, cols, 1, false, false, false);
  return e;
}

/** Row-wise log-softmax, max-shifted so large logits do not overflow. */
export function logSoftmax(x: Tensor): Tensor {
  checkLive('logSoftmax', x);
  const k = getKernels();
  const { rows, cols } = x;
  const n = rows * cols;
  const out = Tensor.empty(rows, cols);
  k.logSoftmaxRows(x.data, out.data, rows, cols);
  if (needsGrad(x)) {
    record(out, [x], () => {
      // gx = gy - softmax * rowsum(gy)
      const gy = out.grad!;
      const mark = k.scratchMark();
      const p = k.allocScratch(n);
      k.unary(Unary.Exp, out.data, p, n, 0);
      const s = rowSumsExpanded(k, gy, rows, cols);
      k.binary(Binary.Mul, s, p, s, n);
      k.axpy(1, gy, x.grad!, n);
      k.axpy(-1, s, x.grad!, n);
      k.scratchRelease(mark);
    });
  }
  return out;
}

/** Row-wise softmax (exp of the stable log-softmax). */
export function softmax(x: Tensor): Tensor {
  checkLive('softmax', x);
  const k = getKernels();
  const { rows, cols } = x;
  const n = rows * cols;
  const out = Tensor.empty(rows, cols);
  k.logSoftmaxRows(x.data, out.data, rows, cols);
  k.unary(Unary.Exp, out.data, out.data, n, 0);
  if (needsGrad(x)) {
    record(out, [x], () => {
      // gx = p * (gy - rowsum(gy * p))
      const mark = k.scratchMark();
      const t = k.allocScratch(n);
      k.binary(Binary.Mul, out.grad!, out.data, t, n);
      const s = rowSumsExpanded(k, t, rows, cols);
      k.binary(Binary.Mul, s, out.data, s, n);
      k.axpy(1, t, x.grad!, n);
      k.axpy(-1, s, x.grad!, n);
      k.scratchRelease(mark);
    });
  }
  return out;
}

/** Mean squared error mean((pred - target)^2), 1 x 1. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  checkSameShape('mse', pred, target);
  const k = getKernels();
  const n = pred.size;
  if (n === 0) opError('mse', 'empty input');
  const out = Tensor.empty(1, 1);
  const mark = k.scratchMark();
  const d = k.allocScratch(n);
  k.binary(Binary.Sub, pred.data, target.data, d, n);
  out.data[0] = k.sumSquares(d, n) / n;
  k.scratchRelease(mark);
  if (needsGrad(pred, target)) {
    record(out, [pred, target], () => {
      const m2 = k.scratchMark();
      const diff = k.allocScratch(n);
      k.binary(Binary.Sub, pred.data, target.data, diff, n);
      const c = (2 * out.grad![0]!) / n;
      if (pred.requiresGrad) k.axpy(c, diff, pred.grad!, n);
      if (target.requiresGrad) k.axpy(-c, diff, target.grad!, n);
      k.scratchRelease(m2);
    });
  }
  return out;
}

/**
 * Huber loss (PyTorch `HuberLoss`, mean reduction): 0.5 d^2 where |d| < delta,
 * delta (|d| - 0.5 delta) elsewhere, d = pred - target.
 */
export function huber(pred: Tensor, target: Tensor, delta = 1): Tensor {
  checkSameShape('huber', pred, target);
  if (!(delta > 0)) opError('huber', `delta must be positive, got ${delta}`);
  const k = getKernels();
  const n = pred.size;
  if (n === 0) opError('huber', 'empty input');
  const out = Tensor.empty(1, 1);
  const mark = k.scratchMark();
  const d = k.allocScratch(n);
  const q = k.allocScratch(n);
  k.binary(Binary.Sub, pred.data, target.data, d, n);
  k.unary(Unary.Abs, d, d, n, 0);
  k.fill(q, delta, n);
  k.binary(Binary.Min, d, q, q, n);
  // With a = |d| and q = min(a, delta): loss = 0.5 q^2 + delta (a - q).
  out.data[0] = (0.5 * k.sumSquares(q, n) + delta * (k.sumAll(d, n) - k.sumAll(q, n))) / n;
  k.scratchRelease(mark);
  if (needsGrad(pred, target)) {
    record(out, [pred, target], () => {
      // dL/dd = clamp(d, -delta, delta) / n
      const m2 = k.scratchMark();
      const c = k.allocScratch(n);
      const b = k.allocScratch(n);
      k.binary(Binary.Sub, pred.data, target.data, c, n);
      k.fill(b, delta, n);
      k.binary(Binary.Min, c, b, c, n);
      k.fill(b, -delta, n);
      k.binary(Binary.Max, c, b, c, n);
      const s = out.grad![0]! / n;
      if (pred.requiresGrad) k.axpy(s, c, pred.grad!, n);
      if (target.requiresGrad) k.axpy(-s, c, target.grad!, n);
      k.scratchRelease(m2);
    });
  }
  return out;
}
