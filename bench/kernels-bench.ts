// Kernel throughput, WebAssembly SIMD against the TypeScript reference: the
// matrix products of a batch-1024 critic update (forward X W, backward X^T dY
// and dY W^T), the batch-1 actor chain, and the big elementwise kernels.
// Run alone: node dist/bench/kernels-bench.js [--json]
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/random.js';
import { Unary } from '../src/nn/kernels/kernels.js';
import type { Kernels } from '../src/nn/kernels/kernels.js';
import { kernelsByName } from '../src/nn/kernels/select.js';

/** Seconds per call of fn: the best of `rounds` timed batches of calls lasting at least `minMs` each. */
function timePerCall(fn: () => void, minMs = 60, rounds = 5): number {
  let reps = 1;
  for (;;) { // grow the batch until it lasts minMs (also warms up the JIT)
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= minMs) break;
    reps *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best / 1000;
}

function filled(k: Kernels, n: number, rng: Random): Float32Array {
  const x = k.alloc(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

/** GFLOP/s of C (m x n) = op(A) op(B) with operands in the backend's arena. */
function gemmGflops(k: Kernels, m: number, n: number, kk: number, transA: boolean, transB: boolean, rng: Random): number {
  const a = filled(k, m * kk, rng), b = filled(k, kk * n, rng), c = k.alloc(m * n);
  const s = timePerCall(() => k.gemm(a, b, c, m, n, kk, transA, transB, false));
  return (2 * m * n * kk) / s / 1e9;
}

/** Microseconds for one observation through 26 -> 64 -> 64 -> 2 (gemm, bias, tanh per hidden layer). */
function actorChainUs(k: Kernels, rng: Random): number {
  const x = filled(k, 26, rng);
  const w1 = filled(k, 26 * 64, rng), b1 = filled(k, 64, rng), h1 = k.alloc(64);
  const w2 = filled(k, 64 * 64, rng), b2 = filled(k, 64, rng), h2 = k.alloc(64);
  const w3 = filled(k, 64 * 2, rng), b3 = filled(k, 2, rng), y = k.alloc(2);
  return 1e6 * timePerCall(() => {
    k.gemm(x, w1, h1, 1, 64, 26, false, false, false);
    k.addRowVector(h1, b1, h1, 1, 64);
    k.unary(Unary.Tanh, h1, h1, 64, 0);
    k.gemm(h1, w2, h2, 1, 64, 64, false, false, false);
    k.addRowVector(h2, b2, h2, 1, 64);
    k.unary(Unary.Tanh, h2, h2, 64, 0);
    k.gemm(h2, w3, y, 1, 2, 64, false, false, false);
    k.addRowVector(y, b3, y, 1, 2);
  });
}

/** Microseconds per call for the batch-1024 elementwise work of a 64-wide layer. */
function elementwiseUs(k: Kernels, rng: Random): Record<string, number> {
  const n = 1024 * 64;
  const x = filled(k, n, rng), y = k.alloc(n), g = filled(k, n, rng), gx = k.alloc(n), bias = filled(k, 64, rng);
  const p = filled(k, 17000, rng), pg = filled(k, 17000, rng), m = k.alloc(17000), v = k.alloc(17000);
  const col = k.alloc(64);
  return {
    reluUs: 1e6 * timePerCall(() => k.unary(Unary.Relu, x, y, n, 0), 30),
    reluBackwardUs: 1e6 * timePerCall(() => k.unaryBackward(Unary.Relu, x, y, g, gx, n, 0), 30),
    tanhUs: 1e6 * timePerCall(() => k.unary(Unary.Tanh, x, y, n, 0), 30),
    siluUs: 1e6 * timePerCall(() => k.unary(Unary.Silu, x, y, n, 0), 30),
    addRowVectorUs: 1e6 * timePerCall(() => k.addRowVector(x, bias, y, 1024, 64), 30),
    sumRowsUs: 1e6 * timePerCall(() => k.sumRows(g, col, 1024, 64, false), 30),
    // 17000 parameters: about the critic 196 -> 64 -> 64 -> 1.
    adam17kUs: 1e6 * timePerCall(() => k.adam(p, pg, m, v, 17000, 1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.001), 30),
  };
}

/**
 * Kernel figures keyed `kernels.<backend>.<figure>`: gemm GFLOP/s for the
 * critic's 1024x196 . 196x64 forward product (`gemmGflops`) and its backward
 * products X^T dY (`gemmTnGflops`, 196x1024 . 1024x64) and dY W^T
 * (`gemmNtGflops`, 1024x64 . 64x196), the batch-1 actor chain in microseconds,
 * and elementwise kernels over 1024 x 64 in microseconds.
 */
export function benchKernels(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['wasm', 'ts'] as const) {
    const k = kernelsByName(name);
    if (k === null) continue;
    const rng = new Random(1);
    const mark = k.scratchMark();
    const key = `kernels.${name}.`;
    out[key + 'gemmGflops'] = gemmGflops(k, 1024, 64, 196, false, false, rng);
    out[key + 'gemmTnGflops'] = gemmGflops(k, 196, 64, 1024, true, false, rng);
    out[key + 'gemmNtGflops'] = gemmGflops(k, 1024, 196, 64, false, true, rng);
    out[key + 'gemmTtGflops'] = gemmGflops(k, 196, 64, 1024, true, true, rng);
    out[key + 'gemvUs'] = 1e6 / 1e9 * (2 * 64 * 64) / gemmGflops(k, 1, 64, 64, false, false, rng);
    out[key + 'actorChainUs'] = actorChainUs(k, rng);
    for (const [fig, us] of Object.entries(elementwiseUs(k, rng))) out[key + fig] = us;
    k.scratchRelease(mark);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = benchKernels();
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
  else for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(34)} ${value.toFixed(3)}`);
}
