/** Matrix products: matmul with transposes, the fused linear layer, and MINE's score matrix. */
import { needsGrad, record } from './autodiff.js';
import { getKernels } from './kernels/select.js';
import type { Kernels } from './kernels/kernels.js';
import { checkLive, opError } from './ops-check.js';
import { gradColumns } from './ops-shape.js';
import { Tensor } from './tensor.js';

/** Options of `matmul`: read an operand transposed. */
export interface MatmulOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/** op(a) · op(b), where op transposes when the flag is set. */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  return matmulNamed('matmul', a, b, opts.transA ?? false, opts.transB ?? false);
}

/** The score matrix u = a · bᵀ, u[i][j] = <a_i, b_j> (MINE's all-pairs critic). */
export function scoreMatrix(a: Tensor, b: Tensor): Tensor {
  return matmulNamed('scoreMatrix', a, b, false, true);
}

function matmulNamed(op: string, a: Tensor, b: Tensor, tA: boolean, tB: boolean): Tensor {
  checkLive(op, a, b);
  const m = tA ? a.cols : a.rows;
  const k = tA ? a.rows : a.cols;
  const kb = tB ? b.cols : b.rows;
  const n = tB ? b.rows : b.cols;
  if (k !== kb) opError(op, `inner sizes differ: ${a.shapeString}${tA ? 'ᵀ' : ''} · ${b.shapeString}${tB ? 'ᵀ' : ''}`);
  const K = getKernels();
  const out = Tensor.empty(m, n);
  K.gemm(a.data, b.data, out.data, m, n, k, tA, tB, false);
  if (needsGrad(a, b)) {
    record(out, [a, b], () => {
      const g = out.grad!;
      // C = op(A) op(B): d op(A) = G op(B)ᵀ, d op(B) = op(A)ᵀ G; stored transposed when the flag is set.
      if (a.requiresGrad) {
        if (!tA) K.gemm(g, b.data, a.grad!, m, k, n, false, !tB, true);
        else K.gemm(b.data, g, a.grad!, k, m, n, tB, true, true);
      }
      if (b.requiresGrad) {
        if (!tB) K.gemm(a.data, g, b.grad!, k, n, m, !tA, false, true);
        else K.gemm(g, a.data, b.grad!, n, k, m, true, tA, true);
      }
    });
  }
  return out;
}

/**
 * x · Wᵀ + bias, with W stored PyTorch-style as [out, in] and bias 1 x out
 * (or null): one op so a layer costs one tape entry.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  checkLive('linear', x, weight);
  const rows = x.rows;
  const nIn = weight.cols;
  const nOut = weight.rows;
  if (x.cols !== nIn) opError('linear', `input has ${x.cols} columns, weight ${weight.shapeString} expects ${nIn}`);
  if (bias !== null) {
    checkLive('linear', bias);
    if (bias.rows !== 1 || bias.cols !== nOut) opError('linear', `bias has shape ${bias.shapeString}, expected [1, ${nOut}]`);
  }
  const K = getKernels();
  const out = Tensor.empty(rows, nOut);
  K.gemm(x.data, weight.data, out.data, rows, nOut, nIn, false, true, false);
  if (bias !== null) K.addRowVector(out.data, bias.data, out.data, rows, nOut);
  if (needsGrad(x, weight, bias ?? undefined)) {
    record(out, bias === null ? [x, weight] : [x, weight, bias], () => {
      const g = out.grad!;
      if (x.requiresGrad) {
        const span = gradColumns(x);
        if (span === undefined) K.gemm(g, weight.data, x.grad!, rows, nIn, nOut, false, false, true);
        else inputGradColumns(K, g, weight.data, x.grad!, rows, nIn, nOut, span[0], span[1]);
      }
      if (weight.requiresGrad) K.gemm(g, x.data, weight.grad!, nOut, nIn, rows, true, false, true);
      if (bias !== null && bias.requiresGrad) K.sumRows(g, bias.grad!, rows, nOut, true);
    });
  }
  return out;
}

/**
 * gx[:, lo:hi] += g · W[:, lo:hi] (g rows x nOut, W nOut x nIn): the input
 * gradient of a linear layer restricted to the columns its input's backward
 * reads: a nOut x width copy of W's columns, one narrow product, and an add.
 */
function inputGradColumns(K: Kernels, g: Float32Array, w: Float32Array, gx: Float32Array, rows: number, nIn: number, nOut: number, lo: number, hi: number): void {
  const width = hi - lo;
  const mark = K.scratchMark();
  const wSub = K.allocScratch(nOut * width);
  for (let o = 0; o < nOut; o++) {
    const src = o * nIn + lo, dst = o * width;
    for (let c = 0; c < width; c++) wSub[dst + c] = w[src + c]!;
  }
  const t = K.allocScratch(rows * width);
  K.gemm(g, wSub, t, rows, width, nOut, false, false, false);
  for (let r = 0; r < rows; r++) {
    const src = r * width, dst = r * nIn + lo;
    for (let c = 0; c < width; c++) gx[dst + c] += t[src + c]!;
  }
  K.scratchRelease(mark);
}
