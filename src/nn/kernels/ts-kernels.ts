/**
 * The plain TypeScript kernels: the readable reference every other backend is
 * compared against, and the fallback when WebAssembly is unavailable.
 * Storage is float32; reductions accumulate in float64 (a JS number).
 */
import { Arena } from './arena.js';
import { Binary, Unary } from './kernels.js';
import type { Kernels } from './kernels.js';

/** Options for `createTsKernels`. */
export interface TsKernelOptions {
  /** Size of the arena backing `alloc` / `allocScratch` (default 256 MiB, created on first use). */
  readonly arenaBytes?: number;
}

const DEFAULT_ARENA_BYTES = 256 * 1024 * 1024;

/** Build the TypeScript reference kernels over a lazily created arena. */
export function createTsKernels(opts: TsKernelOptions = {}): Kernels {
  const arenaBytes = opts.arenaBytes ?? DEFAULT_ARENA_BYTES;
  let arena: Arena | null = null;
  const getArena = (): Arena => (arena ??= new Arena(new ArrayBuffer(arenaBytes)));

  return {
    name: 'ts',
    alloc: (n) => getArena().alloc(n) ?? new Float32Array(n),
    allocScratch: (n) => getArena().allocScratch(n) ?? new Float32Array(n),
    scratchMark: () => getArena().mark(),
    scratchRelease: (mark) => getArena().release(mark),
    gemm,
    addRowVector,
    sumRows,
    sumCols,
    sumAll,
    unary,
    unaryBackward,
    binary,
    axpy,
    mulAcc,
    fill,
    logSoftmaxRows,
    adam,
    sumSquares,
    softplusRowSums,
    softplusRowSumsBackward,
  };
}

function gemm(
  a: Float32Array, b: Float32Array, c: Float32Array,
  m: number, n: number, k: number,
  transA: boolean, transB: boolean, accumulate: boolean,
): void {
  if (!transB) {
    // Both i-k-j orders stream rows of B and C, the cache-friendly layout.
    if (!accumulate) c.fill(0, 0, m * n);
    if (!transA) {
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        const ai = i * k;
        let p = 0;
        // Four rows of B per pass: C's row is loaded and stored a quarter as often.
        for (; p + 3 < k; p += 4) {
          const a0 = a[ai + p]!, a1 = a[ai + p + 1]!, a2 = a[ai + p + 2]!, a3 = a[ai + p + 3]!;
          const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
        }
        for (; p < k; p++) {
          const av = a[ai + p]!;
          const bp = p * n;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j]!;
        }
      }
    } else {
      // op(A)[i, p] = A[p, i]: the same four-row blocking, reading A down its columns.
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        let p = 0;
        for (; p + 3 < k; p += 4) {
          const a0 = a[p * m + i]!, a1 = a[(p + 1) * m + i]!, a2 = a[(p + 2) * m + i]!, a3 = a[(p + 3) * m + i]!;
          const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
          for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
        }
        for (; p < k; p++) {
          const av = a[p * m + i]!;
          const bp = p * n;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j]!;
        }
      }
    }
    return;
  }
  // op(B)[p, j] = B[j, p]: each C entry is a dot product of two contiguous rows.
  if (!transA) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const ci = i * n;
      let j = 0;
      // Four dot products per pass share each load of A's row.
      for (; j + 3 < n; j += 4) {
        const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0; p < k; p++) {
          const av = a[ai + p]!;
          s0 += av * b[b0 + p]!;
          s1 += av * b[b1 + p]!;
          s2 += av * b[b2 + p]!;
          s3 += av * b[b3 + p]!;
        }
        if (accumulate) { s0 += c[ci + j]!; s1 += c[ci + j + 1]!; s2 += c[ci + j + 2]!; s3 += c[ci + j + 3]!; }
        c[ci + j] = s0; c[ci + j + 1] = s1; c[ci + j + 2] = s2; c[ci + j + 3] = s3;
      }
      for (; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[ci + j] = accumulate ? c[ci + j]! + s : s;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i]! * b[bj + p]!;
        c[ci + j] = accumulate ? c[ci + j]! + s : s;
      }
    }
  }
}

function addRowVector(x: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[o + c] = x[o + c]! + bias[c]!;
  }
}

function sumRows(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void {
  if (!accumulate) out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c] += x[o + c]!;
  }
}

function sumCols(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[o + c]!;
    out[r] = accumulate ? out[r]! + s : s;
  }
}

function sumAll(x: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function unary(op: Unary, x: Float32Array, out: Float32Array, n: number, param: number): void {
  // One loop per op: a switch inside the loop would be paid per element.
  switch (op) {
    case Unary.Relu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; } break;
    case Unary.LeakyRelu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : v * param; } break;
    case Unary.Tanh: for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); break;
    case Unary.Sigmoid: for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]!); break;
    case Unary.Silu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * sigmoid(v); } break;
    case Unary.Softplus:
      for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))); }
      break;
    case Unary.Exp: for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); break;
    case Unary.Log: for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); break;
    case Unary.Square: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * v; } break;
    case Unary.Neg: for (let i = 0; i < n; i++) out[i] = -x[i]!; break;
    case Unary.AddScalar: for (let i = 0; i < n; i++) out[i] = x[i]! + param; break;
    case Unary.MulScalar: for (let i = 0; i < n; i++) out[i] = x[i]! * param; break;
    case Unary.Abs: for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); break;
    case Unary.Sqrt: for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); break;
    default: throw new RangeError(`unary: unknown op ${String(op)}`);
  }
}

function unaryBackward(
  op: Unary, x: Float32Array, y: Float32Array, gy: Float32Array, gx: Float32Array, n: number, param: number,
): void {
  switch (op) {
    case Unary.Relu: for (let i = 0; i < n; i++) if (x[i]! > 0) gx[i] += gy[i]!; break;
    case Unary.LeakyRelu: for (let i = 0; i < n; i++) gx[i] += x[i]! > 0 ? gy[i]! : gy[i]! * param; break;
    case Unary.Tanh: for (let i = 0; i < n; i++) { const t = y[i]!; gx[i] += gy[i]! * (1 - t * t); } break;
    case Unary.Sigmoid: for (let i = 0; i < n; i++) { const s = y[i]!; gx[i] += gy[i]! * s * (1 - s); } break;
    case Unary.Silu:
      for (let i = 0; i < n; i++) { const v = x[i]!; const s = sigmoid(v); gx[i] += gy[i]! * s * (1 + v * (1 - s)); }
      break;
    case Unary.Softplus: for (let i = 0; i < n; i++) gx[i] += gy[i]! * sigmoid(x[i]!); break;
    case Unary.Exp: for (let i = 0; i < n; i++) gx[i] += gy[i]! * y[i]!; break;
    case Unary.Log: for (let i = 0; i < n; i++) gx[i] += gy[i]! / x[i]!; break;
    case Unary.Square: for (let i = 0; i < n; i++) gx[i] += 2 * gy[i]! * x[i]!; break;
    case Unary.Neg: for (let i = 0; i < n; i++) gx[i] -= gy[i]!; break;
    case Unary.AddScalar: for (let i = 0; i < n; i++) gx[i] += gy[i]!; break;
    case Unary.MulScalar: for (let i = 0; i < n; i++) gx[i] += gy[i]! * param; break;
    case Unary.Abs: for (let i = 0; i < n; i++) { const v = x[i]!; if (v !== 0) gx[i] += v > 0 ? gy[i]! : -gy[i]!; } break;
    case Unary.Sqrt: for (let i = 0; i < n; i++) gx[i] += (0.5 * gy[i]!) / y[i]!; break;
    default: throw new RangeError(`unaryBackward: unknown op ${String(op)}`);
  }
}

function binary(op: Binary, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  switch (op) {
    case Binary.Add: for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; break;
    case Binary.Sub: for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; break;
    case Binary.Mul: for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; break;
    case Binary.Div: for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; break;
    case Binary.Min: for (let i = 0; i < n; i++) { const u = a[i]!, v = b[i]!; out[i] = u < v ? u : v; } break;
    case Binary.Max: for (let i = 0; i < n; i++) { const u = a[i]!, v = b[i]!; out[i] = u > v ? u : v; } break;
    default: throw new RangeError(`binary: unknown op ${String(op)}`);
  }
}

function axpy(alpha: number, x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i]!;
}

function mulAcc(gy: Float32Array, b: Float32Array, gx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) gx[i] += gy[i]! * b[i]!;
}

function fill(x: Float32Array, value: number, n: number): void {
  x.fill(value, 0, n);
}

function logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (x[o + c]! > max) max = x[o + c]!;
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[o + c]! - max);
    const lse = max + Math.log(s);
    for (let c = 0; c < cols; c++) out[o + c] = x[o + c]! - lse;
  }
}

function adam(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  bc1: number, bc2: number,
): void {
  const stepSize = lr / bc1;
  const sqrtBc2 = Math.sqrt(bc2);
  for (let i = 0; i < n; i++) {
    const gi = weightDecay !== 0 ? g[i]! + weightDecay * p[i]! : g[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    // PyTorch's form: denom = sqrt(v) / sqrt(bc2) + eps; p -= (lr / bc1) * m / denom.
    p[i] -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / sqrtBc2 + eps);
  }
}

function sumSquares(x: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) { const v = x[i]!; s += v * v; }
  return s;
}

function softplusRowSums(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) { const v = x[o + c]!; s += (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))); }
    out[r] = accumulate ? out[r]! + s : s;
  }
}

function softplusRowSumsBackward(x: Float32Array, gRow: Float32Array, gx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const g = gRow[r]!;
    for (let c = 0; c < cols; c++) gx[o + c] += g * sigmoid(x[o + c]!);
  }
}
