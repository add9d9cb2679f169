import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/random.js';
import { ReplayBuffer } from './replay-buffer.js';

test('ring buffer keeps the newest transitions in order and grows on demand', () => {
  const b = new ReplayBuffer(5, { x: 2, r: 1 }, 2);
  for (let i = 0; i < 8; i++) b.push({ x: [i, -i], r: i * 10 });
  assert.equal(b.size, 5);
  const out = { x: new Float32Array(2), r: new Float32Array(1) };
  const held: number[] = [];
  for (let i = 0; i < b.size; i++) { b.get(i, out); held.push(out['x']![0]!); assert.equal(out['r']![0], out['x']![0]! * 10); }
  assert.deepEqual(held, [3, 4, 5, 6, 7]);
});

test('sampling is seeded and only returns stored rows', () => {
  const b = new ReplayBuffer(100, { x: 1 });
  for (let i = 0; i < 10; i++) b.push({ x: [i] });
  const o1 = b.batchArrays(64), o2 = b.batchArrays(64);
  b.sample(64, new Random(1), o1);
  b.sample(64, new Random(1), o2);
  assert.deepEqual(o1['x'], o2['x']);
  for (const v of o1['x']!) assert.ok(v >= 0 && v < 10 && Number.isInteger(v));
});

test('snapshot and restore reproduce the buffer and its sampling', () => {
  const a = new ReplayBuffer(7, { x: 3 }, 2);
  for (let i = 0; i < 11; i++) a.push({ x: [i, i + 1, i + 2] });
  const c = new ReplayBuffer(7, { x: 3 }, 2);
  c.restore(a.snapshot());
  const oa = a.batchArrays(20), oc = c.batchArrays(20);
  a.sample(20, new Random(9), oa);
  c.sample(20, new Random(9), oc);
  assert.deepEqual(oa['x'], oc['x']);
  a.push({ x: [100, 101, 102] });
  c.push({ x: [100, 101, 102] });
  assert.deepEqual(a.snapshot(), c.snapshot());
});

test('a transition of the wrong width is refused', () => {
  const b = new ReplayBuffer(3, { x: 2 });
  assert.throws(() => b.push({ x: [1, 2, 3] }), /field x has 3 values, expected 2/);
});
