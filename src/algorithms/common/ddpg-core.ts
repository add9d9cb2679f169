/**
 * The off-policy shell MADDPG, MATD3 and MITRA-VIB share: deterministic
 * actors with OU exploration on the released code's schedule, one replay
 * buffer of joint transitions, the update cadence (every `updateEvery` steps
 * once `learningStarts` are stored), and the critic-with-target pieces.
 * Each algorithm keeps its own update rule.
 */
import type { Random } from '../../core/random.js';
import type { DsMecEnv } from '../../env/env.js';
import { Adam } from '../../nn/adam.js';
import { MLP, clipGradNorm, copyParams, frozen, softUpdate } from '../../nn/layers.js';
import { add, mulScalar, neg, square } from '../../nn/ops-elementwise.js';
import { mean } from '../../nn/ops-reduce.js';
import { concatCols, sliceCols } from '../../nn/ops-shape.js';
import type { Tensor } from '../../nn/tensor.js';
import type { AlgorithmContext, Json } from '../algorithm.js';
import { ACTION_DIM, ActorGroup, replaceAction } from './actors.js';
import { transitionWidths } from './ddpg-config.js';
import { noiseScale } from './ou-noise.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { ArrayMap } from './state-io.js';
import { putAdam, putBuffer, putModule, randomFromJson, randomToJson, takeAdam, takeBuffer, takeModule } from './state-io.js';

/** The fields of `ddpgConfigShape` the core reads. */
export interface DdpgCoreConfig {
  hidden: number;
  actorLr: number;
  gradClip: number;
  bufferSize: number;
  batchSize: number;
  updateEvery: number;
  learningStarts: number;
  noiseScale: number;
  noiseDecayEpisodes: number;
  ouTheta: number;
  ouSigma: number;
}

/** Actors, exploration, replay and update cadence of the DDPG family. */
export class DdpgCore {
  readonly actors: ActorGroup;
  readonly buffer: ReplayBuffer;
  /** The last sampled minibatch (field -> batch x width floats). */
  readonly batch: Record<string, Float32Array>;
  /** Initialisation stream: the actors draw from it first, then the algorithm's own networks. */
  readonly initRng: Random;
  private readonly noiseRng: Random;
  /** Minibatch sampling stream (also for an algorithm's other buffers). */
  readonly sampleRng: Random;
  private steps = 0;
  /** Exploration scale of the current episode. */
  scale = 0;

  constructor(ctx: AlgorithmContext, private readonly cfg: DdpgCoreConfig) {
    const { numAgents, obsDim } = ctx.dims;
    this.initRng = ctx.rng.fork('init');
    this.noiseRng = ctx.rng.fork('noise');
    this.sampleRng = ctx.rng.fork('sample');
    this.actors = new ActorGroup(
      { numAgents, obsDim, hidden: cfg.hidden, lr: cfg.actorLr, gradClip: cfg.gradClip, ouTheta: cfg.ouTheta, ouSigma: cfg.ouSigma },
      this.initRng, this.noiseRng,
    );
    this.buffer = new ReplayBuffer(cfg.bufferSize, transitionWidths(numAgents, obsDim, ACTION_DIM));
    this.batch = this.buffer.batchArrays(cfg.batchSize);
  }

  /** The actors' actions for the env's observations, with scaled OU noise when exploring. */
  act(env: DsMecEnv, explore: boolean, out: Float32Array): void {
    this.actors.act(env.obs, out, explore ? this.scale : 0);
  }

  /** Reset the noise process and set this episode's exploration scale. */
  beginEpisode(episode: number): void {
    this.actors.noise.reset();
    this.scale = noiseScale(episode, this.cfg.noiseScale, this.cfg.noiseDecayEpisodes);
  }

  /** Store a transition; true when a gradient update is due now. */
  store(obs: Float32Array, actions: Float32Array, reward: number, nextObs: Float32Array, done: boolean): boolean {
    this.buffer.push({ obs, act: actions, rew: reward, next: nextObs, notDone: done ? 0 : 1 });
    this.steps++;
    return this.steps % this.cfg.updateEvery === 0 && this.buffer.size >= Math.max(this.cfg.learningStarts, 1);
  }

  /** Draw a minibatch into `batch`. */
  sample(): Record<string, Float32Array> {
    this.buffer.sample(this.cfg.batchSize, this.sampleRng, this.batch);
    return this.batch;
  }

  /** Save actors, buffer, streams and counters; returns the JSON part. */
  save(arrays: ArrayMap): { [key: string]: Json } {
    return {
      actorSteps: this.actors.save(arrays),
      replay: putBuffer(arrays, 'replay', this.buffer),
      steps: this.steps,
      noiseRng: randomToJson(this.noiseRng),
      sampleRng: randomToJson(this.sampleRng),
      noise: Array.from(this.actors.noise.state),
    };
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, meta: { [key: string]: Json }): void {
    this.actors.load(arrays, meta['actorSteps'] as number[]);
    takeBuffer(arrays, 'replay', this.buffer, meta['replay']);
    this.steps = meta['steps'] as number;
    randomFromJson(this.noiseRng, meta['noiseRng']);
    randomFromJson(this.sampleRng, meta['sampleRng']);
    this.actors.noise.state.set(meta['noise'] as number[]);
  }
}

/** A Q network over (state, joint action) with its target copy and optimiser. */
export class TargetCritic {
  readonly net: MLP;
  readonly target: MLP;
  readonly optim: Adam;

  constructor(sizes: readonly number[], lr: number, rng: Random) {
    this.net = new MLP({ sizes }, rng);
    this.target = new MLP({ sizes }, rng);
    copyParams(this.target, this.net);
    this.optim = new Adam(this.net.parameters(), { lr });
  }

  /** Back-propagate `loss` into the network alone, clip and step. */
  minimise(loss: Tensor, gradClip: number): void {
    this.optim.zeroGrad();
    loss.backward();
    clipGradNorm(this.net.parameters(), gradClip);
    this.optim.step();
  }

  /** Polyak-average the target towards the network. */
  softUpdateTarget(tau: number): void {
    softUpdate(this.target, this.net, tau);
  }

  /** Save under `<prefix>`, `<prefix>Target` and `optim.<prefix>`; returns the optimiser's step count. */
  save(arrays: ArrayMap, prefix: string): number {
    putModule(arrays, prefix, this.net);
    putModule(arrays, `${prefix}Target`, this.target);
    return putAdam(arrays, `optim.${prefix}`, this.optim);
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, prefix: string, step: number): void {
    takeModule(arrays, prefix, this.net);
    takeModule(arrays, `${prefix}Target`, this.target);
    takeAdam(arrays, `optim.${prefix}`, this.optim, step);
  }
}

/**
 * One update of actor i through a per-agent critic (MADDPG, MATD3): agent i's
 * action comes from its actor, the others' from the buffer; the critic's
 * weights are constants. Loss -mean Q + actionReg * mean(a_i^2); returns it.
 */
export function stepAgentActor(actors: ActorGroup, critic: MLP, obs: Tensor, act: Tensor, i: number, obsDim: number, actionReg: number): number {
  const numAgents = actors.actors.length;
  const loss = frozen(critic.parameters(), () => {
    const ai = actors.actors[i]!.forward(sliceCols(obs, i * obsDim, (i + 1) * obsDim));
    const joint = replaceAction(act, ai, i, numAgents);
    const l = add(neg(mean(critic.forward(concatCols([obs, joint])))), mulScalar(mean(square(ai)), actionReg));
    actors.optims[i]!.zeroGrad();
    l.backward();
    return l;
  });
  actors.stepOne(i);
  return loss.item();
}
