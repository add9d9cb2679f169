import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DsMecEnv } from './env.js';
import { actions, tinyScenario } from './test-fixtures.js';

const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} expected ${b}, got ${a}`);

/** One device in d1, one server in d2: every offload crosses domains. */
function crossDomain(enforce: 'mask' | 'penalize' | 'off', sensitive: number): DsMecEnv {
  return new DsMecEnv(tinyScenario({
    devices: [{ domain: 'd1', capacity: 2, txPower: 2 }], servers: [{ domain: 'd2', capacity: 10 }],
    work: [6], deadline: [5], latency: [[0.4]], rate: 5,
    extra: {
      tasks: { meanWork: [6], stdWork: 0, deadline: [5], sensitiveProbability: sensitive },
      security: { encryptWorkPerUnit: 0.1, decryptWorkPerUnit: 0.2, ciphertextOverhead: 1, enforce, violationPenalty: 7 },
      energy: { localJoulePerWork: 0.5, encryptJoulePerWork: 0.2 },
      cost: { timeWeight: 1, energyWeight: 0.1, maxTaskSeconds: 10 },
    },
  }));
}

test('encryption: time, decryption, overhead and energy of a cross-domain offload', () => {
  const env = crossDomain('mask', 0);
  env.resetRaw(1);
  env.stepRaw(...actions([0], [0.5]));
  const r = env.lastSlot();
  // Offloaded 0.5 * 6 = 3 work. Encryption on the device: 3 * 0.1 / 2 = 0.15 s.
  // Transfer: 0.4 + (3 + overhead 1) / 5 = 1.2 s -> arrival 1.35 s.
  // Server: decryption 3 * 0.2 / 10 = 0.06 + processing 3 / 10 = 0.3 -> finish 1.71 s.
  // Local part 3 / 2 = 1.5 s. T = max(1.5, 1.71) = 1.71.
  close(r.T[0], 1.71);
  // Energy: local 3 * 0.5 = 1.5 J + encryption 3 * 0.2 = 0.6 J + radio 2 W * 1.2 s = 2.4 J = 4.5 J.
  close(r.energy[0], 4.5);
  // Cost = 1 * 1.71 + 0.1 * 4.5 = 2.16.
  close(r.cost[0], 2.16);
  assert.equal(r.encrypted[0], 1);
  assert.equal(r.crossDomain[0], 1);
  const m = env.episodeMetrics();
  assert.equal(m.encryptedOffloads, 1);
  assert.equal(m.crossDomainOffloads, 1);
  close(m.energyUsed, 4.5);
  // localShare: 3 of 6 work units ran on the device.
  close(m.localShare, 0.5);
});

test('penalize: a forbidden offload runs locally and pays the penalty', () => {
  const env = crossDomain('penalize', 1);
  env.resetRaw(1);
  assert.equal(env.allowedMask(0)[0], 0);
  env.stepRaw(...actions([0], [0.5]));
  const r = env.lastSlot();
  // Not executed: all 6 work local at capacity 2 -> T = 3 s; energy 6 * 0.5 = 3 J;
  // cost = 3 + 0.1 * 3 + penalty 7 = 10.3.
  close(r.T[0], 3);
  close(r.cost[0], 10.3);
  assert.equal(r.rho[0], 0);
  assert.equal(r.crossDomain[0], 0);
  const m = env.episodeMetrics();
  assert.equal(m.securityViolations, 1);
  assert.equal(m.crossDomainOffloads, 0);
  close(m.localShare, 1);
});

test('off: the forbidden offload happens, encrypted, and is still counted', () => {
  const env = crossDomain('off', 1);
  env.resetRaw(1);
  assert.equal(env.allowedMask(0)[0], 1);
  env.stepRaw(...actions([0], [0.5]));
  const r = env.lastSlot();
  // Same numbers as the encryption example: T 1.71, cost 2.16.
  close(r.T[0], 1.71);
  close(r.cost[0], 2.16);
  assert.equal(r.encrypted[0], 1);
  assert.equal(env.episodeMetrics().securityViolations, 1);
});

test('mask: the decoder never picks a forbidden server', () => {
  // u1 (d1) sees s1 (d2, forbidden for sensitive tasks) and s2 (d1).
  const env = new DsMecEnv(tinyScenario({
    devices: [{ domain: 'd1' }], servers: [{ domain: 'd2', capacity: 10 }, { domain: 'd1', capacity: 10 }],
    work: [2], latency: [[0.1, 0.1]],
    extra: { tasks: { meanWork: [2], stdWork: 0, deadline: [5], sensitiveProbability: 1 } },
  }));
  env.resetRaw(3);
  for (const a0 of [-1, -0.5, 0, 0.5, 1]) assert.equal(env.decodeContinuous(0, a0), 1);
  env.stepContinuous(Float32Array.from([-1, 1]));
  assert.equal(env.lastSlot().server[0], 1);
  assert.equal(env.episodeMetrics().securityViolations, 0);
});

/** u1 runs 3 work locally on a 5 J budget at 1 J/work; u2 runs 1 work locally, no budget. */
function energyScenario(mode: 'paper' | 'dense', terminate: boolean, slots: number): DsMecEnv {
  return new DsMecEnv(tinyScenario({
    devices: [{ energyBudget: 5 }, {}], servers: [{ capacity: 10 }], work: [3, 1], deadline: [5, 5],
    latency: [[0.1], [0.1]],
    extra: {
      slotsPerEpisode: slots, terminateOnDeadlineMiss: terminate,
      energy: { localJoulePerWork: 1 }, reward: { mode, missPenalty: 2 }, cost: { maxTaskSeconds: 10 },
    },
  }));
}
const LOCAL: [Int32Array, Float32Array] = actions([-1, -1], [0, 0]);

test('energy budget exhaustion: a task the device cannot pay for misses at maxTaskSeconds', () => {
  const env = energyScenario('paper', false, 3);
  env.resetRaw(1);
  env.stepRaw(...LOCAL);
  // Slot 0: u1 pays 3 J (2 J left), T = 3 s <= 5.
  close(env.lastSlot().T[0], 3);
  assert.equal(env.lastSlot().success[0], 1);
  env.stepRaw(...LOCAL);
  // Slot 1: 3 J needed, 2 J left: nothing runs, T = cost = maxTaskSeconds = 10, a miss.
  close(env.lastSlot().T[0], 10);
  close(env.lastSlot().cost[0], 10);
  assert.equal(env.lastSlot().success[0], 0);
  assert.equal(env.lastSlot().success[1], 1);
  env.stepRaw(...LOCAL);
  // Energy used: u1 3 J once, u2 1 J per slot: 3 + 3 = 6 J.
  close(env.episodeMetrics().energyUsed, 6);
});

test('paper reward and paper metrics on an episode ending early on a miss', () => {
  const env = energyScenario('paper', true, 3);
  env.resetRaw(1);
  assert.equal(env.stepRaw(...LOCAL), false);
  // Slot 0: both succeed, not the last slot: reward 0.
  assert.equal(env.rewardsBuf[0], 0);
  assert.equal(env.stepRaw(...LOCAL), true);
  // Slot 1: u1 misses with cost 10 -> r = bad * c = -10 * 10 = -100; u2 succeeds with
  // cost 1 -> r = 60 / 1^2 = 60 > 0, clipped to 0. R = (-100 + 0) / 2 = -50.
  close(env.rewardsBuf[0], -50);
  close(env.rewardsBuf[1], -50);
  const m = env.episodeMetrics();
  // Costs 3, 1 (slot 0), 10, 1 (slot 1): avgCost 15 / 4 = 3.75; 3 of 4 tasks succeed.
  close(m.avgCost, 3.75);
  close(m.taskSuccessRate, 0.75);
  // paperAvgCost: largest cost in the failing slot = 10; paperSuccessRate = 1 / (3 - 1).
  close(m.paperAvgCost, 10);
  close(m.paperSuccessRate, 0.5);
  assert.equal(m.slots, 2);
});

test('paper reward and paper metrics on a full episode', () => {
  // A miss in the last slot is scored as a miss, not as a completed episode.
  const env = energyScenario('paper', true, 2);
  env.resetRaw(1);
  env.stepRaw(...LOCAL);
  assert.equal(env.rewardsBuf[0], 0);
  assert.equal(env.stepRaw(...LOCAL), true);
  // Slot 1 (the last): u1 cannot pay 3 J with 2 J left -> miss, R = -50 as above.
  close(env.rewardsBuf[0], -50);
  close(env.episodeMetrics().paperSuccessRate, 1); // ended in slot index 1: 1 / (2 - 1)

  const full = new DsMecEnv(tinyScenario({
    devices: [{}, {}], servers: [{ capacity: 10 }], work: [3, 1], deadline: [5, 5], latency: [[0.1], [0.1]],
    extra: { slotsPerEpisode: 2, terminateOnDeadlineMiss: true, reward: { mode: 'paper' } },
  }));
  full.resetRaw(1);
  full.stepRaw(...LOCAL);
  full.stepRaw(...LOCAL);
  // Costs 3 and 1 each slot: mean over devices of their mean cost = (3 + 1) / 2 = 2;
  // R = 60 / 2^2 = 15; paperAvgCost = 2; paperSuccessRate = 1 / 1.
  close(full.rewardsBuf[0], 15);
  const m = full.episodeMetrics();
  close(m.paperAvgCost, 2);
  close(m.avgCost, 2);
  close(m.paperSuccessRate, 1);
  close(m.taskSuccessRate, 1);
});

test('dense reward: minus mean cost minus the miss penalty share, every slot', () => {
  const env = energyScenario('dense', false, 3);
  env.resetRaw(1);
  env.stepRaw(...LOCAL);
  // Slot 0: costs 3 and 1, no miss: R = -(3 + 1) / 2 = -2.
  close(env.rewardsBuf[0], -2);
  env.stepRaw(...LOCAL);
  // Slot 1: costs 10 (miss) and 1: R = -(11 / 2) - 2 * 1 / 2 = -6.5.
  close(env.rewardsBuf[0], -6.5);
});
