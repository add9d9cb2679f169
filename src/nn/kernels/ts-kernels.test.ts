// The TypeScript reference kernels against direct float64 formulas (the
// WebAssembly kernels are compared against these in kernels-parity.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/random.js';
import { Binary, Unary } from './kernels.js';
import { createTsKernels } from './ts-kernels.js';

const k = createTsKernels({ arenaBytes: 1 << 16 });
const rng = new Random(1);
const rand = (n: number): Float32Array => new Float32Array(n).map(() => rng.uniform(-1, 1));

test('gemm: every transpose and accumulate combination equals the float64 triple loop', () => {
  const [m, n, kk] = [5, 7, 3];
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      for (const acc of [false, true]) {
        const a = rand(m * kk);
        const b = rand(kk * n);
        const c = rand(m * n);
        const want = Array.from(c, (v, idx) => {
          const i = Math.floor(idx / n), j = idx % n;
          let s = acc ? v : 0;
          for (let p = 0; p < kk; p++) s += (tA ? a[p * m + i]! : a[i * kk + p]!) * (tB ? b[j * kk + p]! : b[p * n + j]!);
          return s;
        });
        k.gemm(a, b, c, m, n, kk, tA, tB, acc);
        c.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `tA ${tA} tB ${tB} acc ${acc} at ${i}`));
      }
    }
  }
});

test('unary and unaryBackward agree with their formulas and derivatives', () => {
  const x = rand(9).map((v) => v * 3);
  const pos = x.map((v) => Math.abs(v) + 0.1);
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const table: [Unary, Float32Array, (v: number) => number, (v: number) => number][] = [
    [Unary.Relu, x, (v) => Math.max(v, 0), (v) => (v > 0 ? 1 : 0)],
    [Unary.Tanh, x, Math.tanh, (v) => 1 - Math.tanh(v) ** 2],
    [Unary.Sigmoid, x, sig, (v) => sig(v) * (1 - sig(v))],
    [Unary.Silu, x, (v) => v * sig(v), (v) => sig(v) + v * sig(v) * (1 - sig(v))],
    [Unary.Softplus, x, (v) => Math.log(1 + Math.exp(v)), sig],
    [Unary.Log, pos, Math.log, (v) => 1 / v],
    [Unary.Sqrt, pos, Math.sqrt, (v) => 0.5 / Math.sqrt(v)],
  ];
  for (const [op, input, f, df] of table) {
    const y = new Float32Array(9);
    k.unary(op, input, y, 9, 0);
    const gy = rand(9);
    const gx = new Float32Array(9).fill(0.5);
    k.unaryBackward(op, input, y, gy, gx, 9, 0);
    input.forEach((v, i) => {
      assert.ok(Math.abs(y[i]! - f(v)) < 1e-6, `op ${op} value`);
      assert.ok(Math.abs(gx[i]! - (0.5 + gy[i]! * df(v))) < 1e-5, `op ${op} derivative`);
    });
  }
});

test('binary, reductions, logSoftmaxRows and the scratch arena', () => {
  const a = Float32Array.of(1, -2, 3, 4);
  const b = Float32Array.of(2, 2, -1, 8);
  const out = new Float32Array(4);
  k.binary(Binary.Div, a, b, out, 4);
  assert.deepEqual(Array.from(out), [0.5, -1, -3, 0.5]);
  k.sumRows(a, out, 2, 2, false); // column sums of [[1,-2],[3,4]]
  assert.deepEqual(Array.from(out.subarray(0, 2)), [4, 2]);
  k.sumCols(a, out, 2, 2, false); // row sums
  assert.deepEqual(Array.from(out.subarray(0, 2)), [-1, 7]);
  k.logSoftmaxRows(Float32Array.of(0, Math.log(3)), out, 1, 2); // probabilities 1/4, 3/4
  assert.ok(Math.abs(out[0]! - Math.log(0.25)) < 1e-6 && Math.abs(out[1]! - Math.log(0.75)) < 1e-6);
  const mark = k.scratchMark();
  const s = k.allocScratch(10);
  assert.equal(s.length, 10);
  k.scratchRelease(mark);
  assert.equal(k.scratchMark(), mark);
  // A request larger than the 64 KiB arena falls back to the heap instead of failing.
  assert.equal(k.allocScratch(1 << 15).length, 1 << 15);
});

test('softplusRowSums and its backward equal the float64 row sums and sigmoid', () => {
  const rows = 3, cols = 5;
  const x = rand(rows * cols).map((v) => v * 40); // both signs, large |x| included
  const sp = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  for (const acc of [false, true]) {
    const out = Float32Array.of(1, 2, 3);
    k.softplusRowSums(x, out, rows, cols, acc);
    for (let r = 0; r < rows; r++) {
      let s = acc ? r + 1 : 0;
      for (let c = 0; c < cols; c++) s += sp(x[r * cols + c]!);
      assert.ok(Math.abs(out[r]! - s) < 1e-5 * (1 + Math.abs(s)), `row ${r} acc=${acc}: ${out[r]} vs ${s}`);
    }
  }
  const g = Float32Array.of(0.5, -2, 3);
  const gx = new Float32Array(rows * cols).fill(0.25);
  k.softplusRowSumsBackward(x, g, gx, rows, cols);
  gx.forEach((v, i) => assert.ok(Math.abs(v - (0.25 + g[Math.floor(i / cols)]! * sig(x[i]!))) < 1e-6, `gradient ${i}`));
});
