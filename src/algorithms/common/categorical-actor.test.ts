import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/random.js';
import { maskedArgmax, maskedSoftmax, sampleCategorical, writeActionMask } from './categorical-actor.js';

test('a forbidden server keeps only its level-0 (all local) action', () => {
  const out = new Float32Array(15);
  writeActionMask(Uint8Array.from([1, 0, 1]), out);
  assert.deepEqual(Array.from(out), [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
});

test('masked softmax, argmax and sampling never pick a forbidden action', () => {
  const logits = [0, Math.log(3), 50, 0];
  const mask = [1, 1, 0, 1];
  // exp: 1, 3, (masked), 1 -> 0.2, 0.6, 0, 0.2
  const p = maskedSoftmax(logits, mask, new Float32Array(4));
  assert.deepEqual(Array.from(p, (x) => Math.round(x * 1e6) / 1e6), [0.2, 0.6, 0, 0.2]);
  assert.equal(maskedArgmax(logits, mask), 1);
  const rng = new Random(7);
  const counts = [0, 0, 0, 0];
  for (let n = 0; n < 20000; n++) counts[sampleCategorical(p, rng)]!++;
  assert.equal(counts[2], 0);
  // Binomial std with n = 20000, p = 0.6 is about 69: 5 std is 350.
  assert.ok(Math.abs(counts[1]! - 12000) < 350, `action 1 drawn ${counts[1]} times`);
});
