import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { resolveScenario } from '../env/presets.js';
import type { EpisodeMetrics } from '../env/metrics.js';
import { HEURISTIC_NAMES, makeHeuristic } from './index.js';
import { runPolicy } from './run-policy.js';

const avg = (ms: EpisodeMetrics[], k: keyof EpisodeMetrics): number => ms.reduce((s, m) => s + m[k], 0) / ms.length;

test('unknown policy names list the valid ones', () => {
  assert.throws(() => makeHeuristic('smart', new Random(1)), (e: Error) => isUserError(e) && e.message.includes('local, random, nearest, greedy'));
});

test('runPolicy is deterministic given its seed', () => {
  const scenario = resolveScenario('paper-1cs-2es-5ud');
  for (const policy of HEURISTIC_NAMES) {
    const a = runPolicy({ scenario, policy, episodes: 20, seed: 5 });
    const b = runPolicy({ scenario, policy, episodes: 20, seed: 5 });
    assert.deepEqual(a.episodes, b.episodes, policy);
    assert.equal(a.slots, b.slots);
  }
});

for (const name of ['paper-1cs-3es-7ud', 'paper-1cs-2es-5ud']) {
  test(`no trivial policy solves ${name} (200 episodes)`, () => {
    const scenario = resolveScenario(name);
    const r: Record<string, EpisodeMetrics[]> = {};
    for (const policy of HEURISTIC_NAMES) r[policy] = runPolicy({ scenario, policy, episodes: 200, seed: 1 }).episodes;
    assert.ok(avg(r.local, 'taskSuccessRate') < 0.2, 'local must miss most deadlines');
    assert.ok(avg(r.greedy, 'taskSuccessRate') > avg(r.random, 'taskSuccessRate'), 'greedy beats random on success');
    assert.ok(avg(r.greedy, 'avgCost') < avg(r.random, 'avgCost'), 'greedy beats random on cost');
    for (const policy of HEURISTIC_NAMES) {
      assert.ok(avg(r[policy], 'taskSuccessRate') <= 0.95, `${policy} solves the preset`);
      assert.equal(avg(r[policy], 'securityViolations'), 0, `${policy} violates the domain rule`);
    }
  });
}
