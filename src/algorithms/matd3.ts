/**
 * MATD3 (Ackermann et al. 2019; TD3 of Fujimoto et al. 2018 made multi-agent):
 * MADDPG with two centralised critics per agent, the minimum of their targets
 * in the critic target, target-policy smoothing (clipped Gaussian noise on the
 * target actors' actions) and actor and target updates only every
 * `policyDelay` critic updates. Network sizes and schedule as MADDPG (SPEC 3.3).
 */
import { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { concatCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import { Tensor } from '../nn/tensor.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { ACTION_DIM } from './common/actors.js';
import { batchTensors } from './common/batch.js';
import { DdpgCore, TargetCritic, stepAgentActor } from './common/ddpg-core.js';
import { ddpgConfigShape } from './common/ddpg-config.js';
import type { ArrayMap } from './common/state-io.js';
import { randomFromJson, randomToJson } from './common/state-io.js';

/** MATD3 hyperparameters: MADDPG's plus TD3's three (Fujimoto et al. defaults). */
export const matd3ConfigSchema = z.object({
  ...ddpgConfigShape,
  policyNoise: z.number().min(0).default(0.2).describe('std of the Gaussian noise on target actions (target-policy smoothing)'),
  noiseClip: z.number().min(0).default(0.5).describe('the smoothing noise is clipped to [-noiseClip, noiseClip]'),
  policyDelay: z.number().int().positive().default(2).describe('critic updates per actor and target update'),
}).strict();
/** Parsed MATD3 configuration. */
export type Matd3Config = z.infer<typeof matd3ConfigSchema>;

/**
 * The TD3 critic target per sample, written into `out`:
 * y = r + gamma * notDone * min(q1Next, q2Next), the two target critics'
 * values of the next state and the smoothed target action.
 */
export function twinTarget(rew: ArrayLike<number>, notDone: ArrayLike<number>, q1Next: ArrayLike<number>, q2Next: ArrayLike<number>, gamma: number, out: Float32Array): Float32Array {
  for (let b = 0; b < out.length; b++) out[b] = rew[b]! + gamma * notDone[b]! * Math.min(q1Next[b]!, q2Next[b]!);
  return out;
}

/** Target-policy smoothing in place: a + clip(sigma * N(0, 1), -noiseClip, noiseClip), then clipped to [-1, 1]. */
export function smoothTargetActions(actions: Float32Array, sigma: number, noiseClip: number, rng: Random): void {
  for (let j = 0; j < actions.length; j++) {
    const eps = Math.max(-noiseClip, Math.min(noiseClip, sigma * rng.normal()));
    actions[j] = Math.max(-1, Math.min(1, actions[j]! + eps));
  }
}

class Matd3 implements Algorithm {
  private readonly core: DdpgCore;
  /** Per agent, the twin critics (each with its target and optimiser). */
  private readonly critics: [TargetCritic, TargetCritic][];
  private readonly smoothRng: Random;
  private updates = 0;
  private readonly last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: Matd3Config) {
    const { numAgents, stateDim } = ctx.dims;
    this.core = new DdpgCore(ctx, cfg);
    this.smoothRng = ctx.rng.fork('smooth');
    const sizes = [stateDim + numAgents * ACTION_DIM, cfg.hidden, cfg.hidden, 1];
    const make = (): TargetCritic => new TargetCritic(sizes, cfg.criticLr, this.core.initRng);
    this.critics = Array.from({ length: numAgents }, (): [TargetCritic, TargetCritic] => [make(), make()]);
  }

  act(env: DsMecEnv, explore: boolean, out: Float32Array): void {
    this.core.act(env, explore, out);
  }

  beginEpisode(episode: number): void {
    this.core.beginEpisode(episode);
  }

  observe(obs: Float32Array, actions: Float32Array, reward: number, nextObs: Float32Array, done: boolean): boolean {
    if (!this.core.store(obs, actions, reward, nextObs, done)) return false;
    this.update();
    return true;
  }

  endEpisode(): void {}

  private update(): void {
    const { cfg, core } = this;
    const { numAgents, obsDim } = this.ctx.dims;
    const B = cfg.batchSize;
    const batch = core.sample();
    const actorTurn = (this.updates + 1) % cfg.policyDelay === 0;
    let criticSum = 0, actorSum = 0, qSum = 0;
    scope(() => {
      const b = batchTensors(batch, B);
      // One smoothed target joint action for the whole batch, shared by every agent's critics.
      const nextAct = noGrad(() => {
        const a = core.actors.jointAction(b['next']!, true);
        smoothTargetActions(a.data.subarray(0, a.size), cfg.policyNoise, cfg.noiseClip, this.smoothRng);
        return a;
      });
      const nextIn = concatCols([b['next']!, nextAct]);
      const taken = concatCols([b['obs']!, b['act']!]);
      for (let i = 0; i < numAgents; i++) {
        const [c1, c2] = this.critics[i]!;
        const y = noGrad(() => {
          const target = Tensor.empty(B, 1);
          twinTarget(b['rew']!.data, b['notDone']!.data, c1.target.forward(nextIn).data, c2.target.forward(nextIn).data, cfg.gamma, target.data.subarray(0, B));
          return target;
        });
        for (const [c, critic] of [c1, c2].entries()) {
          const q = critic.net.forward(taken);
          const loss = mse(q, y);
          critic.minimise(loss, cfg.gradClip);
          criticSum += loss.item() / 2;
          if (c === 0) qSum += mean(q).item();
        }
        // Actor i through its first critic, the other agents' actions from the buffer.
        if (actorTurn) actorSum += stepAgentActor(core.actors, c1.net, b['obs']!, b['act']!, i, obsDim, cfg.actionReg);
      }
    });
    if (actorTurn) {
      for (const pair of this.critics) for (const c of pair) c.softUpdateTarget(cfg.tau);
      core.actors.softUpdateTargets(cfg.tau);
      this.last['loss/actor'] = actorSum / numAgents;
    }
    this.updates++;
    this.last['loss/critic'] = criticSum / numAgents;
    this.last['q/mean'] = qSum / numAgents;
  }

  metrics(): MetricRecord {
    return { ...this.last, 'charts/noiseScale': this.core.scale, 'charts/updates': this.updates, 'buffer/size': this.core.buffer.size };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const core = this.core.save(arrays);
    const criticSteps = this.critics.flatMap((pair, i) => pair.map((c, k) => c.save(arrays, `critic${i}.${k}`)));
    return { arrays, meta: { core, criticSteps, updates: this.updates, smoothRng: randomToJson(this.smoothRng), last: { ...this.last } } };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.core.load(state.arrays, m['core'] as AlgorithmState['meta']);
    const steps = m['criticSteps'] as number[];
    this.critics.forEach((pair, i) => pair.forEach((c, k) => c.load(state.arrays, `critic${i}.${k}`, steps[2 * i + k] ?? 0)));
    this.updates = m['updates'] as number;
    randomFromJson(this.smoothRng, m['smoothRng']);
    Object.assign(this.last, m['last'] as MetricRecord);
  }
}

/** MATD3's registry entry. */
export const matd3: AlgorithmSpec<Matd3Config> = {
  name: 'matd3',
  description: 'MATD3: MADDPG with twin critics, target-policy smoothing and delayed actor updates',
  actionEncoding: 'continuous',
  onPolicy: false,
  centralisedCritic: true,
  configSchema: matd3ConfigSchema,
  namedConfigs: {},
  create: (ctx, config) => new Matd3(ctx, config),
};
