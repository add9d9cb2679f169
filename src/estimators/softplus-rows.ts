/**
 * Row sums of softplus over a matrix, as one tape entry: MINE's negative
 * term sum_j softplus(u_ij) over the batch x batch score matrix.
 *
 * Why not `sum(softplus(u), 1)`: the engine's WebAssembly softplus kernel is
 * a scalar loop over Mathf.log1p and Mathf.exp (src/nn/kernels/assembly/
 * elementwise.ts, unary case 5), 4-6 times slower than composing it from the
 * vectorised exp and the log kernels as below; and the fused op skips the
 * B x B output and its gradient buffer. The backward pass uses the engine's
 * (vectorised) softplus derivative, sigmoid(u).
 */
import { needsGrad, record } from '../nn/autodiff.js';
import { Unary } from '../nn/kernels/kernels.js';
import { getKernels } from '../nn/kernels/select.js';
import { Tensor } from '../nn/tensor.js';

/** out[r] = sum over c of softplus(x[r, c]) (rows x 1), with softplus(v) = max(v, 0) + log(1 + exp(-|v|)). */
export function softplusRowSums(x: Tensor): Tensor {
  if (!x.isLive) throw new RangeError('softplusRowSums: input tensor used after its scope ended');
  const k = getKernels();
  const { rows, cols } = x;
  const n = rows * cols;
  const out = Tensor.empty(rows, 1);
  const mark = k.scratchMark();
  const t = k.allocScratch(n);
  // log(1 + e^-|v|) loses nothing that matters where 1 + e^-|v| rounds to 1:
  // the term is then below 6e-8, the float32 spacing of the sums it joins.
  k.unary(Unary.Abs, x.data, t, n, 0);
  k.unary(Unary.MulScalar, t, t, n, -1);
  k.unary(Unary.Exp, t, t, n, 0);
  k.unary(Unary.AddScalar, t, t, n, 1);
  k.unary(Unary.Log, t, t, n, 0);
  k.sumCols(t, out.data, rows, cols, false);
  k.unary(Unary.Relu, x.data, t, n, 0);
  k.sumCols(t, out.data, rows, cols, true);
  k.scratchRelease(mark);
  if (needsGrad(x)) {
    record(out, [x], () => {
      // d out_r / d x_rc = sigmoid(x_rc): spread each row's output gradient over its
      // columns (outer product with ones, as the engine's own row-sum backward does).
      const m2 = k.scratchMark();
      const ones = k.allocScratch(cols);
      k.fill(ones, 1, cols);
      const g = k.allocScratch(n);
      k.gemm(out.grad!, ones, g, rows, cols, 1, false, false, false);
      k.unaryBackward(Unary.Softplus, x.data, x.data, g, x.grad!, n, 0);
      k.scratchRelease(m2);
    });
  }
  return out;
}
