import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperienceSplit } from './experience-split.js';
import type { ArrayMap } from './state-io.js';

/** File an episode of `len` transitions whose state holds the episode's id. */
function file(split: ExperienceSplit, id: number, ret: number, len = 1): boolean {
  const scratch = { state: new Float32Array(1), act: new Float32Array(1) };
  return split.addEpisode(ret, len, (_i, out) => { out['state']![0] = id; out['act']![0] = ret; }, scratch);
}

test('D+/D- threshold on a hand-made sequence of returns', () => {
  // window 3, capacity 2 transitions per buffer.
  const s = new ExperienceSplit(2, { state: 1, act: 1 }, 3);
  // e0: no earlier episode -> threshold +Infinity -> D-.
  assert.equal(s.threshold(), Infinity);
  assert.equal(file(s, 0, 5), false);
  // e1: D+ empty, mean of {5} = 5; 6 > 5 -> D+.
  assert.equal(s.threshold(), 5);
  assert.equal(file(s, 1, 6), true);
  // e2: lowest in D+ = 6, mean {5, 6} = 5.5 -> threshold 6; 6 is not above -> D-.
  assert.equal(s.threshold(), 6);
  assert.equal(file(s, 2, 6), false);
  // e3: mean {5, 6, 6} = 17/3 ~ 5.667, lowest D+ = 6 -> 6; 10 -> D+.
  assert.equal(s.threshold(), 6);
  assert.equal(file(s, 3, 10), true);
  // e4: window now {6, 6, 10} (5 dropped) mean 22/3 ~ 7.333; lowest D+ = 6 -> 7.333; 7 -> D-.
  assert.ok(Math.abs(s.threshold() - 22 / 3) < 1e-12);
  assert.equal(file(s, 4, 7), false);
  // e5: window {6, 10, 7} mean 23/3; D+ holds returns {6, 10} -> max(6, 7.667) = 7.667; 20 -> D+,
  // overwriting the oldest D+ entry (return 6), so the lowest held becomes 10.
  assert.ok(Math.abs(s.threshold() - 23 / 3) < 1e-12);
  assert.equal(file(s, 5, 20), true);
  // e6: window {10, 7, 20} mean 37/3 ~ 12.33; lowest D+ = 10 -> 12.33.
  assert.ok(Math.abs(s.threshold() - 37 / 3) < 1e-12);
  assert.equal(s.good.size, 2);
  assert.equal(s.bad.size, 2);
  const out = { state: new Float32Array(1), act: new Float32Array(1) };
  const ids: number[] = [];
  for (let i = 0; i < s.good.size; i++) { s.good.get(i, out); ids.push(out['state']![0]!); }
  assert.deepEqual(ids.sort(), [3, 5]);
});

test('a multi-transition episode files all its transitions together', () => {
  const s = new ExperienceSplit(100, { state: 1, act: 1 }, 10);
  file(s, 0, 0, 4);
  assert.equal(s.bad.size, 4);
  assert.equal(file(s, 1, 1, 3), true);
  assert.equal(s.good.size, 3);
});

test('state round trip continues identically', () => {
  const a = new ExperienceSplit(3, { state: 1, act: 1 }, 4);
  const returns = [1, 3, 2, 5, 4, 8, 0, 9, 7];
  returns.slice(0, 5).forEach((r, i) => file(a, i, r));
  const b = new ExperienceSplit(3, { state: 1, act: 1 }, 4);
  // Through JSON, as a checkpoint stores the non-array part.
  const saved: ArrayMap = {};
  b.load(saved, JSON.parse(JSON.stringify(a.save(saved))) as ReturnType<ExperienceSplit['save']>);
  for (let i = 5; i < returns.length; i++) {
    assert.equal(b.threshold(), a.threshold());
    assert.equal(file(b, i, returns[i]!), file(a, i, returns[i]!));
  }
  const sa: ArrayMap = {}, sb: ArrayMap = {};
  assert.deepEqual(b.save(sb), a.save(sa));
  assert.deepEqual(sb, sa);
});
