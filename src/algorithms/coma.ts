/**
 * COMA (Foerster et al. 2018): counterfactual multi-agent policy gradients.
 * One discrete actor shared by all agents (own observation + agent-id one-hot,
 * masked logits over server x offload level) and one centralised critic that,
 * given the state, agent i's id and the other agents' actions (one-hot), gives
 * Q for every action of agent i. The actor follows the counterfactual
 * advantage A_i = Q(s, a) - sum_a' pi_i(a' | o_i) Q(s, (a_-i, a')); the critic
 * regresses on TD(lambda) targets of a target critic over whole episodes,
 * hard-updated every `targetUpdateEvery` updates. On-policy: one update per
 * `episodesPerBatch` episodes.
 *
 * Exploration: the paper (and pymarl) mix the policy with an annealed uniform
 * epsilon; here an entropy bonus does that job, so acting is plain sampling.
 * Checkpoints save the episodes of an unfinished batch, so a resume is exact.
 */
import { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import { Adam } from '../nn/adam.js';
import { MLP, clipGradNorm, copyParams } from '../nn/layers.js';
import { mul, mulScalar, neg, sub } from '../nn/ops-elementwise.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { pickCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import { tensor } from '../nn/tensor.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { SharedCategoricalActor, agentInputs, entropy, maskBias } from './common/categorical-actor.js';
import { EpisodeBatch } from './common/episode-batch.js';
import type { ArrayMap } from './common/state-io.js';
import { putAdam, putModule, randomFromJson, randomToJson, takeAdam, takeModule } from './common/state-io.js';

/** COMA hyperparameters (pymarl's COMA defaults unless stated). */
export const comaConfigSchema = z.object({
  hidden: z.number().int().positive().default(64).describe('hidden width of the actor'),
  criticHidden: z.number().int().positive().default(128).describe('hidden width of the critic'),
  actorLr: z.number().positive().default(5e-4).describe('Adam learning rate of the actor'),
  criticLr: z.number().positive().default(5e-4).describe('Adam learning rate of the critic'),
  gamma: z.number().min(0).max(1).default(0.95).describe('discount factor (the project-wide 0.95 of MITRA-VIB; pymarl uses 0.99)'),
  tdLambda: z.number().min(0).max(1).default(0.8).describe('lambda of the TD(lambda) critic targets'),
  entropyCoef: z.number().min(0).default(0.01).describe('weight of the entropy bonus (stands in for epsilon-mixed exploration)'),
  criticSteps: z.number().int().positive().default(5).describe('full-batch critic steps per update'),
  episodesPerBatch: z.number().int().positive().default(8).describe('episodes collected before each update'),
  targetUpdateEvery: z.number().int().positive().default(25).describe('updates between hard copies of the critic into its target'),
  gradClip: z.number().positive().default(10).describe('gradient-norm clip of actor and critic'),
}).strict();
/** Parsed COMA configuration. */
export type ComaConfig = z.infer<typeof comaConfigSchema>;

/**
 * COMA's counterfactual baseline and advantage per row (one row per agent and
 * step): baseline = sum_a' pi(a') Q(a'), advantage = Q(taken) - baseline, with
 * `q` and `pi` row-major rows x numActions. Writes `advantages` (and
 * `baselines` when given).
 */
export function counterfactualAdvantages(q: ArrayLike<number>, pi: ArrayLike<number>, actions: ArrayLike<number>, numActions: number, advantages: Float32Array, baselines?: Float32Array): void {
  for (let r = 0; r < actions.length; r++) {
    let b = 0;
    for (let a = 0; a < numActions; a++) b += pi[r * numActions + a]! * q[r * numActions + a]!;
    if (baselines) baselines[r] = b;
    advantages[r] = q[r * numActions + actions[r]!]! - b;
  }
}

/**
 * TD(lambda) returns of one agent over a rollout in time order:
 * G_t = r_t + gamma (1 - done_t) ((1 - lambda) nextQ_t + lambda G_{t+1}),
 * where nextQ_t is the target critic's Q of the next step's taken action and
 * G_{t+1} is replaced by nextQ_t after the last step when that did not end an episode.
 */
export function tdLambdaReturns(rewards: ArrayLike<number>, nextQ: ArrayLike<number>, dones: ArrayLike<number>, gamma: number, lambda: number): Float64Array {
  const T = rewards.length;
  const g = new Float64Array(T);
  let after = 0;
  for (let t = T - 1; t >= 0; t--) {
    const live = dones[t] ? 0 : 1;
    const tail = t === T - 1 ? nextQ[t]! : after;
    after = rewards[t]! + gamma * live * ((1 - lambda) * nextQ[t]! + lambda * tail);
    g[t] = after;
  }
  return g;
}

class Coma implements Algorithm {
  private readonly actor: SharedCategoricalActor;
  private readonly critic: MLP;
  private readonly criticTarget: MLP;
  private readonly criticOptim: Adam;
  /** Steps of the episodes of the current batch, in time order. */
  private readonly rollout: EpisodeBatch;
  private readonly actRng: Random;
  private updates = 0;
  private readonly last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: ComaConfig) {
    const { numAgents: N, obsDim, stateDim, discreteActions: A } = ctx.dims;
    const initRng = ctx.rng.fork('init');
    this.actRng = ctx.rng.fork('act');
    this.actor = new SharedCategoricalActor({ numAgents: N, obsDim, numActions: A, hidden: cfg.hidden, lr: cfg.actorLr }, initRng);
    const sizes = [stateDim + N + N * A, cfg.criticHidden, cfg.criticHidden, A];
    this.critic = new MLP({ sizes }, initRng);
    this.criticTarget = new MLP({ sizes }, initRng);
    copyParams(this.criticTarget, this.critic);
    this.criticOptim = new Adam(this.critic.parameters(), { lr: cfg.criticLr });
    this.rollout = new EpisodeBatch(N, obsDim, A, cfg.episodesPerBatch);
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
    const acts = Int32Array.from(f['act']!);
    const rows = T * N;
    scope(() => {
      const criticIn = tensor(criticInputs(f['obs']!, acts, T, N, stateDim, A), rows, stateDim + N + N * A);

      // TD(lambda) targets per agent from the target critic's Q of the taken actions.
      const qTarget = noGrad(() => pickCols(this.criticTarget.forward(criticIn), acts));
      const y = new Float32Array(rows);
      const rew = f['rew']!, done = f['done']!;
      const nextQ = new Float64Array(T);
      for (let i = 0; i < N; i++) {
        for (let t = 0; t < T; t++) nextQ[t] = done[t] || t === T - 1 ? 0 : qTarget.data[(t + 1) * N + i]!;
        const g = tdLambdaReturns(rew, nextQ, done, cfg.gamma, cfg.tdLambda);
        for (let t = 0; t < T; t++) y[t * N + i] = g[t]!;
      }
      const yT = tensor(y, rows, 1);
      let criticLoss = 0;
      for (let s = 0; s < cfg.criticSteps; s++) {
        scope(() => {
          const loss = mse(pickCols(this.critic.forward(criticIn), acts), yT);
          this.criticOptim.zeroGrad();
          loss.backward();
          clipGradNorm(this.critic.parameters(), cfg.gradClip);
          this.criticOptim.step();
          criticLoss = loss.item();
        });
      }

      // Counterfactual advantages from the updated critic and the current policy.
      const q = noGrad(() => this.critic.forward(criticIn));
      const logp = this.actor.logProbs(agentInputs(f['obs']!, T, N, obsDim), maskBias(f['mask']!, rows, A));
      const pi = Float32Array.from(logp.data.subarray(0, rows * A), Math.exp);
      const adv = new Float32Array(rows);
      counterfactualAdvantages(q.data, pi, acts, A, adv);
      const ent = mean(entropy(logp));
      const policyLoss = neg(mean(mul(tensor(adv, rows, 1), pickCols(logp, acts))));
      const actorLoss = sub(policyLoss, mulScalar(ent, cfg.entropyCoef));
      this.actor.optim.zeroGrad();
      actorLoss.backward();
      clipGradNorm(this.actor.net.parameters(), cfg.gradClip);
      this.actor.optim.step();

      let qSum = 0;
      for (let r = 0; r < rows; r++) qSum += q.data[r * A + acts[r]!]!;
      this.last['loss/actor'] = policyLoss.item();
      this.last['loss/critic'] = criticLoss;
      this.last['loss/entropy'] = ent.item();
      this.last['q/mean'] = qSum / rows;
    });
    this.updates++;
    if (this.updates % cfg.targetUpdateEvery === 0) copyParams(this.criticTarget, this.critic);
  }

  metrics(): MetricRecord {
    return { ...this.last, 'charts/updates': this.updates, 'buffer/episodes': this.rollout.episodes };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const actorStep = this.actor.save(arrays, 'actor');
    putModule(arrays, 'critic', this.critic);
    putModule(arrays, 'criticTarget', this.criticTarget);
    const criticStep = putAdam(arrays, 'optim.critic', this.criticOptim);
    const rollout = this.rollout.save(arrays);
    return {
      arrays,
      meta: {
        actorStep, criticStep, rollout, updates: this.updates,
        last: { ...this.last }, actRng: randomToJson(this.actRng),
      },
    };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.actor.load(state.arrays, 'actor', m['actorStep'] as number);
    takeModule(state.arrays, 'critic', this.critic);
    takeModule(state.arrays, 'criticTarget', this.criticTarget);
    takeAdam(state.arrays, 'optim.critic', this.criticOptim, m['criticStep'] as number);
    this.rollout.load(state.arrays, m['rollout'] as AlgorithmState['meta']);
    this.updates = m['updates'] as number;
    Object.assign(this.last, m['last'] as MetricRecord);
    randomFromJson(this.actRng, m['actRng']);
  }
}

/**
 * Critic input rows, row t*N + i = [state_t | one-hot(i) | actions of every
 * agent but i, one-hot per agent (agent i's block left zero)].
 */
function criticInputs(states: Float32Array, acts: Int32Array, T: number, N: number, stateDim: number, A: number): Float32Array {
  const w = stateDim + N + N * A;
  const out = new Float32Array(T * N * w);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const row = (t * N + i) * w;
      out.set(states.subarray(t * stateDim, (t + 1) * stateDim), row);
      out[row + stateDim + i] = 1;
      for (let j = 0; j < N; j++) if (j !== i) out[row + stateDim + N + j * A + acts[t * N + j]!] = 1;
    }
  }
  return out;
}

/** COMA's registry entry. */
export const coma: AlgorithmSpec<ComaConfig> = {
  name: 'coma',
  description: 'COMA: shared masked discrete actor, centralised per-action critic, counterfactual baseline (Foerster et al. 2018)',
  actionEncoding: 'discrete',
  onPolicy: true,
  centralisedCritic: true,
  configSchema: comaConfigSchema,
  namedConfigs: {},
  create: (ctx, config) => new Coma(ctx, config),
};
