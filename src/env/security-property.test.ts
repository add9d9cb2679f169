import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Random } from '../core/random.js';
import { DsMecEnv } from './env.js';
import { listPresets, resolveScenario } from './presets.js';
import type { Scenario } from './scenario.js';

const presets = listPresets().map((p) => resolveScenario(p.name));

/** Play `episodes` episodes of random actions and check every slot and every counter. */
function checkInvariants(scenario: Scenario, seed: number, episodes: number, discrete: boolean): void {
  const env = new DsMecEnv(scenario, { seed });
  const rng = new Random(seed ^ 0x5eed);
  const { deviceDomain, serverDomain } = env.domains;
  const cont = new Float32Array(env.numAgents * 2);
  const disc = new Int32Array(env.numAgents);
  for (let e = 0; e < episodes; e++) {
    env.resetRaw();
    let done = false, encrypted = 0, cross = 0, violations = 0, tasks = 0, successes = 0;
    while (!done) {
      if (discrete) {
        for (let i = 0; i < env.numAgents; i++) disc[i] = rng.int(env.numServers * 5);
        done = env.stepDiscrete(disc);
      } else {
        for (let i = 0; i < cont.length; i++) cont[i] = rng.next() * 2 - 1;
        done = env.stepContinuous(cont);
      }
      const r = env.lastSlot();
      for (let i = 0; i < env.numAgents; i++) {
        tasks++;
        successes += r.success[i];
        violations += r.violation[i];
        if (r.rho[i] > 0) {
          const k = r.server[i];
          const crosses = deviceDomain[i] !== serverDomain[k];
          if (scenario.security.enforce !== 'off') assert.ok(!(r.sensitive[i] && crosses), 'a sensitive task left its domain');
          assert.equal(r.crossDomain[i], crosses ? 1 : 0);
          if (crosses) assert.equal(r.encrypted[i], 1, 'a cross-domain offload was not encrypted');
          encrypted += r.encrypted[i];
          cross += r.crossDomain[i];
        } else {
          assert.equal(r.encrypted[i] + r.crossDomain[i], 0);
        }
        assert.ok(r.T[i] > 0 && r.T[i] <= scenario.cost.maxTaskSeconds);
        assert.equal(r.success[i], r.T[i] <= r.deadline[i] + 1e-9 ? 1 : 0);
      }
    }
    const m = env.episodeMetrics();
    assert.equal(m.encryptedOffloads, encrypted);
    assert.equal(m.crossDomainOffloads, cross);
    if (!scenario.security.encryptAll) assert.equal(m.encryptedOffloads, m.crossDomainOffloads);
    assert.equal(m.securityViolations, violations);
    if (scenario.security.enforce === 'mask' && !discrete) assert.equal(m.securityViolations, 0);
    assert.ok(m.localShare >= 0 && m.localShare <= 1);
    assert.ok(m.taskSuccessRate >= 0 && m.taskSuccessRate <= 1);
    assert.equal(Math.round(m.taskSuccessRate * tasks), successes);
    assert.equal(tasks, m.slots * env.numAgents);
    assert.ok(m.slots >= 1 && m.slots <= scenario.slotsPerEpisode);
    assert.ok(m.paperSuccessRate >= 0 && m.paperSuccessRate <= 1);
    assert.ok(m.energyUsed >= 0 && m.avgCost > 0);
  }
}

test('mask: no sensitive task leaves its domain, cross-domain offloads are encrypted, counters add up', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...presets), (seed, scenario) => {
      // Without early termination every episode plays all its slots: more slots checked.
      checkInvariants({ ...scenario, terminateOnDeadlineMiss: false }, seed, 5, false);
    }),
    { numRuns: 60, seed: 20240601 },
  );
});

test('discrete actions and penalize/off modes keep the counters consistent', () => {
  for (const scenario of presets) {
    for (const enforce of ['mask', 'penalize', 'off'] as const) {
      const s: Scenario = { ...scenario, terminateOnDeadlineMiss: false, security: { ...scenario.security, enforce } };
      checkInvariants(s, 7, 20, true);
    }
  }
});
