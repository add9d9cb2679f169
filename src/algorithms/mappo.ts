/**
 * MAPPO (Yu et al. 2022): PPO with one discrete actor shared by all agents
 * (own observation + agent-id one-hot -> 64 -> 64 -> masked logits over
 * server x offload level) and a centralised value V(s) on the global state.
 * Every `episodesPerBatch` episodes: values of the stored states, GAE
 * advantages, then `epochs` passes over minibatches of the clipped surrogate
 * with an entropy bonus, and a Huber value loss.
 *
 * Value normalisation (a simple stand-in for MAPPO's ValueNorm / PopArt, which
 * we do not implement): the value net predicts returns standardised by the
 * running mean and variance of every return target seen so far (exact
 * count-weighted merge of batch statistics, no decay, no output-layer
 * rescaling); its outputs are de-standardised before GAE.
 *
 * Checkpoints: the episodes of an unfinished batch are saved with everything
 * else, so a resume continues exactly.
 */
import { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import { Adam } from '../nn/adam.js';
import { MLP, clipGradNorm } from '../nn/layers.js';
import { clamp, exp, minimum, mul, mulScalar, neg, sub } from '../nn/ops-elementwise.js';
import { huber, mean } from '../nn/ops-reduce.js';
import { gatherRows, pickCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import { tensor } from '../nn/tensor.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { SharedCategoricalActor, agentInputs, entropy, maskBias } from './common/categorical-actor.js';
import { EpisodeBatch } from './common/episode-batch.js';
import type { ArrayMap } from './common/state-io.js';
import { putAdam, putModule, randomFromJson, randomToJson, takeAdam, takeModule } from './common/state-io.js';

/** MAPPO hyperparameters (Yu et al. 2022 unless stated). */
export const mappoConfigSchema = z.object({
  hidden: z.number().int().positive().default(64).describe('hidden width of the actor and the value network'),
  actorLr: z.number().positive().default(7e-4).describe('Adam learning rate of the actor'),
  criticLr: z.number().positive().default(7e-4).describe('Adam learning rate of the value network'),
  gamma: z.number().min(0).max(1).default(0.95).describe('discount factor (the project-wide 0.95 of MITRA-VIB; Yu et al. use 0.99)'),
  gaeLambda: z.number().min(0).max(1).default(0.95).describe('GAE lambda'),
  clip: z.number().positive().default(0.2).describe('PPO ratio clip'),
  entropyCoef: z.number().min(0).default(0.01).describe('weight of the entropy bonus'),
  huberDelta: z.number().positive().default(10).describe('Huber threshold of the value loss (on normalised targets)'),
  epochs: z.number().int().positive().default(5).describe('passes over each batch'),
  minibatches: z.number().int().positive().default(2).describe('minibatches per pass (split by time step; each holds all agents of its steps)'),
  episodesPerBatch: z.number().int().positive().default(16).describe('episodes collected before each update'),
  gradClip: z.number().positive().default(10).describe('gradient-norm clip of actor and value network'),
  normaliseValues: z.boolean().default(true).describe('standardise value targets by a running mean and variance of returns'),
}).strict();
/** Parsed MAPPO configuration. */
export type MappoConfig = z.infer<typeof mappoConfigSchema>;

/**
 * Generalised advantage estimates (Schulman et al. 2016) of one rollout in
 * time order. `dones[t]` is 1 when step t ended its episode (no bootstrap
 * across it); `lastValue` is V of the state after the final step, used only
 * when that step did not end an episode. Returns = advantages + values.
 */
export function gae(rewards: ArrayLike<number>, values: ArrayLike<number>, dones: ArrayLike<number>, lastValue: number, gamma: number, lambda: number): Float64Array {
  const T = rewards.length;
  const adv = new Float64Array(T);
  let next = 0;
  for (let t = T - 1; t >= 0; t--) {
    const live = dones[t] ? 0 : 1;
    const nextValue = t === T - 1 ? lastValue : values[t + 1]!;
    const delta = rewards[t]! + gamma * live * nextValue - values[t]!;
    next = delta + gamma * lambda * live * next;
    adv[t] = next;
  }
  return adv;
}

/** Running mean and variance of every value fed to it (Chan et al. parallel merge). */
class RunningMoments {
  mean = 0;
  variance = 1;
  count = 0;

  update(x: ArrayLike<number>): void {
    const n = x.length;
    if (n === 0) return;
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i]! - m) ** 2;
    v /= n;
    const total = this.count + n;
    const delta = m - this.mean;
    const m2 = this.variance * this.count + v * n + (delta * delta * this.count * n) / total;
    this.mean += (delta * n) / total;
    this.variance = m2 / total;
    this.count = total;
  }

  std(): number {
    return Math.sqrt(Math.max(this.variance, 1e-8));
  }
}

class Mappo implements Algorithm {
  private readonly actor: SharedCategoricalActor;
  private readonly critic: MLP;
  private readonly criticOptim: Adam;
  /** Steps of the episodes of the current batch, in time order. */
  private readonly rollout: EpisodeBatch;
  private readonly returns = new RunningMoments();
  private readonly actRng: Random;
  private readonly shuffleRng: Random;
  private updates = 0;
  private readonly last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: MappoConfig) {
    const { numAgents, obsDim, stateDim, discreteActions } = ctx.dims;
    const initRng = ctx.rng.fork('init');
    this.actRng = ctx.rng.fork('act');
    this.shuffleRng = ctx.rng.fork('shuffle');
    this.actor = new SharedCategoricalActor({ numAgents, obsDim, numActions: discreteActions, hidden: cfg.hidden, lr: cfg.actorLr }, initRng);
    this.critic = new MLP({ sizes: [stateDim, cfg.hidden, cfg.hidden, 1] }, initRng);
    this.criticOptim = new Adam(this.critic.parameters(), { lr: cfg.criticLr });
    this.rollout = new EpisodeBatch(numAgents, obsDim, discreteActions, cfg.episodesPerBatch);
  }

  act(env: DsMecEnv, explore: boolean, out: Float32Array): void {
    this.actor.act(env, out, explore ? this.actRng : null);
  }

  beginEpisode(): void {}

  observe(obs: Float32Array, actions: Float32Array, reward: number, _nextObs: Float32Array, done: boolean): boolean {
    // Updating here rather than in endEpisode lets the loop check the losses for divergence.
    if (!this.rollout.push(obs, actions, this.actor.lastMask, reward, done)) return false;
    this.update();
    this.rollout.clear();
    return true;
  }

  endEpisode(): void {}

  private update(): void {
    const { cfg } = this;
    const { numAgents: N, obsDim, stateDim, discreteActions: A } = this.ctx.dims;
    const T = this.rollout.steps.size;
    const f = this.rollout.fields();
    const sums = { actor: 0, critic: 0, entropy: 0, kl: 0, clipped: 0, minibatches: 0 };
    scope(() => {
      const state = tensor(f['obs']!, T, stateDim);
      const vOut = noGrad(() => this.critic.forward(state));
      const values = new Float64Array(T);
      for (let t = 0; t < T; t++) values[t] = cfg.normaliseValues ? this.returns.mean + this.returns.std() * vOut.data[t]! : vOut.data[t]!;
      const adv = gae(f['rew']!, values, f['done']!, 0, cfg.gamma, cfg.gaeLambda);
      const ret = adv.map((a, t) => a + values[t]!);
      this.explainedVariance(ret, values);
      if (cfg.normaliseValues) this.returns.update(ret);
      const target = tensor(cfg.normaliseValues ? ret.map((r) => (r - this.returns.mean) / this.returns.std()) : ret, T, 1);
      standardise(adv);

      const inputs = agentInputs(f['obs']!, T, N, obsDim);
      const bias = maskBias(f['mask']!, T * N, A);
      const acts = Int32Array.from(f['act']!);
      const oldLogp = noGrad(() => pickCols(this.actor.logProbs(inputs, bias), acts)).data.slice(0, T * N);

      const order = Int32Array.from({ length: T }, (_, t) => t);
      const mbSteps = Math.ceil(T / cfg.minibatches);
      const rows = new Int32Array(mbSteps * N);
      const mbActs = new Int32Array(mbSteps * N);
      const mbOld = new Float32Array(mbSteps * N);
      const mbAdv = new Float32Array(mbSteps * N);
      for (let epoch = 0; epoch < cfg.epochs; epoch++) {
        shuffle(order, this.shuffleRng);
        for (let start = 0; start < T; start += mbSteps) {
          const steps = order.subarray(start, Math.min(T, start + mbSteps));
          const R = steps.length * N;
          for (let s = 0; s < steps.length; s++) {
            for (let i = 0; i < N; i++) {
              const r = steps[s]! * N + i;
              rows[s * N + i] = r;
              mbActs[s * N + i] = acts[r]!;
              mbOld[s * N + i] = oldLogp[r]!;
              mbAdv[s * N + i] = adv[steps[s]!]!;
            }
          }
          scope(() => {
            // Clipped surrogate plus entropy bonus on the shared actor.
            const lp = this.actor.logProbs(gatherRows(inputs, rows.subarray(0, R)), gatherRows(bias, rows.subarray(0, R)));
            const ratio = exp(sub(pickCols(lp, mbActs.subarray(0, R)), tensor(mbOld.subarray(0, R), R, 1)));
            const advT = tensor(mbAdv.subarray(0, R), R, 1);
            const surrogate = minimum(mul(ratio, advT), mul(clamp(ratio, 1 - cfg.clip, 1 + cfg.clip), advT));
            const ent = mean(entropy(lp));
            const policyLoss = neg(mean(surrogate));
            const actorLoss = sub(policyLoss, mulScalar(ent, cfg.entropyCoef));
            this.actor.optim.zeroGrad();
            actorLoss.backward();
            clipGradNorm(this.actor.net.parameters(), cfg.gradClip);
            this.actor.optim.step();
            // Centralised value on the same steps.
            const valueLoss = huber(this.critic.forward(gatherRows(state, steps)), gatherRows(target, steps), cfg.huberDelta);
            this.criticOptim.zeroGrad();
            valueLoss.backward();
            clipGradNorm(this.critic.parameters(), cfg.gradClip);
            this.criticOptim.step();

            sums.actor += policyLoss.item();
            sums.critic += valueLoss.item();
            sums.entropy += ent.item();
            for (let r = 0; r < R; r++) {
              const q = ratio.data[r]!;
              sums.kl += (q - 1 - Math.log(q)) / R;
              if (Math.abs(q - 1) > cfg.clip) sums.clipped += 1 / R;
            }
            sums.minibatches++;
          });
        }
      }
    });
    const n = sums.minibatches;
    this.updates++;
    this.last['loss/actor'] = sums.actor / n;
    this.last['loss/critic'] = sums.critic / n;
    this.last['loss/entropy'] = sums.entropy / n;
    this.last['charts/approxKl'] = sums.kl / n;
    this.last['charts/clipFrac'] = sums.clipped / n;
    if (cfg.normaliseValues) {
      this.last['value/returnMean'] = this.returns.mean;
      this.last['value/returnStd'] = this.returns.std();
    }
  }

  /** 1 - Var(returns - values) / Var(returns) of the batch, before the update (skipped when returns are constant). */
  private explainedVariance(ret: Float64Array, values: Float64Array): void {
    const varOf = (g: (t: number) => number): number => {
      let m = 0, s = 0;
      for (let t = 0; t < ret.length; t++) m += g(t);
      m /= ret.length;
      for (let t = 0; t < ret.length; t++) s += (g(t) - m) ** 2;
      return s / ret.length;
    };
    const v = varOf((t) => ret[t]!);
    if (v > 1e-12) this.last['charts/explainedVariance'] = 1 - varOf((t) => ret[t]! - values[t]!) / v;
  }

  metrics(): MetricRecord {
    return { ...this.last, 'charts/updates': this.updates, 'buffer/episodes': this.rollout.episodes };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const actorStep = this.actor.save(arrays, 'actor');
    putModule(arrays, 'critic', this.critic);
    const criticStep = putAdam(arrays, 'optim.critic', this.criticOptim);
    const rollout = this.rollout.save(arrays);
    const { mean: m, variance, count } = this.returns;
    return {
      arrays,
      meta: {
        actorStep, criticStep, rollout, updates: this.updates,
        returns: { mean: m, variance, count }, last: { ...this.last },
        actRng: randomToJson(this.actRng), shuffleRng: randomToJson(this.shuffleRng),
      },
    };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.actor.load(state.arrays, 'actor', m['actorStep'] as number);
    takeModule(state.arrays, 'critic', this.critic);
    takeAdam(state.arrays, 'optim.critic', this.criticOptim, m['criticStep'] as number);
    this.rollout.load(state.arrays, m['rollout'] as AlgorithmState['meta']);
    this.updates = m['updates'] as number;
    Object.assign(this.returns, m['returns'] as { mean: number; variance: number; count: number });
    Object.assign(this.last, m['last'] as MetricRecord);
    randomFromJson(this.actRng, m['actRng']);
    randomFromJson(this.shuffleRng, m['shuffleRng']);
  }
}

/** Standardise in place to mean 0, std 1 (PPO's per-batch advantage normalisation). */
function standardise(x: Float64Array): void {
  let m = 0, v = 0;
  for (const a of x) m += a;
  m /= x.length;
  for (const a of x) v += (a - m) ** 2;
  const sd = Math.sqrt(v / x.length) + 1e-8;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - m) / sd;
}

/** In-place Fisher-Yates shuffle of a typed array. */
function shuffle(a: Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** MAPPO's registry entry. */
export const mappo: AlgorithmSpec<MappoConfig> = {
  name: 'mappo',
  description: 'MAPPO: shared masked discrete actor, centralised value, GAE and clipped surrogate (Yu et al. 2022)',
  actionEncoding: 'discrete',
  onPolicy: true,
  centralisedCritic: true,
  configSchema: mappoConfigSchema,
  namedConfigs: {},
  create: (ctx, config) => new Mappo(ctx, config),
};
