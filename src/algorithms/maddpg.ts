/**
 * MADDPG (Lowe et al. 2017): deterministic actors on local observations, one
 * centralised critic per agent Q_i(s, a_1..a_n), trained off-policy from a
 * shared replay buffer. Network sizes and schedule as MITRA-VIB (SPEC 3.3).
 */
import { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import { Adam } from '../nn/adam.js';
import { MLP, clipGradNorm, copyParams, softUpdate } from '../nn/layers.js';
import { add, mul, mulScalar, neg, square } from '../nn/ops-elementwise.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { concatCols, sliceCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { ACTION_DIM, ActorGroup, replaceAction } from './common/actors.js';
import { batchTensors } from './common/batch.js';
import { ddpgConfigShape, transitionWidths } from './common/ddpg-config.js';
import { noiseScale } from './common/ou-noise.js';
import { ReplayBuffer } from './common/replay-buffer.js';
import type { ArrayMap } from './common/state-io.js';
import { putAdam, putBuffer, putModule, randomFromJson, randomToJson, takeAdam, takeBuffer, takeModule } from './common/state-io.js';

/** MADDPG hyperparameters. */
export const maddpgConfigSchema = z.object(ddpgConfigShape).strict();
/** Parsed MADDPG configuration. */
export type MaddpgConfig = z.infer<typeof maddpgConfigSchema>;

class Maddpg implements Algorithm {
  private readonly actors: ActorGroup;
  private readonly critics: MLP[];
  private readonly criticTargets: MLP[];
  private readonly criticOptims: Adam[];
  private readonly buffer: ReplayBuffer;
  private readonly batch: Record<string, Float32Array>;
  private readonly sampleRng: Random;
  private readonly noiseRng: Random;
  private steps = 0;
  private updates = 0;
  private scale = 0;
  private last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: MaddpgConfig) {
    const { numAgents, obsDim, stateDim } = ctx.dims;
    const initRng = ctx.rng.fork('init');
    this.noiseRng = ctx.rng.fork('noise');
    this.sampleRng = ctx.rng.fork('sample');
    this.actors = new ActorGroup(
      { numAgents, obsDim, hidden: cfg.hidden, lr: cfg.actorLr, gradClip: cfg.gradClip, ouTheta: cfg.ouTheta, ouSigma: cfg.ouSigma },
      initRng, this.noiseRng,
    );
    const sizes = [stateDim + numAgents * ACTION_DIM, cfg.hidden, cfg.hidden, 1];
    this.critics = [];
    this.criticTargets = [];
    for (let i = 0; i < numAgents; i++) {
      const c = new MLP({ sizes }, initRng);
      const t = new MLP({ sizes }, initRng);
      copyParams(t, c);
      this.critics.push(c);
      this.criticTargets.push(t);
    }
    this.criticOptims = this.critics.map((c) => new Adam(c.parameters(), { lr: cfg.criticLr }));
    this.buffer = new ReplayBuffer(cfg.bufferSize, transitionWidths(numAgents, obsDim, ACTION_DIM));
    this.batch = this.buffer.batchArrays(cfg.batchSize);
  }

  act(env: DsMecEnv, explore: boolean, out: Float32Array): void {
    this.actors.act(env.obs, out, explore ? this.scale : 0);
  }

  beginEpisode(episode: number): void {
    this.actors.noise.reset();
    this.scale = noiseScale(episode, this.cfg.noiseScale, this.cfg.noiseDecayEpisodes);
  }

  observe(obs: Float32Array, actions: Float32Array, reward: number, nextObs: Float32Array, done: boolean): boolean {
    this.buffer.push({ obs, act: actions, rew: reward, next: nextObs, notDone: done ? 0 : 1 });
    this.steps++;
    if (this.steps % this.cfg.updateEvery !== 0 || this.buffer.size < Math.max(this.cfg.learningStarts, 1)) return false;
    this.update();
    return true;
  }

  endEpisode(): void {}

  private update(): void {
    const { cfg } = this;
    const { numAgents } = this.ctx.dims;
    const B = cfg.batchSize;
    this.buffer.sample(B, this.sampleRng, this.batch);
    let criticSum = 0, actorSum = 0, qSum = 0;
    scope(() => {
      const b = batchTensors(this.batch, B);
      const nextAct = noGrad(() => this.actors.jointAction(b['next']!, true));
      for (let i = 0; i < numAgents; i++) {
        const critic = this.critics[i]!;
        // Critic: y = r + gamma * (1 - done) * Q_i'(s', mu'(o')).
        const y = noGrad(() => {
          const qNext = this.criticTargets[i]!.forward(concatCols([b['next']!, nextAct]));
          return add(b['rew']!, mulScalar(mul(b['notDone']!, qNext), cfg.gamma));
        });
        const q = critic.forward(concatCols([b['obs']!, b['act']!]));
        const criticLoss = mse(q, y);
        this.criticOptims[i]!.zeroGrad();
        criticLoss.backward();
        clipGradNorm(critic.parameters(), cfg.gradClip);
        this.criticOptims[i]!.step();
        criticSum += criticLoss.item();
        qSum += mean(q).item();
        // Actor i: replace agent i's action by mu_i(o_i), keep the others from the buffer.
        const ai = this.actors.actors[i]!.forward(sliceCols(b['obs']!, i * this.ctx.dims.obsDim, (i + 1) * this.ctx.dims.obsDim));
        const joint = replaceAction(b['act']!, ai, i, numAgents);
        const actorLoss = add(neg(mean(critic.forward(concatCols([b['obs']!, joint])))), mulScalar(mean(square(ai)), cfg.actionReg));
        this.actors.optims[i]!.zeroGrad();
        actorLoss.backward();
        clipGradNorm(this.actors.actors[i]!.parameters(), cfg.gradClip);
        this.actors.optims[i]!.step();
        actorSum += actorLoss.item();
      }
    });
    for (let i = 0; i < numAgents; i++) softUpdate(this.criticTargets[i]!, this.critics[i]!, cfg.tau);
    this.actors.softUpdateTargets(cfg.tau);
    this.updates++;
    this.last = { 'loss/critic': criticSum / numAgents, 'loss/actor': actorSum / numAgents, 'q/mean': qSum / numAgents };
  }

  metrics(): MetricRecord {
    return {
      ...this.last,
      'charts/noiseScale': this.scale,
      'charts/updates': this.updates,
      'buffer/size': this.buffer.size,
    };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const actorSteps = this.actors.save(arrays);
    const criticSteps = this.critics.map((c, i) => {
      putModule(arrays, `critic${i}`, c);
      putModule(arrays, `criticTarget${i}`, this.criticTargets[i]!);
      return putAdam(arrays, `optim.critic${i}`, this.criticOptims[i]!);
    });
    const replay = putBuffer(arrays, 'replay', this.buffer);
    return {
      arrays,
      meta: {
        actorSteps, criticSteps, replay, steps: this.steps, updates: this.updates,
        noiseRng: randomToJson(this.noiseRng), sampleRng: randomToJson(this.sampleRng),
        noise: Array.from(this.actors.noise.state), last: { ...this.last },
      },
    };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.actors.load(state.arrays, m['actorSteps'] as number[]);
    const criticSteps = m['criticSteps'] as number[];
    this.critics.forEach((c, i) => {
      takeModule(state.arrays, `critic${i}`, c);
      takeModule(state.arrays, `criticTarget${i}`, this.criticTargets[i]!);
      takeAdam(state.arrays, `optim.critic${i}`, this.criticOptims[i]!, criticSteps[i] ?? 0);
    });
    takeBuffer(state.arrays, 'replay', this.buffer, m['replay']);
    this.steps = m['steps'] as number;
    this.updates = m['updates'] as number;
    randomFromJson(this.noiseRng, m['noiseRng']);
    randomFromJson(this.sampleRng, m['sampleRng']);
    this.actors.noise.state.set(m['noise'] as number[]);
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
