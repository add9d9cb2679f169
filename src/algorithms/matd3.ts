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
import { Adam } from '../nn/adam.js';
import { MLP, clipGradNorm, copyParams, softUpdate } from '../nn/layers.js';
import { add, mulScalar, neg, square } from '../nn/ops-elementwise.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { concatCols, sliceCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import { Tensor } from '../nn/tensor.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { ACTION_DIM, ActorGroup } from './common/actors.js';
import { batchTensors } from './common/batch.js';
import { ddpgConfigShape, transitionWidths } from './common/ddpg-config.js';
import { noiseScale } from './common/ou-noise.js';
import { ReplayBuffer } from './common/replay-buffer.js';
import type { ArrayMap } from './common/state-io.js';
import { putAdam, putBuffer, putModule, randomFromJson, randomToJson, takeAdam, takeBuffer, takeModule } from './common/state-io.js';
import { replaceAction } from './common/actors.js';

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
  private readonly actors: ActorGroup;
  /** Per agent, the two critics, their targets and optimisers. */
  private readonly critics: [MLP, MLP][];
  private readonly criticTargets: [MLP, MLP][];
  private readonly criticOptims: [Adam, Adam][];
  private readonly buffer: ReplayBuffer;
  private readonly batch: Record<string, Float32Array>;
  private readonly sampleRng: Random;
  private readonly noiseRng: Random;
  private readonly smoothRng: Random;
  private steps = 0;
  private updates = 0;
  private scale = 0;
  private readonly last: MetricRecord = {};

  constructor(private readonly ctx: AlgorithmContext, private readonly cfg: Matd3Config) {
    const { numAgents, obsDim, stateDim } = ctx.dims;
    const initRng = ctx.rng.fork('init');
    this.noiseRng = ctx.rng.fork('noise');
    this.sampleRng = ctx.rng.fork('sample');
    this.smoothRng = ctx.rng.fork('smooth');
    this.actors = new ActorGroup(
      { numAgents, obsDim, hidden: cfg.hidden, lr: cfg.actorLr, gradClip: cfg.gradClip, ouTheta: cfg.ouTheta, ouSigma: cfg.ouSigma },
      initRng, this.noiseRng,
    );
    const sizes = [stateDim + numAgents * ACTION_DIM, cfg.hidden, cfg.hidden, 1];
    const make = (): MLP => new MLP({ sizes }, initRng);
    this.critics = [];
    this.criticTargets = [];
    for (let i = 0; i < numAgents; i++) {
      const pair: [MLP, MLP] = [make(), make()];
      const targets: [MLP, MLP] = [make(), make()];
      copyParams(targets[0], pair[0]);
      copyParams(targets[1], pair[1]);
      this.critics.push(pair);
      this.criticTargets.push(targets);
    }
    this.criticOptims = this.critics.map(([c1, c2]) => [new Adam(c1.parameters(), { lr: cfg.criticLr }), new Adam(c2.parameters(), { lr: cfg.criticLr })]);
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
    const { numAgents, obsDim } = this.ctx.dims;
    const B = cfg.batchSize;
    this.buffer.sample(B, this.sampleRng, this.batch);
    const actorTurn = (this.updates + 1) % cfg.policyDelay === 0;
    let criticSum = 0, actorSum = 0, qSum = 0;
    scope(() => {
      const b = batchTensors(this.batch, B);
      // One smoothed target joint action for the whole batch, shared by every agent's critics.
      const nextAct = noGrad(() => {
        const a = this.actors.jointAction(b['next']!, true);
        smoothTargetActions(a.data.subarray(0, a.size), cfg.policyNoise, cfg.noiseClip, this.smoothRng);
        return a;
      });
      const nextIn = concatCols([b['next']!, nextAct]);
      const taken = concatCols([b['obs']!, b['act']!]);
      for (let i = 0; i < numAgents; i++) {
        const [t1, t2] = this.criticTargets[i]!;
        const y = noGrad(() => {
          const target = Tensor.empty(B, 1);
          twinTarget(b['rew']!.data, b['notDone']!.data, t1.forward(nextIn).data, t2.forward(nextIn).data, cfg.gamma, target.data.subarray(0, B));
          return target;
        });
        for (let c = 0; c < 2; c++) {
          const critic = this.critics[i]![c]!;
          const q = critic.forward(taken);
          const loss = mse(q, y);
          this.criticOptims[i]![c]!.zeroGrad();
          loss.backward();
          clipGradNorm(critic.parameters(), cfg.gradClip);
          this.criticOptims[i]![c]!.step();
          criticSum += loss.item() / 2;
          if (c === 0) qSum += mean(q).item();
        }
        if (!actorTurn) continue;
        // Actor i through its first critic, the other agents' actions from the buffer.
        const ai = this.actors.actors[i]!.forward(sliceCols(b['obs']!, i * obsDim, (i + 1) * obsDim));
        const joint = replaceAction(b['act']!, ai, i, numAgents);
        const actorLoss = add(neg(mean(this.critics[i]![0].forward(concatCols([b['obs']!, joint])))), mulScalar(mean(square(ai)), cfg.actionReg));
        this.actors.optims[i]!.zeroGrad();
        actorLoss.backward();
        clipGradNorm(this.actors.actors[i]!.parameters(), cfg.gradClip);
        this.actors.optims[i]!.step();
        actorSum += actorLoss.item();
      }
    });
    if (actorTurn) {
      for (let i = 0; i < numAgents; i++) {
        for (let c = 0; c < 2; c++) softUpdate(this.criticTargets[i]![c]!, this.critics[i]![c]!, cfg.tau);
      }
      this.actors.softUpdateTargets(cfg.tau);
      this.last['loss/actor'] = actorSum / numAgents;
    }
    this.updates++;
    this.last['loss/critic'] = criticSum / numAgents;
    this.last['q/mean'] = qSum / numAgents;
  }

  metrics(): MetricRecord {
    return { ...this.last, 'charts/noiseScale': this.scale, 'charts/updates': this.updates, 'buffer/size': this.buffer.size };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const actorSteps = this.actors.save(arrays);
    const criticSteps = this.critics.flatMap((pair, i) => pair.map((c, k) => {
      putModule(arrays, `critic${i}.${k}`, c);
      putModule(arrays, `criticTarget${i}.${k}`, this.criticTargets[i]![k]!);
      return putAdam(arrays, `optim.critic${i}.${k}`, this.criticOptims[i]![k]!);
    }));
    const replay = putBuffer(arrays, 'replay', this.buffer);
    return {
      arrays,
      meta: {
        actorSteps, criticSteps, replay, steps: this.steps, updates: this.updates,
        noiseRng: randomToJson(this.noiseRng), sampleRng: randomToJson(this.sampleRng), smoothRng: randomToJson(this.smoothRng),
        noise: Array.from(this.actors.noise.state), last: { ...this.last },
      },
    };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    this.actors.load(state.arrays, m['actorSteps'] as number[]);
    const criticSteps = m['criticSteps'] as number[];
    this.critics.forEach((pair, i) => pair.forEach((c, k) => {
      takeModule(state.arrays, `critic${i}.${k}`, c);
      takeModule(state.arrays, `criticTarget${i}.${k}`, this.criticTargets[i]![k]!);
      takeAdam(state.arrays, `optim.critic${i}.${k}`, this.criticOptims[i]![k]!, criticSteps[2 * i + k] ?? 0);
    }));
    takeBuffer(state.arrays, 'replay', this.buffer, m['replay']);
    this.steps = m['steps'] as number;
    this.updates = m['updates'] as number;
    randomFromJson(this.noiseRng, m['noiseRng']);
    randomFromJson(this.sampleRng, m['sampleRng']);
    randomFromJson(this.smoothRng, m['smoothRng']);
    this.actors.noise.state.set(m['noise'] as number[]);
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
