/**
 * MADDPG (Lowe et al. 2017): deterministic actors on local observations, one
 * centralised critic per agent Q_i(s, a_1..a_n), trained off-policy from a
 * shared replay buffer. Network sizes and schedule as MITRA-VIB (SPEC 3.3).
 */
import { z } from 'zod';
import type { DsMecEnv } from '../env/env.js';
import { add, mul, mulScalar } from '../nn/ops-elementwise.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { concatCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { ACTION_DIM } from './common/actors.js';
import { batchTensors } from './common/batch.js';
import { DdpgCore, TargetCritic, stepAgentActor } from './common/ddpg-core.js';
import { ddpgConfigShape } from './common/ddpg-config.js';
import type { ArrayMap } from './common/state-io.js';

/** MADDPG hyperparameters. */
export const maddpgConfigSchema = z.object(ddpgConfigShape).strict();
/** Parsed MADDPG configuration. */
export type MaddpgConfig = z.infer<typeof maddpgConfigSchema>;

class Maddpg implements Algorithm {
  private readonly core: DdpgCore;
  private readonly critics: TargetCritic[];
  private updates = 0;
  private last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: MaddpgConfig) {
    const { numAgents, stateDim } = ctx.dims;
    this.core = new DdpgCore(ctx, cfg);
    const sizes = [stateDim + numAgents * ACTION_DIM, cfg.hidden, cfg.hidden, 1];
    this.critics = Array.from({ length: numAgents }, () => new TargetCritic(sizes, cfg.criticLr, this.core.initRng));
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
    const batch = core.sample();
    let criticSum = 0, actorSum = 0, qSum = 0;
    scope(() => {
      const b = batchTensors(batch, cfg.batchSize);
      const nextAct = noGrad(() => core.actors.jointAction(b['next']!, true));
      for (let i = 0; i < numAgents; i++) {
        const critic = this.critics[i]!;
        // Critic: y = r + gamma * (1 - done) * Q_i'(s', mu'(o')).
        const y = noGrad(() => {
          const qNext = critic.target.forward(concatCols([b['next']!, nextAct]));
          return add(b['rew']!, mulScalar(mul(b['notDone']!, qNext), cfg.gamma));
        });
        const q = critic.net.forward(concatCols([b['obs']!, b['act']!]));
        const criticLoss = mse(q, y);
        critic.minimise(criticLoss, cfg.gradClip);
        criticSum += criticLoss.item();
        qSum += mean(q).item();
        actorSum += stepAgentActor(core.actors, critic.net, b['obs']!, b['act']!, i, obsDim, cfg.actionReg);
      }
    });
    for (const c of this.critics) c.softUpdateTarget(cfg.tau);
    core.actors.softUpdateTargets(cfg.tau);
    this.updates++;
    this.last = { 'loss/critic': criticSum / numAgents, 'loss/actor': actorSum / numAgents, 'q/mean': qSum / numAgents };
  }

  metrics(): MetricRecord {
    return {
      ...this.last,
      'charts/noiseScale': this.core.scale,
      'charts/updates': this.updates,
      'buffer/size': this.core.buffer.size,
    };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const core = this.core.save(arrays);
    const criticSteps = this.critics.map((c, i) => c.save(arrays, `critic${i}`));
    return { arrays, meta: { core, criticSteps, updates: this.updates, last: { ...this.last } } };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.core.load(state.arrays, m['core'] as AlgorithmState['meta']);
    const steps = m['criticSteps'] as number[];
    this.critics.forEach((c, i) => c.load(state.arrays, `critic${i}`, steps[i] ?? 0));
    this.updates = m['updates'] as number;
    this.last = { ...(m['last'] as MetricRecord) };
  }
}

/** MADDPG's registry entry. */
export const maddpg: AlgorithmSpec<MaddpgConfig> = {
  name: 'maddpg',
  description: 'MADDPG: deterministic actors, one centralised critic per agent (Lowe et al. 2017)',
  actionEncoding: 'continuous',
  onPolicy: false,
  centralisedCritic: true,
  configSchema: maddpgConfigSchema,
  namedConfigs: {},
  create: (ctx, config) => new Maddpg(ctx, config),
};
