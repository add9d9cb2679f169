import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterfactualAdvantages, tdLambdaReturns } from './coma.js';

test('counterfactual baseline and advantage on a hand-made case', () => {
  // Row 0: pi = (0.5, 0.25, 0.25), Q = (2, 4, -4): baseline = 1 + 1 - 1 = 1; taken action 1: A = 4 - 1 = 3.
  // Row 1: action 0 is masked (pi 0), so its large Q must not count: baseline = 0.5 * 1 + 0.5 * 3 = 2; taken 2: A = 3 - 2 = 1.
  const q = [2, 4, -4, 100, 1, 3];
  const pi = [0.5, 0.25, 0.25, 0, 0.5, 0.5];
  const adv = new Float32Array(2), base = new Float32Array(2);
  counterfactualAdvantages(q, pi, [1, 2], 3, adv, base);
  assert.deepEqual(Array.from(base), [1, 2]);
  assert.deepEqual(Array.from(adv), [3, 1]);
});

test('the counterfactual baseline does not depend on the action taken, and advantages average to 0 under pi', () => {
  const q = [1.5, -0.5, 3, 0.25], pi = [0.1, 0.2, 0.3, 0.4];
  const adv = new Float32Array(1), base = new Float32Array(1);
  let expectedAdv = 0;
  for (let a = 0; a < 4; a++) {
    counterfactualAdvantages(q, pi, [a], 4, adv, base);
    // 0.15 - 0.1 + 0.9 + 0.1 = 1.05
    assert.ok(Math.abs(base[0]! - 1.05) < 1e-6);
    expectedAdv += pi[a]! * adv[0]!;
  }
  assert.ok(Math.abs(expectedAdv) < 1e-6);
});

test('TD(lambda) returns against a hand-computed episode, and their lambda = 0 and 1 limits', () => {
  // gamma = lambda = 0.5; nextQ_t is Q' of the next step's taken action; the last step ends the episode.
  // G2 = 1
  // G1 = 0 + 0.5 * (0.5 * 4 + 0.5 * 1) = 1.25
  // G0 = 0 + 0.5 * (0.5 * 2 + 0.5 * 1.25) = 0.8125
  assert.deepEqual(Array.from(tdLambdaReturns([0, 0, 1], [2, 4, 0], [0, 0, 1], 0.5, 0.5)), [0.8125, 1.25, 1]);
  // lambda 0: one-step targets r + gamma * nextQ = (1, 2, 1).
  assert.deepEqual(Array.from(tdLambdaReturns([0, 0, 1], [2, 4, 0], [0, 0, 1], 0.5, 0)), [1, 2, 1]);
  // lambda 1: Monte Carlo returns 0.25, 0.5, 1 (nextQ ignored).
  assert.deepEqual(Array.from(tdLambdaReturns([0, 0, 1], [2, 4, 0], [0, 0, 1], 0.5, 1)), [0.25, 0.5, 1]);
});
