// The WebAssembly SIMD kernels against the TypeScript reference, case by case:
// every kernel, every gemm transpose combination with and without accumulate,
// odd and large sizes, arena arrays (zero-copy) and heap arrays (staged copy),
// and the aliasing the interface allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/random.js';
import { Binary, Unary } from './kernels.js';
import type { Kernels } from './kernels.js';
import { createTsKernels } from './ts-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';

const ref = createTsKernels({ arenaBytes: 1 << 20 });
const maybeWasm = createWasmKernels({ memoryMiB: 256 });
assert.ok(maybeWasm, 'build/kernels.wasm did not load: run `node scripts/build-wasm.js` first');
const wasm: Kernels = maybeWasm;

/** Where the wasm operands live: its own memory (pointer path) or the JS heap (copy path). */
type Place = 'arena' | 'heap';
const PLACES: readonly Place[] = ['arena', 'heap'];

function randn(rng: Random, n: number, scale = 1): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal() * scale;
  return x;
}

/** A copy of `src` for the wasm kernels, placed as asked (scratch, released by the caller's mark). */
function put(src: Float32Array, place: Place): Float32Array {
  const dst = place === 'arena' ? wasm.allocScratch(src.length) : new Float32Array(src.length);
  dst.set(src);
  return dst;
}

/** |got - want| <= atol + rtol * scale[i] (scale defaults to |want|) at every index. */
function assertClose(got: Float32Array, want: Float32Array, rtol: number, atol: number, what: string, scale?: Float32Array): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (g === w) continue; // equal infinities
    const s = scale ? scale[i]! : Math.abs(w);
    if (!(Math.abs(g - w) <= atol + rtol * s)) {
      assert.fail(`${what}: index ${i}: wasm ${g}, ts ${w} (tolerance ${atol + rtol * s})`);
    }
  }
}

/** Run `body` and free the wasm scratch it used. */
function scoped(body: () => void): void {
  const mark = wasm.scratchMark();
  try { body(); } finally { wasm.scratchRelease(mark); }
}

function checkGemm(rng: Random, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean, places: readonly [Place, Place, Place]): void {
  const a = randn(rng, m * k), b = randn(rng, k * n), c0 = randn(rng, m * n);
  const want = c0.slice();
  ref.gemm(a, b, want, m, n, k, transA, transB, accumulate);
  // The float32 rounding error of a k-term dot product is bounded by about
  // k * 2^-24 * sum |a||b|; 1e-5 of that magnitude allows k up to ~170 at the
  // worst case and far more in practice (errors grow like sqrt(k)).
  const absA = a.map(Math.abs), absB = b.map(Math.abs);
  const scale = accumulate ? c0.map(Math.abs) : new Float32Array(m * n);
  ref.gemm(absA, absB, scale, m, n, k, transA, transB, true);
  scoped(() => {
    const wa = put(a, places[0]), wb = put(b, places[1]), wc = put(c0, places[2]);
    wasm.gemm(wa, wb, wc, m, n, k, transA, transB, accumulate);
    const what = `gemm m=${m} n=${n} k=${k} transA=${transA} transB=${transB} acc=${accumulate} ${places.join('/')}`;
    assertClose(wc, want, 1e-5, 1e-30, what, scale);
  });
}

const TRANS: readonly (readonly [boolean, boolean])[] = [[false, false], [true, false], [false, true], [true, true]];

test('gemm: every transpose combination, accumulate on and off, odd sizes', () => {
  const rng = new Random(1);
  const sizes = [1, 3, 7, 17, 65];
  for (const [ta, tb] of TRANS) {
    for (const acc of [false, true]) {
      for (const m of sizes) for (const n of sizes) for (const k of sizes) checkGemm(rng, m, n, k, ta, tb, acc, ['arena', 'arena', 'arena']);
    }
  }
});

test('gemm: sizes around the 4-row and 8-column blocks and the k split', () => {
  const rng = new Random(2);
  // 4/5/8/9 rows straddle the 4-row kernel and the in-place small-m path;
  // 33 columns leave a 1-wide panel; k = 300 and 513 cross the 256-row k blocks.
  const cases: [number, number, number][] = [[4, 8, 5], [5, 9, 33], [8, 33, 300], [9, 16, 513], [2, 33, 300], [33, 2, 513], [6, 6, 0]];
  for (const [ta, tb] of TRANS) {
    for (const acc of [false, true]) for (const [m, n, k] of cases) checkGemm(rng, m, n, k, ta, tb, acc, ['arena', 'arena', 'arena']);
  }
});

test('gemm: the training shapes at batch 1024 (forward, A^T B and A B^T)', () => {
  const rng = new Random(3);
  for (const acc of [false, true]) {
    checkGemm(rng, 1024, 64, 196, false, false, acc, ['arena', 'arena', 'arena']); // X W
    checkGemm(rng, 196, 64, 1024, true, false, acc, ['arena', 'arena', 'arena']); // X^T dY
    checkGemm(rng, 1024, 196, 64, false, true, acc, ['arena', 'arena', 'arena']); // dY W^T
  }
  checkGemm(rng, 196, 64, 1024, true, true, true, ['arena', 'arena', 'arena']);
});

test('gemm: heap and mixed operands take the copy path and give the same result', () => {
  const rng = new Random(4);
  const mixes: [Place, Place, Place][] = [['heap', 'heap', 'heap'], ['arena', 'heap', 'heap'], ['heap', 'arena', 'arena'], ['arena', 'arena', 'heap']];
  for (const places of mixes) {
    for (const [ta, tb] of TRANS) {
      checkGemm(rng, 17, 33, 7, ta, tb, true, places);
      checkGemm(rng, 1, 65, 26, ta, tb, false, places);
      checkGemm(rng, 70, 9, 20, ta, tb, false, places);
    }
  }
});

test('gemm: A may be passed as B (A A^T)', () => {
  const rng = new Random(5);
  for (const place of PLACES) {
    const a = randn(rng, 9 * 13);
    const want = new Float32Array(81);
    ref.gemm(a, a, want, 9, 9, 13, false, true, false);
    scoped(() => {
      const wa = put(a, place);
      const wc = put(new Float32Array(81), place);
      wasm.gemm(wa, wa, wc, 9, 9, 13, false, true, false);
      assertClose(wc, want, 1e-5, 1e-5, `gemm A A^T ${place}`);
    });
  }
});

const LENGTHS = [0, 1, 3, 7, 17, 33, 65, 1000];

/** Inputs each unary op is defined on, with extremes where the op has a stable form. */
function unaryInput(rng: Random, op: Unary, n: number): Float32Array {
  const x = randn(rng, n, 3);
  if (op === Unary.Log || op === Unary.Sqrt) return x.map((v) => Math.abs(v) + 1e-3);
  if (op === Unary.Exp || op === Unary.Sigmoid || op === Unary.Silu || op === Unary.Softplus || op === Unary.Tanh) {
    const extremes = [-100, -30, -1e-4, 0, 1e-4, 20, 30, 80, 100, 2e-3, -0.5, 0.62];
    for (let i = 0; i < Math.min(n, extremes.length); i++) x[i] = extremes[i]!;
  }
  if (op === Unary.Exp) return x.map((v) => Math.max(-100, Math.min(80, v)));
  return x;
}

/**
 * Per-op tolerances: the transcendental ops are vector approximations
 * (Cephes forms) against float64 Math rounded to float32; measured over
 * [-20, 20] their worst relative error is 1.7e-7 (about 1.5 ulp), so 5e-7
 * leaves room without hiding a wrong coefficient. The absolute part absorbs
 * results below the float32 normal range (sigmoid(-100) ~ 4e-44 comes back as 0).
 */
const UNARY_TOL: Record<number, [number, number]> = {
  [Unary.Tanh]: [5e-7, 1e-30], [Unary.Sigmoid]: [5e-7, 1e-30], [Unary.Silu]: [5e-7, 1e-30],
  [Unary.Softplus]: [5e-7, 1e-30], [Unary.Exp]: [5e-7, 1e-30], [Unary.Log]: [5e-7, 0],
};
// The rest are one or two float32 roundings against float64-then-rounded: 2 ulp.
const tolOf = (op: Unary): [number, number] => UNARY_TOL[op] ?? [2.5e-7, 0];

test('unary: every op at every length, separate output and in place', () => {
  const rng = new Random(6);
  for (const op of Object.values(Unary)) {
    const [rtol, atol] = tolOf(op);
    for (const n of LENGTHS) {
      const x = unaryInput(rng, op, n);
      const param = op === Unary.LeakyRelu ? 0.01 : op === Unary.AddScalar ? 1.5 : op === Unary.MulScalar ? -2.5 : 0;
      const want = new Float32Array(n);
      ref.unary(op, x, want, n, param);
      for (const place of PLACES) {
        scoped(() => {
          const wx = put(x, place), wo = put(new Float32Array(n), place);
          wasm.unary(op, wx, wo, n, param);
          assertClose(wo, want, rtol, atol, `unary op ${op} n=${n} ${place}`);
          assertClose(wx, x, 0, 0, `unary op ${op} n=${n} ${place}: input untouched`);
          wasm.unary(op, wx, wx, n, param);
          assertClose(wx, want, rtol, atol, `unary op ${op} n=${n} ${place} in place`);
        });
      }
    }
  }
});

test('unaryBackward: every op adds gy * f\'(x) into gx', () => {
  const rng = new Random(7);
  for (const op of Object.values(Unary)) {
    const [rtol, atol] = tolOf(op);
    for (const n of LENGTHS) {
      const x = unaryInput(rng, op, n);
      const param = op === Unary.LeakyRelu ? 0.2 : op === Unary.AddScalar ? 1.5 : op === Unary.MulScalar ? -2.5 : 0;
      const y = new Float32Array(n);
      ref.unary(op, x, y, n, param);
      const gy = randn(rng, n), gx0 = randn(rng, n);
      const want = gx0.slice();
      ref.unaryBackward(op, x, y, gy, want, n, param);
      for (const place of PLACES) {
        scoped(() => {
          const wgx = put(gx0, place);
          wasm.unaryBackward(op, put(x, place), put(y, place), put(gy, place), wgx, n, param);
          // rtol applies to |gx0| and |gy f'| as well as the sum (which may
          // cancel), and to |gy|: 1 - y^2 and y (1 - y) lose absolute, not
          // relative, accuracy when y is near 1.
          const scale = want.map((w, i) => Math.abs(w) + Math.abs(gx0[i]!) + Math.abs(w - gx0[i]!) + Math.abs(gy[i]!));
          assertClose(wgx, want, rtol, atol, `unaryBackward op ${op} n=${n} ${place}`, scale);
        });
      }
    }
  }
});

test('log and softplus: wide ranges, subnormals, signed zeros and non-finite inputs', () => {
  // The vector forms against float64 rounded to float32 over many binades and both tails.
  const n = 4099; // a scalar tail after the four-lane loop
  const logIn = new Float32Array(n), spIn = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    logIn[i] = Math.pow(2, -149 + (276 * i) / n); // from the smallest subnormal to ~2^127
    spIn[i] = -120 + (240 * i) / n;
  }
  const specials = [0, -0, -1, -1e-30, Infinity, -Infinity, NaN, 1, 1 - 2 ** -24, 1 + 2 ** -23];
  specials.forEach((v, i) => { logIn[i] = v; spIn[i] = v; });
  const cases: [Unary, Float32Array][] = [[Unary.Log, logIn], [Unary.Softplus, spIn]];
  for (const [op, x] of cases) {
    const want = new Float32Array(n);
    ref.unary(op, x, want, n, 0);
    for (const place of PLACES) {
      scoped(() => {
        const wo = put(new Float32Array(n), place);
        wasm.unary(op, put(x, place), wo, n, 0);
        // 1e-6 relative (log: about 1 ulp measured); the absolute part covers
        // softplus results below the float32 normal range, which flush to 0.
        assertClose(wo, want, 1e-6, op === Unary.Softplus ? 1e-37 : 0, `unary op ${op} wide ${place}`);
      });
    }
  }
});

test('softplusRowSums and softplusRowSumsBackward over row/column shapes', () => {
  const rng = new Random(14);
  for (const [rows, cols] of [...SHAPES, [33, 1024] as [number, number]]) {
    const x = randn(rng, rows * cols, 8);
    if (x.length > 3) { x[0] = 95; x[1] = -95; x[2] = 0; }
    const absSp = new Float32Array(rows * cols);
    ref.unary(Unary.Softplus, x, absSp, rows * cols, 0);
    const scale0 = new Float32Array(rows);
    ref.sumCols(absSp, scale0, rows, cols, false); // softplus >= 0: the sum of magnitudes
    for (const acc of [false, true]) {
      const o0 = randn(rng, rows);
      const want = o0.slice();
      ref.softplusRowSums(x, want, rows, cols, acc);
      const scale = scale0.map((s, r) => s + (acc ? Math.abs(o0[r]!) : 0));
      for (const place of PLACES) {
        scoped(() => {
          const wo = put(o0, place);
          wasm.softplusRowSums(put(x, place), wo, rows, cols, acc);
          assertClose(wo, want, 1e-5, 1e-30, `softplusRowSums ${rows}x${cols} acc=${acc} ${place}`, scale);
        });
      }
    }
    const g = randn(rng, rows), gx0 = randn(rng, rows * cols);
    const wantG = gx0.slice();
    ref.softplusRowSumsBackward(x, g, wantG, rows, cols);
    const scaleG = wantG.map((w, i) => Math.abs(w) + Math.abs(gx0[i]!) + Math.abs(g[Math.floor(i / cols)]!));
    for (const place of PLACES) {
      scoped(() => {
        const wgx = put(gx0, place);
        wasm.softplusRowSumsBackward(put(x, place), put(g, place), wgx, rows, cols);
        assertClose(wgx, wantG, 5e-7, 1e-30, `softplusRowSumsBackward ${rows}x${cols} ${place}`, scaleG);
      });
    }
  }
});

test('binary: every op, separate output and out aliasing a or b', () => {
  const rng = new Random(8);
  for (const op of Object.values(Binary)) {
    for (const n of LENGTHS) {
      const a = randn(rng, n), b = randn(rng, n);
      if (op === Binary.Div) for (let i = 0; i < n; i++) b[i] = b[i]! + (b[i]! >= 0 ? 0.1 : -0.1);
      const want = new Float32Array(n);
      ref.binary(op, a, b, want, n);
      for (const place of PLACES) {
        scoped(() => {
          const wa = put(a, place), wb = put(b, place), wo = put(new Float32Array(n), place);
          wasm.binary(op, wa, wb, wo, n);
          assertClose(wo, want, 0, 0, `binary op ${op} n=${n} ${place}`);
          wasm.binary(op, wa, wb, wa, n);
          assertClose(wa, want, 0, 0, `binary op ${op} n=${n} ${place} out = a`);
          const wa2 = put(a, place);
          wasm.binary(op, wa2, wb, wb, n);
          assertClose(wb, want, 0, 0, `binary op ${op} n=${n} ${place} out = b`);
        });
      }
    }
  }
});

test('axpy, mulAcc and fill', () => {
  const rng = new Random(9);
  for (const n of LENGTHS) {
    const x = randn(rng, n), y0 = randn(rng, n), b = randn(rng, n);
    const wantAxpy = y0.slice();
    ref.axpy(-0.75, x, wantAxpy, n);
    const wantMul = y0.slice();
    ref.mulAcc(x, b, wantMul, n);
    for (const place of PLACES) {
      scoped(() => {
        const wy = put(y0, place);
        wasm.axpy(-0.75, put(x, place), wy, n);
        assertClose(wy, wantAxpy, 1e-7, 1e-7, `axpy n=${n} ${place}`);
        const wg = put(y0, place);
        wasm.mulAcc(put(x, place), put(b, place), wg, n);
        assertClose(wg, wantMul, 1e-7, 1e-7, `mulAcc n=${n} ${place}`);
        const wf = put(x, place);
        wasm.fill(wf, 0.3, n);
        assertClose(wf, new Float32Array(n).fill(0.3), 0, 0, `fill n=${n} ${place}`);
      });
    }
  }
});

const SHAPES: [number, number][] = [[1, 1], [1, 26], [3, 1], [7, 3], [17, 33], [65, 7], [1024, 64], [1024, 1], [5, 196]];

test('addRowVector, sumRows and sumCols over row/column shapes', () => {
  const rng = new Random(10);
  for (const [rows, cols] of SHAPES) {
    const x = randn(rng, rows * cols), bias = randn(rng, cols);
    const wantAdd = new Float32Array(rows * cols);
    ref.addRowVector(x, bias, wantAdd, rows, cols);
    for (const place of PLACES) {
      scoped(() => {
        const wx = put(x, place), wo = put(new Float32Array(rows * cols), place);
        wasm.addRowVector(wx, put(bias, place), wo, rows, cols);
        assertClose(wo, wantAdd, 0, 0, `addRowVector ${rows}x${cols} ${place}`);
        wasm.addRowVector(wx, put(bias, place), wx, rows, cols);
        assertClose(wx, wantAdd, 0, 0, `addRowVector ${rows}x${cols} ${place} in place`);
      });
      for (const acc of [false, true]) {
        // Sums of up to 1024 terms in float32 in a different order: within
        // ~sqrt(1024) * 2^-24 * sum|x|; 1e-5 of sum|x| is ample.
        const r0 = randn(rng, cols), c0 = randn(rng, rows);
        const wantRows = r0.slice(), wantCols = c0.slice();
        ref.sumRows(x, wantRows, rows, cols, acc);
        ref.sumCols(x, wantCols, rows, cols, acc);
        const absX = x.map(Math.abs);
        const rowScale = acc ? r0.map(Math.abs) : new Float32Array(cols);
        const colScale = acc ? c0.map(Math.abs) : new Float32Array(rows);
        ref.sumRows(absX, rowScale, rows, cols, true);
        ref.sumCols(absX, colScale, rows, cols, true);
        scoped(() => {
          const wr = put(r0, place), wc = put(c0, place);
          wasm.sumRows(put(x, place), wr, rows, cols, acc);
          wasm.sumCols(put(x, place), wc, rows, cols, acc);
          assertClose(wr, wantRows, 1e-5, 0, `sumRows ${rows}x${cols} acc=${acc} ${place}`, rowScale);
          assertClose(wc, wantCols, 1e-5, 0, `sumCols ${rows}x${cols} acc=${acc} ${place}`, colScale);
        });
      }
    }
  }
});

test('sumAll and sumSquares accumulate in float64', () => {
  const rng = new Random(11);
  for (const n of [...LENGTHS, 100003]) {
    const x = randn(rng, n);
    for (const place of PLACES) {
      scoped(() => {
        const wx = put(x, place);
        // Both sum float32 inputs exactly converted to float64; only the order differs.
        const s = wasm.sumAll(wx, n), want = ref.sumAll(x, n);
        assert.ok(Math.abs(s - want) <= 1e-12 * (1 + n), `sumAll n=${n} ${place}: ${s} vs ${want}`);
        const q = wasm.sumSquares(wx, n), wantQ = ref.sumSquares(x, n);
        assert.ok(Math.abs(q - wantQ) <= 1e-12 * (1 + wantQ), `sumSquares n=${n} ${place}: ${q} vs ${wantQ}`);
      });
    }
  }
  // 2^24 + 1 + 1 - 2^24 is 2 in float64 but 0 in a float32 accumulator.
  const x = new Float32Array([16777216, 1, 1, -16777216, 0]);
  scoped(() => assert.equal(wasm.sumAll(put(x, 'arena'), 5), 2));
});

test('logSoftmaxRows: separate output and in place, including large logits', () => {
  const rng = new Random(12);
  for (const [rows, cols] of SHAPES) {
    const x = randn(rng, rows * cols, 5);
    if (x.length > 2) { x[0] = 500; x[1] = -500; }
    const want = new Float32Array(rows * cols);
    ref.logSoftmaxRows(x, want, rows, cols);
    for (const place of PLACES) {
      scoped(() => {
        const wx = put(x, place), wo = put(new Float32Array(rows * cols), place);
        wasm.logSoftmaxRows(wx, wo, rows, cols);
        // out = x - lse: absolute error a few ulp of max(|x|, lse).
        const scale = x.map((v, i) => Math.abs(v) + Math.abs(want[i]!));
        assertClose(wo, want, 2e-6, 1e-6, `logSoftmaxRows ${rows}x${cols} ${place}`, scale);
        wasm.logSoftmaxRows(wx, wx, rows, cols);
        assertClose(wx, want, 2e-6, 1e-6, `logSoftmaxRows ${rows}x${cols} ${place} in place`, scale);
      });
    }
  }
});

test('adam: several steps with and without weight decay', () => {
  const rng = new Random(13);
  for (const n of LENGTHS) {
    for (const wd of [0, 0.01]) {
      for (const place of PLACES) {
        const p = randn(rng, n), m = new Float32Array(n), v = new Float32Array(n);
        scoped(() => {
          const wp = put(p, place), wm = put(m, place), wv = put(v, place);
          const b1 = 0.9, b2 = 0.999;
          for (let t = 1; t <= 5; t++) {
            const g = randn(rng, n);
            const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
            ref.adam(p, g, m, v, n, 1e-3, b1, b2, 1e-8, wd, bc1, bc2);
            wasm.adam(wp, put(g, place), wm, wv, n, 1e-3, b1, b2, 1e-8, wd, bc1, bc2);
          }
          // float32 arithmetic against float64-then-rounded: steps are ~1e-3,
          // so their few-ulp differences stay far below 1e-6 absolute.
          assertClose(wp, p, 1e-6, 1e-7, `adam p n=${n} wd=${wd} ${place}`);
          assertClose(wm, m, 1e-5, 1e-7, `adam m n=${n} wd=${wd} ${place}`);
          assertClose(wv, v, 1e-5, 1e-9, `adam v n=${n} wd=${wd} ${place}`);
        });
      }
    }
  }
});
