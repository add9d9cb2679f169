import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from './grad-check.js';
import type { GradCheckCase } from './grad-check.js';
import { concatCols, diag, gatherRows, pickCols, sliceCols } from './ops-shape.js';
import { scope } from './scope.js';
import { fromArray, tensor } from './tensor.js';

function check(name: string, c: GradCheckCase): void {
  const r = gradCheck(c, new Random(3));
  assert.ok(r.forwardError === 0, `${name}: forward error ${r.forwardError}`);
  assert.ok(r.gradError < 1e-4, `${name}: gradient error ${r.gradError}`);
}

test('gradient of concatCols matches finite differences', () => {
  const rng = new Random(1);
  check('concatCols', {
    inputs: [{ rows: 3, cols: 2, values: randomValues(rng, 6) }, { rows: 3, cols: 1, values: randomValues(rng, 3) }, { rows: 3, cols: 3, values: randomValues(rng, 9) }],
    forward: (xs) => concatCols(xs),
    reference: ([a, b, c]) => {
      const out: number[] = [];
      for (let r = 0; r < 3; r++) out.push(a![2 * r]!, a![2 * r + 1]!, b![r]!, c![3 * r]!, c![3 * r + 1]!, c![3 * r + 2]!);
      return out;
    },
  });
});

test('gradient of sliceCols matches finite differences', () => {
  const rng = new Random(2);
  check('sliceCols', {
    inputs: [{ rows: 3, cols: 5, values: randomValues(rng, 15) }],
    forward: ([x]) => sliceCols(x!, 1, 4),
    reference: ([x]) => [0, 1, 2].flatMap((r) => [1, 2, 3].map((c) => x![r * 5 + c]!)),
  });
});

test('gradient of gatherRows (with repeats) matches finite differences', () => {
  const rng = new Random(3);
  const idx = [2, 0, 2, 3];
  check('gatherRows', {
    inputs: [{ rows: 4, cols: 3, values: randomValues(rng, 12) }],
    forward: ([x]) => gatherRows(x!, idx),
    reference: ([x]) => idx.flatMap((i) => [0, 1, 2].map((c) => x![i * 3 + c]!)),
  });
});

test('gradient of pickCols and diag matches finite differences', () => {
  const rng = new Random(4);
  const idx = [1, 0, 2, 1];
  check('pickCols', {
    inputs: [{ rows: 4, cols: 3, values: randomValues(rng, 12) }],
    forward: ([x]) => pickCols(x!, idx),
    reference: ([x]) => idx.map((c, r) => x![r * 3 + c]!),
  });
  check('diag', {
    inputs: [{ rows: 3, cols: 3, values: randomValues(rng, 9) }],
    forward: ([x]) => diag(x!),
    reference: ([x]) => [x![0]!, x![4]!, x![8]!],
  });
});

test('shape op errors name the op', () => {
  const a = tensor([1, 2, 3, 4, 5, 6], 2, 3);
  assert.throws(() => concatCols([a, tensor([1], 1, 1)]), /^RangeError: concatCols: row counts differ/);
  assert.throws(() => sliceCols(a, 2, 4), /^RangeError: sliceCols: range \[2, 4\) is not inside the 3 columns/);
  assert.throws(() => gatherRows(a, [0, 2]), /^RangeError: gatherRows: row index 2 at position 1 is outside \[0, 2\)/);
  assert.throws(() => pickCols(a, [0]), /^RangeError: pickCols: 1 indices for 2 rows/);
  assert.throws(() => diag(a), /^RangeError: diag: matrix \[2, 3\] is not square/);
});

test('concatCols and sliceCols copy wide rows the same in scope (arena) and heap storage', () => {
  // Rows of 16 floats and more take the native copy (copyWithin in one buffer, set across buffers).
  const rng = new Random(9);
  const rows = 5, wa = 37, wb = 3, wc = 20;
  const va = randomValues(rng, rows * wa), vb = randomValues(rng, rows * wb), vc = randomValues(rng, rows * wc);
  const want: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < wa; c++) want.push(Math.fround(va[r * wa + c]!));
    for (let c = 0; c < wb; c++) want.push(Math.fround(vb[r * wb + c]!));
    for (let c = 0; c < wc; c++) want.push(Math.fround(vc[r * wc + c]!));
  }
  const width = wa + wb + wc;
  const sliceWant = (lo: number, hi: number): number[] => want.filter((_, i) => i % width >= lo && i % width < hi);
  const heap = [fromArray(Float32Array.from(va), rows, wa), fromArray(Float32Array.from(vb), rows, wb), fromArray(Float32Array.from(vc), rows, wc)];
  const viaHeap = concatCols(heap);
  assert.deepEqual(viaHeap.toArray(), want);
  assert.deepEqual(sliceCols(viaHeap, 2, 40).toArray(), sliceWant(2, 40));
  scope(() => {
    const inScope = concatCols([tensor(va, rows, wa), tensor(vb, rows, wb), tensor(vc, rows, wc)]);
    assert.deepEqual(inScope.toArray(), want);
    assert.deepEqual(sliceCols(inScope, 2, 40).toArray(), sliceWant(2, 40));
    assert.deepEqual(sliceCols(inScope, 40, 60).toArray(), sliceWant(40, 60));
    assert.deepEqual(concatCols([inScope, viaHeap]).toArray().slice(0, 2 * width), [...want.slice(0, width), ...want.slice(0, width)]);
  });
});
