/**
 * Data-movement ops: concatenation and slicing by columns, row gathers and
 * per-row column picks. These only copy, so they are plain loops rather than
 * kernels.
 */
import { needsGrad, record } from './autodiff.js';
import { checkIndices, checkLive, opError } from './ops-check.js';
import { Tensor } from './tensor.js';

/** Copy `width` columns per row between row-major arrays with their own strides and offsets. */
function copyCols(
  src: Float32Array, srcStride: number, srcOff: number,
  dst: Float32Array, dstStride: number, dstOff: number,
  rows: number, width: number, add: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const s = r * srcStride + srcOff;
    const d = r * dstStride + dstOff;
    if (add) for (let c = 0; c < width; c++) dst[d + c] += src[s + c]!;
    else for (let c = 0; c < width; c++) dst[d + c] = src[s + c]!;
  }
}

/** Tensors with equal row counts side by side: [a | b | ...]. */
export function concatCols(parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) opError('concatCols', 'no tensors given');
  const rows = parts[0]!.rows;
  let cols = 0;
  for (const p of parts) {
    checkLive('concatCols', p);
    if (p.rows !== rows) opError('concatCols', `row counts differ: ${parts.map((q) => q.shapeString).join(', ')}`);
    cols += p.cols;
  }
  const out = Tensor.empty(rows, cols);
  let off = 0;
  for (const p of parts) {
    copyCols(p.data, p.cols, 0, out.data, cols, off, rows, p.cols, false);
    off += p.cols;
  }
  let grad = false;
  for (const p of parts) if (needsGrad(p)) grad = true;
  if (grad) {
    record(out, parts.slice(), () => {
      let o = 0;
      for (const p of parts) {
        if (p.requiresGrad) copyCols(out.grad!, cols, o, p.grad!, p.cols, 0, rows, p.cols, true);
        o += p.cols;
      }
    });
  }
  return out;
}

/** Columns [start, end) of x. */
export function sliceCols(x: Tensor, start: number, end: number): Tensor {
  checkLive('sliceCols', x);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > x.cols || start > end) {
    opError('sliceCols', `range [${start}, ${end}) is not inside the ${x.cols} columns of ${x.shapeString}`);
  }
  const width = end - start;
  const out = Tensor.empty(x.rows, width);
  copyCols(x.data, x.cols, start, out.data, width, 0, x.rows, width, false);
  if (needsGrad(x)) record(out, [x], () => copyCols(out.grad!, width, 0, x.grad!, x.cols, start, x.rows, width, true));
  return out;
}

/** Rows of x picked by index (repeats allowed): out[i] = x[idx[i]]. */
export function gatherRows(x: Tensor, idx: ArrayLike<number>): Tensor {
  checkLive('gatherRows', x);
  checkIndices('gatherRows', idx, x.rows, 'row');
  const { cols } = x;
  const n = idx.length;
  const out = Tensor.empty(n, cols);
  for (let i = 0; i < n; i++) {
    const s = idx[i]! * cols;
    const d = i * cols;
    for (let c = 0; c < cols; c++) out.data[d + c] = x.data[s + c]!;
  }
  if (needsGrad(x)) {
    const rowsOf = Int32Array.from(idx); // the caller may reuse its index buffer before backward
    record(out, [x], () => {
      const g = out.grad!;
      const gx = x.grad!;
      for (let i = 0; i < n; i++) {
        const s = i * cols;
        const d = rowsOf[i]! * cols;
        for (let c = 0; c < cols; c++) gx[d + c] += g[s + c]!;
      }
    });
  }
  return out;
}

/** One column per row: out[r] = x[r, idx[r]] (rows x 1); e.g. the log-probability of the taken action. */
export function pickCols(x: Tensor, idx: ArrayLike<number>): Tensor {
  checkLive('pickCols', x);
  if (idx.length !== x.rows) opError('pickCols', `${idx.length} indices for ${x.rows} rows`);
  checkIndices('pickCols', idx, x.cols, 'column');
  const { rows, cols } = x;
  const out = Tensor.empty(rows, 1);
  for (let r = 0; r < rows; r++) out.data[r] = x.data[r * cols + idx[r]!]!;
  if (needsGrad(x)) {
    const colOf = Int32Array.from(idx);
    record(out, [x], () => {
      const g = out.grad!;
      const gx = x.grad!;
      for (let r = 0; r < rows; r++) gx[r * cols + colOf[r]!] += g[r]!;
    });
  }
  return out;
}

/** The main diagonal of a square matrix as a column (n x 1), e.g. MINE's positive-pair scores. */
export function diag(x: Tensor): Tensor {
  checkLive('diag', x);
  if (x.rows !== x.cols) opError('diag', `matrix ${x.shapeString} is not square`);
  const n = x.rows;
  const out = Tensor.empty(n, 1);
  for (let i = 0; i < n; i++) out.data[i] = x.data[i * n + i]!;
  if (needsGrad(x)) {
    record(out, [x], () => {
      const g = out.grad!;
      const gx = x.grad!;
      for (let i = 0; i < n; i++) gx[i * n + i] += g[i]!;
    });
  }
  return out;
}
