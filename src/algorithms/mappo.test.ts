import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gae } from './mappo.js';

function close(actual: ArrayLike<number>, expected: readonly number[], eps = 1e-9): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) < eps, `[${i}] ${actual[i]} != ${expected[i]}`);
}

test('GAE of one episode against a hand-computed sequence', () => {
  // gamma = lambda = 0.5, so gamma * lambda = 0.25; the last step ends the episode (lastValue 9 is ignored).
  // delta2 = 2 - 0.5 = 1.5                         A2 = 1.5
  // delta1 = 0 + 0.5 * 0.5 - 1.0 = -0.75           A1 = -0.75 + 0.25 * 1.5 = -0.375
  // delta0 = 1 + 0.5 * 1.0 - 0.5 = 1.0             A0 = 1.0 + 0.25 * -0.375 = 0.90625
  close(gae([1, 0, 2], [0.5, 1.0, 0.5], [0, 0, 1], 9, 0.5, 0.5), [0.90625, -0.375, 1.5]);
});

test('GAE stops at an episode end and bootstraps an unfinished last step from lastValue', () => {
  // gamma 0.9, lambda 0.5 (gamma * lambda = 0.45); step 0 ends an episode, steps 1-2 are an unfinished one.
  // delta2 = 3 + 0.9 * 2 - 1 = 3.8                 A2 = 3.8
  // delta1 = 2 + 0.9 * 1 - 1 = 1.9                 A1 = 1.9 + 0.45 * 3.8 = 3.61
  // delta0 = 1 - 1 = 0 (terminal)                  A0 = 0 (nothing flows back across the end)
  close(gae([1, 2, 3], [1, 1, 1], [1, 0, 0], 2, 0.9, 0.5), [0, 3.61, 3.8]);
});

test('GAE with lambda 1 is the discounted return minus the value; with lambda 0 the one-step TD error', () => {
  const r = [0.3, -1.2, 2.5, 0.7], v = [0.1, 0.4, -0.2, 1.1], d = [0, 0, 0, 0], last = 0.8, g = 0.93;
  const mc = r.map((_, t) => {
    let ret = 0;
    for (let k = r.length - 1; k >= t; k--) ret = r[k]! + g * (k === r.length - 1 ? last : ret);
    return ret - v[t]!;
  });
  close(gae(r, v, d, last, g, 1), mc, 1e-12);
  const td = r.map((x, t) => x + g * (t === r.length - 1 ? last : v[t + 1]!) - v[t]!);
  close(gae(r, v, d, last, g, 0), td, 1e-12);
});
