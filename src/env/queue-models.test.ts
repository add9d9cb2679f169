import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DsMecEnv } from './env.js';
import { actions, tinyScenario } from './test-fixtures.js';

const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} expected ${b}, got ${a}`);

function oneDevice(queueModel: 'overlap' | 'additive', over: { cap: number; latency: number; sw: number; work: number }): DsMecEnv {
  return new DsMecEnv(tinyScenario({
    devices: [{ capacity: 1 }], servers: [{ capacity: over.cap }], work: [over.work], deadline: [5],
    latency: [[over.latency]], switchTime: over.sw, extra: { queueModel },
  }));
}

function twoDevices(queueModel: 'overlap' | 'additive'): DsMecEnv {
  return new DsMecEnv(tinyScenario({
    devices: [{}, {}], servers: [{ capacity: 10 }], work: [5, 2], deadline: [5, 5],
    latency: [[0.1], [0.3]], rate: 10, extra: { queueModel },
  }));
}

for (const model of ['overlap', 'additive'] as const) {
  test(`${model}: partial offload to an empty queue`, () => {
    const env = oneDevice(model, { cap: 10, latency: 0.2, sw: 0.1, work: 4 });
    env.resetRaw(1);
    env.stepRaw(...actions([0], [0.5]));
    const r = env.lastSlot();
    // local = (1-0.5)*4 / 1 = 2.0; offload: arrival 0.2 (rate Infinity), processing
    // switch 0.1 + 2/10 = 0.3, empty queue -> finish 0.5 (same in both models);
    // T = max(2.0, 0.5) = 2.0 <= deadline 5.
    close(r.T[0], 2.0);
    close(r.cost[0], 2.0);
    assert.equal(r.success[0], 1);
    // Backlog after the slot: the server was free at 0.5 < 1 s: 0.
    close(r.backlog[0], 0);
  });
}

test('overlap: FIFO by arrival, waiting for the queue ahead', () => {
  const env = twoDevices('overlap');
  env.resetRaw(1);
  env.stepRaw(...actions([0, 0], [1, 1]));
  const r = env.lastSlot();
  // u1: arrival 0.1 + 5/10 = 0.6; u2: arrival 0.3 + 2/10 = 0.5, so u2 goes first.
  // u2: start 0.5, processing 2/10 = 0.2 -> finish 0.7.
  // u1: arrives 0.6, queue busy until 0.7 -> start 0.7, processing 0.5 -> finish 1.2.
  close(r.T[1], 0.7, 'u2');
  close(r.T[0], 1.2, 'u1');
  // freeAt 1.2 -> next slot starts with backlog 1.2 - 1 = 0.2.
  close(r.backlog[0], 0.2);
});

test('overlap: backlog carries over and the switch time is paid once', () => {
  const env = oneDevice('overlap', { cap: 2, latency: 0, sw: 0.5, work: 4 });
  env.resetRaw(1);
  const [k, rho] = actions([0], [1]);
  env.stepRaw(k, rho);
  // Slot 0: arrival 0, processing switch 0.5 + 4/2 = 2.5 -> T 2.5; backlog 2.5 - 1 = 1.5.
  close(env.lastSlot().T[0], 2.5);
  close(env.lastSlot().backlog[0], 1.5);
  env.stepRaw(k, rho);
  // Slot 1: queue free at 1.5, switch already paid: 1.5 + 2.0 = 3.5; backlog 2.5.
  close(env.lastSlot().T[0], 3.5);
  close(env.lastSlot().backlog[0], 2.5);
  env.stepRaw(k, rho);
  // Slot 2: 2.5 + 2.0 = 4.5 <= deadline 5; backlog 3.5.
  close(env.lastSlot().T[0], 4.5);
  assert.equal(env.lastSlot().success[0], 1);
});

test('additive: finish = arrival + everything queued, itself included', () => {
  const env = twoDevices('additive');
  env.resetRaw(1);
  env.stepRaw(...actions([0, 0], [1, 1]));
  const r = env.lastSlot();
  // Same arrivals as the overlap case: u2 at 0.5, u1 at 0.6.
  // u2: 0.5 + (0.2) = 0.7. u1: 0.6 + (0.2 + 0.5) = 1.3 (overlap gave 1.2: the
  // reference formula does not let u2's processing overlap u1's transfer).
  close(r.T[1], 0.7, 'u2');
  close(r.T[0], 1.3, 'u1');
  // End of slot: 1 s drains 0.2 (u2) then 0.5 (u1): queue empty, backlog 0.
  close(r.backlog[0], 0);
});

test('additive: the queue drains slotSeconds task by task', () => {
  const env = oneDevice('additive', { cap: 2, latency: 0.3, sw: 0.5, work: 4 });
  env.resetRaw(1);
  const [k, rho] = actions([0], [1]);
  env.stepRaw(k, rho);
  // Slot 0: 0.3 + (0.5 + 2.0) = 2.8; queue [2.5] -> drain 1 -> [1.5].
  close(env.lastSlot().T[0], 2.8);
  close(env.lastSlot().backlog[0], 1.5);
  env.stepRaw(k, rho);
  // Slot 1: 0.3 + (1.5 + 2.0) = 3.8; queue [1.5, 2.0] -> drain 1 -> [0.5, 2.0] = 2.5.
  close(env.lastSlot().T[0], 3.8);
  close(env.lastSlot().backlog[0], 2.5);
  env.stepRaw(k, rho);
  // Slot 2: 0.3 + (2.5 + 2.0) = 4.8; queue [0.5, 2.0, 2.0] -> the head's 0.5 finishes,
  // the other 0.5 s comes off the next task: [1.5, 2.0] = 3.5.
  close(env.lastSlot().T[0], 4.8);
  close(env.lastSlot().backlog[0], 3.5);
});
