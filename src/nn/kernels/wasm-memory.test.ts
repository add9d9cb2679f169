// The WebAssembly backend's memory: arena allocation, scratch marks, the heap
// fallback when the fixed memory is full, and loading failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createWasmKernels } from './wasm-kernels.js';

test('alloc is zero-filled wasm memory; scratch is released in stack order', () => {
  const k = createWasmKernels({ memoryMiB: 16 });
  assert.ok(k, 'build/kernels.wasm did not load');
  const p = k.alloc(100);
  assert.equal(p.length, 100);
  assert.ok(p.every((v) => v === 0));
  const mark = k.scratchMark();
  const s1 = k.allocScratch(1000);
  const s2 = k.allocScratch(10);
  assert.equal(s1.buffer, p.buffer, 'scratch shares the wasm memory');
  assert.ok(s2.byteOffset < s1.byteOffset, 'scratch grows down');
  k.scratchRelease(mark);
  assert.equal(k.allocScratch(1000).byteOffset, s1.byteOffset, 'released scratch is reused');
});

test('a full arena falls back to heap arrays that still compute correctly', () => {
  const k = createWasmKernels({ memoryMiB: 16 });
  assert.ok(k);
  // 16 MiB holds 4 Mi floats: the second 3 Mi-float array cannot fit.
  const big = k.alloc(3 * 1024 * 1024);
  const spill = k.alloc(3 * 1024 * 1024);
  assert.equal(big.buffer.byteLength, 16 * 1024 * 1024);
  assert.notEqual(spill.buffer, big.buffer, 'falls back to a heap array');
  spill.fill(2);
  k.unary(11, spill, spill, 5, 3); // MulScalar by 3
  assert.deepEqual(Array.from(spill.subarray(0, 6)), [6, 6, 6, 6, 6, 2]);
});

test('staging larger than the free memory is a one-line RangeError', () => {
  const k = createWasmKernels({ memoryMiB: 16 });
  assert.ok(k);
  k.alloc(3 * 1024 * 1024);
  const heapArr = new Float32Array(2 * 1024 * 1024);
  assert.throws(() => k.unary(0, heapArr, heapArr, heapArr.length, 0), /raise MITRA_NN_MEMORY_MB/);
});

test('a missing module gives null; a bad memory size names the variable', () => {
  assert.equal(createWasmKernels({ wasmPath: '/nonexistent/kernels.wasm' }), null);
  assert.throws(() => createWasmKernels({ memoryMiB: 3 }), /MITRA_NN_MEMORY_MB/);
});

test('short arrays are refused before any memory is touched', () => {
  const k = createWasmKernels({ memoryMiB: 16 });
  assert.ok(k);
  const a = k.alloc(6), b = k.alloc(6), c = k.alloc(3);
  assert.throws(() => k.gemm(a, b, c, 2, 2, 3, false, false, false), /gemm: .* too short/);
  assert.throws(() => k.binary(0, a, b, c, 6), /binary/);
});

test('MITRA_KERNELS selects the backend and rejects unknown names in one line', () => {
  const select = fileURLToPath(new URL('./select.js', import.meta.url));
  const run = (value: string): { status: number | null; out: string } => {
    const script = `import(${JSON.stringify(select)}).then((s) => { try { console.log(s.getKernels().name); } catch (e) { console.log(e.name + ': ' + e.message); } })`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, MITRA_KERNELS: value }, encoding: 'utf8' });
    return { status: r.status, out: r.stdout.trim() };
  };
  assert.equal(run('').out, 'wasm-simd');
  assert.equal(run('ts').out, 'ts');
  assert.equal(run('wasm').out, 'wasm-simd');
  assert.match(run('gpu').out, /^UserError: MITRA_KERNELS=gpu is not a kernel backend; use ts or wasm$/);
});
