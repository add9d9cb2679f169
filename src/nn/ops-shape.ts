/**
 * Data-movement ops: concatenation and slicing by columns, row gathers and
 * per-row column picks. These only copy, so they are plain loops rather than
 * kernels.
 */
import { needsGrad, record } from './autodiff.js';
import { checkIndices, checkLive, opError } from './ops-check.js';
import { Tensor } from './tensor.js';

/** A view of a whole buffer (the kernels' arena), kept for the last buffer asked about. */
let wholeBuffer: ArrayBufferLike | null = null;
let wholeView: Float32Array | null = null;
function wholeOf(buffer: ArrayBufferLike): Float32Array {
  if (buffer !== wholeBuffer) {
    wholeView = new Float32Array(buffer, 0, buffer.byteLength >>> 2);
    wholeBuffer = buffer;
  }
  return wholeView!;
}

/** Rows at least this wide are copied natively (memmove) rather than element by element. */
const NATIVE_COPY_MIN = 16;

/** Copy `width` columns per row between row-major arrays with their own strides and offsets. */
function copyCols(
  src: Float32Array, srcStride: number, srcOff: number,
  dst: Float32Array, dstStride: number, dstOff: number,
  rows: number, width: number, add: boolean,
): void {
  if (!add && width >= NATIVE_COPY_MIN) {
    if (src.buffer === dst.buffer) {
      // Both in one buffer (scope tensors all live in the arena): copyWithin, no allocation.
      const w = wholeOf(src.buffer);
      const sb = (src.byteOffset >>> 2) + srcOff, db = (dst.byteOffset >>> 2) + dstOff;
      for (let r = 0; r < rows; r++) {
        const s = sb + r * srcStride;
        w.copyWithin(db + r * dstStride, s, s + width);
      }
    } else {
      for (let r = 0; r < rows; r++) {
        const s = r * srcStride + srcOff;
        dst.set(src.subarray(s, s + width), r * dstStride + dstOff);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = r * srcStride + srcOff;
    const d = r * dstStride + dstOff;
    if (add) for (let c = 0; c < width; c++) dst[d + c] += src[s + c]!;
    else for (let c = 0; c < width; c++) dst[d + c] = src[s + c]!;
  }
}

/** Per concatCols output with some parts constant: the column span of the parts that take gradients. */
const gradSpans = new WeakMap<Tensor, readonly [number, number]>();

/**
 * The columns [lo, hi) of `t`'s gradient that its backward pass reads, when
 * `t` is a `concatCols` output some of whose parts need no gradient (the span
 * from the first to the last part that does); undefined otherwise. An op
 * consuming `t` may then leave the other columns of `t.grad` unwritten (the
 * linear layer does: an actor loss through a critic fed [state | actions]
 * needs only the action columns of the input gradient).
 */
export function gradColumns(t: Tensor): readonly [number, number] | undefined {
  return gradSpans.get(t);
}

/**
 * Tensors with equal row counts side by side: [a | b | ...]. When some parts
 * need no gradient, the output's gradient is only guaranteed in the columns
 * of those that do (see `gradColumns`).
 */
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
  let lo = -1, hi = -1;
  off = 0;
  for (const p of parts) {
    if (needsGrad(p)) { if (lo < 0) lo = off; hi = off + p.cols; }
    off += p.cols;
  }
  if (lo >= 0) {
    if (hi - lo < cols) gradSpans.set(out, [lo, hi]);
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
