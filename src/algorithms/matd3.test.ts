import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { smoothTargetActions, twinTarget } from './matd3.js';

test("MATD3's target is the minimum of its twin critics", () => {
  // gamma 0.5:
  // row 0: min(3, 2) = 2 -> 1 + 0.5 * 2 = 2       (second critic lower)
  // row 1: min(-1, 5) = -1 -> 0 + 0.5 * -1 = -0.5 (first critic lower)
  // row 2: episode ended -> y = r = 0.25 whatever the critics say
  const y = twinTarget([1, 0, 0.25], [1, 1, 0], [3, -1, 40], [2, 5, 50], 0.5, new Float32Array(3));
  assert.deepEqual(Array.from(y), [2, -0.5, 0.25]);
});

test('target-policy smoothing moves each action by at most noiseClip and stays in [-1, 1]', () => {
  const base = Float32Array.from({ length: 400 }, (_, i) => -1 + (2 * i) / 399);
  const a = base.slice();
  smoothTargetActions(a, 5, 0.5, new Random(3)); // sigma 5: almost every draw hits the clip
  let clipped = 0;
  for (let i = 0; i < a.length; i++) {
    assert.ok(a[i]! >= -1 && a[i]! <= 1);
    assert.ok(Math.abs(a[i]! - base[i]!) <= 0.5 + 1e-6);
    if (Math.abs(Math.abs(a[i]! - base[i]!) - 0.5) < 1e-6) clipped++;
  }
  assert.ok(clipped > 200, `only ${clipped} draws reached the clip`);
  const b = base.slice();
  smoothTargetActions(b, 0, 0.5, new Random(3));
  assert.deepEqual(b, base);
});
