/**
 * Engine benchmarks: one critic update (batch 1024, MLP 196 -> 64 -> 64 -> 1,
 * ReLU, MSE, backward, Adam) and one single-observation actor forward
 * (26 -> 64 -> 64 -> 2, ReLU then tanh) through the tape-free `forwardInto`.
 * Figures are for whichever kernels `getKernels()` returns (MITRA_KERNELS=ts forces the reference).
 */
import { Random } from '../src/core/random.js';
import { Adam } from '../src/nn/adam.js';
import { MLP } from '../src/nn/layers.js';
import { mse } from '../src/nn/ops-reduce.js';
import { scope } from '../src/nn/scope.js';
import { fromArray } from '../src/nn/tensor.js';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median critic-update time (ms) and actor forward time (µs). */
export function benchNn(): Record<string, number> {
  const rng = new Random(1);
  const batch = 1024;
  const critic = new MLP({ sizes: [196, 64, 64, 1], activation: 'relu' }, rng.fork('critic'));
  const opt = new Adam(critic.parameters(), { lr: 1e-3 });
  const x = new Float32Array(batch * 196).map(() => rng.uniform(-1, 1));
  const y = new Float32Array(batch).map(() => rng.uniform(-1, 1));
  const input = fromArray(x, batch, 196);
  const target = fromArray(y, batch, 1);
  const update = (): void => {
    scope(() => {
      opt.zeroGrad();
      const loss = mse(critic.forward(input), target);
      loss.backward();
      opt.step();
    });
  };
  for (let i = 0; i < 20; i++) update();
  const times: number[] = [];
  for (let rep = 0; rep < 60; rep++) {
    const t0 = process.hrtime.bigint();
    update();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  const actor = new MLP({ sizes: [26, 64, 64, 2], activation: 'relu', outputActivation: 'tanh' }, rng.fork('actor'));
  const obs = new Float32Array(26).map(() => rng.uniform(-1, 1));
  const act = new Float32Array(2);
  const inner = 2000;
  for (let i = 0; i < 5000; i++) actor.forwardInto(obs, act);
  const per: number[] = [];
  for (let rep = 0; rep < 31; rep++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) actor.forwardInto(obs, act);
    per.push(Number(process.hrtime.bigint() - t0) / 1e3 / inner);
  }
  return { 'nn.criticUpdateMs': median(times), 'nn.actorForwardUs': median(per) };
}
