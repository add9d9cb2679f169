/**
 * Estimator benchmarks at MITRA-VIB's sizes (batch 1024, state 266, z 64,
 * joint action 14): one update of each estimator with the encoder (forward,
 * backward, clip 0.9, Adam) and the no-gradient per-sample bounds the critic
 * target uses. Ready for bench/index.ts (`{ prefix: 'estimators', run: benchEstimators }`);
 * figures are for whichever kernels `getKernels()` returns.
 */
import { Random } from '../src/core/random.js';
import { Adam } from '../src/nn/adam.js';
import { clipGradNorm } from '../src/nn/layers.js';
import { add, mulScalar } from '../src/nn/ops-elementwise.js';
import { scope } from '../src/nn/scope.js';
import { fromArray } from '../src/nn/tensor.js';
import type { Tensor } from '../src/nn/tensor.js';
import { ClubEstimator } from '../src/estimators/club.js';
import { MineEstimator } from '../src/estimators/mine.js';
import { VibEncoder, klLoss } from '../src/estimators/vib.js';

/** Median of `reps` timed calls of `fn` after `warm` untimed ones, in ms. */
function medianMs(fn: () => void, warm = 5, reps = 30): number {
  for (let i = 0; i < warm; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Median milliseconds per estimator operation at batch 1024. */
export function benchEstimators(): Record<string, number> {
  const rng = new Random(1);
  const batch = 1024;
  const stateDim = 266;
  const latent = 64;
  const actionDim = 14;
  const s = fromArray(new Float32Array(batch * stateDim).map(() => rng.normal()), batch, stateDim);
  const z = fromArray(new Float32Array(batch * latent).map(() => rng.normal()), batch, latent);
  const a = fromArray(new Float32Array(batch * actionDim).map(() => rng.uniform(-1, 1)), batch, actionDim);
  const enc = new VibEncoder({ inputDim: stateDim }, rng.fork('vib'));
  const mine = new MineEstimator({ zDim: latent, aDim: actionDim }, rng.fork('mine'));
  const club = new ClubEstimator({ zDim: latent, aDim: actionDim }, rng.fork('club'));
  const noise = rng.fork('noise');
  const out = new Float32Array(batch);
  const update = (params: Tensor[], loss: (zz: Tensor) => Tensor): (() => void) => {
    const opt = new Adam(params, { lr: 1e-4 });
    return () => {
      opt.zeroGrad();
      scope(() => {
        const o = enc.encode(s, noise);
        add(loss(o.z), mulScalar(klLoss(o.mean, o.logvar), 1e-3)).backward();
      });
      clipGradNorm(params, 0.9);
      opt.step();
    };
  };
  const mineOnly = new Adam(mine.parameters(), { lr: 1e-4 });
  return {
    'estimators.mineUpdateMs': medianMs(() => { mineOnly.zeroGrad(); scope(() => mine.loss(z, a).backward()); mineOnly.step(); }),
    'estimators.vibMineUpdateMs': medianMs(update([...enc.parameters(), ...mine.parameters()], (zz) => mine.loss(zz, a))),
    'estimators.vibClubUpdateMs': medianMs(update([...enc.parameters(), ...club.parameters()], (zz) => club.logLikelihoodLoss(zz, a))),
    'estimators.mineLowerBoundMs': medianMs(() => { mine.lowerBoundPerSample(z, a, out); }),
    'estimators.clubUpperBoundMs': medianMs(() => { club.upperBoundPerSample(z, a, out); }),
  };
}
