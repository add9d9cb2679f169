/**
 * The WebAssembly SIMD kernels: `build/kernels.wasm`, compiled from
 * `assembly/` by `scripts/build-wasm.js`, over one fixed-size memory.
 *
 * Arrays from `alloc` / `allocScratch` are views of that memory and go to the
 * kernels as plain byte offsets (no copy). Any other Float32Array is copied
 * into a staging area (the free middle of the arena) for the call and copied
 * back when it is an output, so every input is correct and arena arrays are fast.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Arena } from './arena.js';
import type { Binary, Kernels, Unary } from './kernels.js';

/** Options for `createWasmKernels`. */
export interface WasmKernelOptions {
  /** Size of the fixed WebAssembly memory (default: env MITRA_NN_MEMORY_MB, else 1024 MiB). */
  readonly memoryMiB?: number;
  /** Path of the compiled module (default: `<repo>/build/kernels.wasm`). */
  readonly wasmPath?: string;
}

/** The module's exports (see assembly/index.ts); pointers are byte offsets. */
interface Exports {
  heapBase(): number;
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, flags: number, scratch: number): void;
  gemmScratchBytes(m: number, n: number, k: number): number;
  unary(op: number, x: number, out: number, n: number, param: number): void;
  unaryBackward(op: number, x: number, y: number, gy: number, gx: number, n: number, param: number): void;
  binary(op: number, a: number, b: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  mulAcc(gy: number, b: number, gx: number, n: number): void;
  fill(x: number, value: number, n: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, wd: number, bc1: number, bc2: number): void;
  addRowVector(x: number, bias: number, out: number, rows: number, cols: number): void;
  sumRows(x: number, out: number, rows: number, cols: number, accumulate: number): void;
  sumCols(x: number, out: number, rows: number, cols: number, accumulate: number): void;
  sumAll(x: number, n: number): number;
  sumSquares(x: number, n: number): number;
  logSoftmaxRows(x: number, out: number, rows: number, cols: number): void;
  softplusRowSums(x: number, out: number, rows: number, cols: number, accumulate: number): void;
  softplusRowSumsBackward(x: number, gRow: number, gx: number, rows: number, cols: number): void;
}

/**
 * The slice of the WebAssembly JS API used here (tsconfig's lib has no DOM
 * and @types/node does not declare it).
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const DEFAULT_MEMORY_MIB = 1024;
const PAGE_BYTES = 65536;
/** Largest memory wasm32 addresses (4 GiB less one page, so byte offsets stay below 2^32). */
const MAX_MEMORY_MIB = 4095;

/** `<repo>/build/kernels.wasm`: this file runs from `dist/src/nn/kernels/`. */
function defaultWasmPath(): string {
  return fileURLToPath(new URL('../../../../build/kernels.wasm', import.meta.url));
}

/** True when this engine validates a module using a SIMD instruction. */
function simdSupported(api: WasmApi): boolean {
  // (func (result v128) i32.const 0 i8x16.splat)
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11,
  ]);
  return api.validate(probe);
}

function memoryMiB(opts: WasmKernelOptions): number {
  const env = process.env['MITRA_NN_MEMORY_MB'];
  const mib = opts.memoryMiB ?? (env !== undefined && env !== '' ? Number(env) : DEFAULT_MEMORY_MIB);
  if (!Number.isInteger(mib) || mib < 16 || mib > MAX_MEMORY_MIB) {
    throw new RangeError(`wasm kernels: memory size ${String(mib)} MiB is invalid; set MITRA_NN_MEMORY_MB to an integer from 16 to ${MAX_MEMORY_MIB}`);
  }
  return mib;
}

/**
 * Load the WebAssembly SIMD kernels; null when `build/kernels.wasm` is missing
 * (run `npm run build:wasm`) or this engine lacks WebAssembly SIMD.
 */
export function createWasmKernels(opts: WasmKernelOptions = {}): Kernels | null {
  const path = opts.wasmPath ?? defaultWasmPath();
  const api = wasmApi;
  if (api === undefined || !existsSync(path) || !simdSupported(api)) return null;
  const pages = (memoryMiB(opts) * 1024 * 1024) / PAGE_BYTES;
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const module = new api.Module(readFileSync(path));
  const instance = new api.Instance(module, { env: { memory } });
  return bindKernels(instance.exports as unknown as Exports, memory.buffer);
}

function bindKernels(w: Exports, buffer: ArrayBuffer): Kernels {
  const arena = new Arena(buffer, w.heapBase());
  const heap = new Float32Array(buffer);

  // Staging for operands outside wasm memory: a bump pointer over the arena's
  // free middle, reset at the start of every call (-1: not yet placed, so
  // calls on arena arrays never touch it).
  let stageTop = -1;
  let stageEnd = 0;
  const stageBegin = (): void => {
    stageTop = -1;
  };
  const stageReserve = (bytes: number): number => {
    if (stageTop < 0) {
      stageEnd = arena.mark();
      stageTop = stageEnd - arena.freeBytes();
    }
    const at = stageTop;
    stageTop += (bytes + 63) & ~63;
    if (stageTop > stageEnd) {
      throw new RangeError(`wasm kernels: out of memory staging ${bytes} bytes; raise MITRA_NN_MEMORY_MB (now ${buffer.byteLength >>> 20})`);
    }
    return at;
  };
  /** Pointer to the first n floats of arr, copied into staging (when copyIn) unless it lives in wasm memory. */
  const ptr = (arr: Float32Array, n: number, copyIn: boolean): number => {
    if (arr.buffer === buffer) return arr.byteOffset;
    const at = stageReserve(n * 4);
    if (copyIn) heap.set(arr.length === n ? arr : arr.subarray(0, n), at >>> 2);
    return at;
  };
  const copyOut = (arr: Float32Array, at: number, n: number): void => {
    if (arr.buffer !== buffer) arr.set(heap.subarray(at >>> 2, (at >>> 2) + n));
  };

  const gemm: Kernels['gemm'] = (a, b, c, m, n, k, transA, transB, accumulate) => {
    if (a.length < m * k || b.length < k * n || c.length < m * n) {
      throw new RangeError(`gemm: arrays of length ${a.length}, ${b.length}, ${c.length} are too short for m=${m} n=${n} k=${k}`);
    }
    stageBegin();
    const pa = ptr(a, m * k, true);
    const pb = b === a ? pa : ptr(b, k * n, true);
    const pc = ptr(c, m * n, accumulate);
    const scratchBytes = w.gemmScratchBytes(m, n, k);
    const scratch = scratchBytes > 0 ? stageReserve(scratchBytes) : 0;
    w.gemm(pa, pb, pc, m, n, k, (transA ? 1 : 0) | (transB ? 2 : 0) | (accumulate ? 4 : 0), scratch);
    copyOut(c, pc, m * n);
  };

  const checkLen = (name: string, n: number, ...arrays: Float32Array[]): void => {
    for (const arr of arrays) if (arr.length < n) throw new RangeError(`${name}: array of length ${arr.length} is shorter than ${n}`);
  };

  /** A reduction of a rows x cols matrix into `outLen` values (column sums, row sums, softplus row sums). */
  const reduce = (
    name: string, fn: (x: number, out: number, rows: number, cols: number, accumulate: number) => void,
    x: Float32Array, out: Float32Array, rows: number, cols: number, outLen: number, accumulate: boolean,
  ): void => {
    checkLen(name, rows * cols, x);
    checkLen(name, outLen, out);
    stageBegin();
    const px = ptr(x, rows * cols, true);
    const po = ptr(out, outLen, accumulate);
    fn(px, po, rows, cols, accumulate ? 1 : 0);
    copyOut(out, po, outLen);
  };

  return {
    name: 'wasm-simd',
    alloc: (n) => arena.alloc(n) ?? new Float32Array(n),
    allocScratch: (n) => arena.allocScratch(n) ?? new Float32Array(n),
    scratchMark: () => arena.mark(),
    scratchRelease: (mark) => arena.release(mark),
    gemm,

    addRowVector(x, bias, out, rows, cols) {
      const n = rows * cols;
      if (x.length < n || out.length < n || bias.length < cols) {
        checkLen('addRowVector', n, x, out);
        checkLen('addRowVector', cols, bias);
      }
      stageBegin();
      const px = ptr(x, n, true);
      const pbias = ptr(bias, cols, true);
      const po = out === x ? px : ptr(out, n, false);
      w.addRowVector(px, pbias, po, rows, cols);
      copyOut(out, po, n);
    },

    sumRows: (x, out, rows, cols, accumulate) => reduce('sumRows', w.sumRows, x, out, rows, cols, cols, accumulate),
    sumCols: (x, out, rows, cols, accumulate) => reduce('sumCols', w.sumCols, x, out, rows, cols, rows, accumulate),

    sumAll(x, n) {
      checkLen('sumAll', n, x);
      stageBegin();
      return w.sumAll(ptr(x, n, true), n);
    },

    unary(op: Unary, x, out, n, param) {
      if (x.length < n || out.length < n) checkLen('unary', n, x, out);
      if (op < 0 || op > 13) throw new RangeError(`unary: unknown op ${String(op)}`);
      stageBegin();
      const px = ptr(x, n, true);
      const po = out === x ? px : ptr(out, n, false);
      w.unary(op, px, po, n, param);
      copyOut(out, po, n);
    },

    unaryBackward(op: Unary, x, y, gy, gx, n, param) {
      if (x.length < n || y.length < n || gy.length < n || gx.length < n) checkLen('unaryBackward', n, x, y, gy, gx);
      if (op < 0 || op > 13) throw new RangeError(`unaryBackward: unknown op ${String(op)}`);
      stageBegin();
      const px = ptr(x, n, true);
      const py = y === x ? px : ptr(y, n, true);
      const pgy = ptr(gy, n, true);
      const pgx = ptr(gx, n, true);
      w.unaryBackward(op, px, py, pgy, pgx, n, param);
      copyOut(gx, pgx, n);
    },

    binary(op: Binary, a, b, out, n) {
      if (a.length < n || b.length < n || out.length < n) checkLen('binary', n, a, b, out);
      if (op < 0 || op > 5) throw new RangeError(`binary: unknown op ${String(op)}`);
      stageBegin();
      const pa = ptr(a, n, true);
      const pb = b === a ? pa : ptr(b, n, true);
      const po = out === a ? pa : out === b ? pb : ptr(out, n, false);
      w.binary(op, pa, pb, po, n);
      copyOut(out, po, n);
    },

    axpy(alpha, x, y, n) {
      if (x.length < n || y.length < n) checkLen('axpy', n, x, y);
      stageBegin();
      const px = ptr(x, n, true);
      const py = y === x ? px : ptr(y, n, true);
      w.axpy(alpha, px, py, n);
      copyOut(y, py, n);
    },

    mulAcc(gy, b, gx, n) {
      if (gy.length < n || b.length < n || gx.length < n) checkLen('mulAcc', n, gy, b, gx);
      stageBegin();
      const pgy = ptr(gy, n, true);
      const pb = b === gy ? pgy : ptr(b, n, true);
      const pgx = gx === gy ? pgy : gx === b ? pb : ptr(gx, n, true);
      w.mulAcc(pgy, pb, pgx, n);
      copyOut(gx, pgx, n);
    },

    fill(x, value, n) {
      checkLen('fill', n, x);
      if (x.buffer !== buffer) { x.fill(value, 0, n); return; }
      w.fill(x.byteOffset, value, n);
    },

    logSoftmaxRows(x, out, rows, cols) {
      const n = rows * cols;
      checkLen('logSoftmaxRows', n, x, out);
      stageBegin();
      const px = ptr(x, n, true);
      const po = out === x ? px : ptr(out, n, false);
      w.logSoftmaxRows(px, po, rows, cols);
      copyOut(out, po, n);
    },

    adam(p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2) {
      if (p.length < n || g.length < n || m.length < n || v.length < n) checkLen('adam', n, p, g, m, v);
      stageBegin();
      const pp = ptr(p, n, true);
      const pg = ptr(g, n, true);
      const pm = ptr(m, n, true);
      const pv = ptr(v, n, true);
      w.adam(pp, pg, pm, pv, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
      copyOut(p, pp, n);
      copyOut(m, pm, n);
      copyOut(v, pv, n);
    },

    sumSquares(x, n) {
      checkLen('sumSquares', n, x);
      stageBegin();
      return w.sumSquares(ptr(x, n, true), n);
    },

    softplusRowSums: (x, out, rows, cols, accumulate) => reduce('softplusRowSums', w.softplusRowSums, x, out, rows, cols, rows, accumulate),

    softplusRowSumsBackward(x, gRow, gx, rows, cols) {
      const n = rows * cols;
      checkLen('softplusRowSumsBackward', n, x, gx);
      checkLen('softplusRowSumsBackward', rows, gRow);
      stageBegin();
      const px = ptr(x, n, true);
      const pg = ptr(gRow, rows, true);
      const pgx = ptr(gx, n, true);
      w.softplusRowSumsBackward(px, pg, pgx, rows, cols);
      copyOut(gx, pgx, n);
    },
  };
}
