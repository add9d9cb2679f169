/**
 * Deterministic per-agent actors with target copies and their optimisers:
 * the part MADDPG, MATD3 and MITRA-VIB share (SPEC 3.2: obs -> 64 -> 64 -> 2,
 * ReLU, tanh output, Adam, gradient-norm clip, soft target updates).
 */
import type { Random } from '../../core/random.js';
import { Adam } from '../../nn/adam.js';
import { MLP, clipGradNorm, copyParams, softUpdate } from '../../nn/layers.js';
import { concatCols, sliceCols } from '../../nn/ops-shape.js';
import type { Tensor } from '../../nn/tensor.js';
import type { ArrayMap } from './state-io.js';
import { putAdam, putModule, takeAdam, takeModule } from './state-io.js';
import { OuNoise } from './ou-noise.js';

/** Continuous action width per agent (server choice, offload fraction). */
export const ACTION_DIM = 2;
/** Actions are clipped just inside [-1, 1], as the released code does. */
export const ACTION_LIMIT = 0.9999;

/** Options of `ActorGroup`. */
export interface ActorGroupOptions {
  numAgents: number;
  obsDim: number;
  hidden: number;
  lr: number;
  gradClip: number;
  ouTheta: number;
  ouSigma: number;
}

/** One actor per agent, their targets, optimisers and OU exploration noise. */
export class ActorGroup {
  readonly actors: MLP[];
  readonly targets: MLP[];
  readonly optims: Adam[];
  readonly noise: OuNoise;
  private readonly opts: ActorGroupOptions;

  constructor(opts: ActorGroupOptions, initRng: Random, noiseRng: Random) {
    this.opts = opts;
    const sizes = [opts.obsDim, opts.hidden, opts.hidden, ACTION_DIM];
    this.actors = [];
    this.targets = [];
    for (let i = 0; i < opts.numAgents; i++) {
      const actor = new MLP({ sizes, activation: 'relu', outputActivation: 'tanh' }, initRng);
      const target = new MLP({ sizes, activation: 'relu', outputActivation: 'tanh' }, initRng);
      copyParams(target, actor);
      this.actors.push(actor);
      this.targets.push(target);
    }
    this.optims = this.actors.map((a) => new Adam(a.parameters(), { lr: opts.lr }));
    this.noise = new OuNoise(opts.numAgents * ACTION_DIM, noiseRng, opts.ouTheta, opts.ouSigma);
  }

  /**
   * Every agent's action from the flat observation array (agent rows): the
   * deterministic policy, plus `noiseScale` times OU noise when exploring,
   * clipped to [-ACTION_LIMIT, ACTION_LIMIT].
   */
  act(obs: Float32Array, out: Float32Array, noiseScale: number): void {
    const { obsDim, numAgents } = this.opts;
    for (let i = 0; i < numAgents; i++) {
      this.actors[i]!.forwardInto(obs.subarray(i * obsDim, (i + 1) * obsDim), out.subarray(i * ACTION_DIM, (i + 1) * ACTION_DIM));
    }
    if (noiseScale > 0) {
      const n = this.noise.sample();
      for (let j = 0; j < out.length; j++) out[j] = out[j]! + noiseScale * n[j]!;
    }
    for (let j = 0; j < out.length; j++) out[j] = Math.max(-ACTION_LIMIT, Math.min(ACTION_LIMIT, out[j]!));
  }

  /** Joint action (batch x numAgents*2) of the actors (or targets) for a batch of flat observations. */
  jointAction(obsBatch: Tensor, useTargets: boolean): Tensor {
    const nets = useTargets ? this.targets : this.actors;
    const { obsDim } = this.opts;
    return concatCols(nets.map((net, i) => net.forward(sliceCols(obsBatch, i * obsDim, (i + 1) * obsDim))));
  }

  /** Clip each actor's gradient and step its optimiser. */
  step(): void {
    for (let i = 0; i < this.actors.length; i++) this.stepOne(i);
  }

  /** Clip actor i's gradient and step its optimiser alone. */
  stepOne(i: number): void {
    clipGradNorm(this.actors[i]!.parameters(), this.opts.gradClip);
    this.optims[i]!.step();
  }

  /** Zero every actor's gradients. */
  zeroGrad(): void {
    for (const o of this.optims) o.zeroGrad();
  }

  /** Polyak-average the targets towards the actors. */
  softUpdateTargets(tau: number): void {
    for (let i = 0; i < this.actors.length; i++) softUpdate(this.targets[i]!, this.actors[i]!, tau);
  }

  /** Save actors, targets and optimisers; returns the optimisers' step counts. */
  save(out: ArrayMap): number[] {
    return this.actors.map((a, i) => {
      putModule(out, `actor${i}`, a);
      putModule(out, `actorTarget${i}`, this.targets[i]!);
      return putAdam(out, `optim.actor${i}`, this.optims[i]!);
    });
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, steps: readonly number[]): void {
    this.actors.forEach((a, i) => {
      takeModule(arrays, `actor${i}`, a);
      takeModule(arrays, `actorTarget${i}`, this.targets[i]!);
      takeAdam(arrays, `optim.actor${i}`, this.optims[i]!, steps[i] ?? 0);
    });
  }
}

/** The joint action with agent i's columns replaced by `ai` (batch x 2), on the tape. */
export function replaceAction(joint: Tensor, ai: Tensor, i: number, numAgents: number): Tensor {
  const parts: Tensor[] = [];
  if (i > 0) parts.push(sliceCols(joint, 0, i * ACTION_DIM));
  parts.push(ai);
  if (i < numAgents - 1) parts.push(sliceCols(joint, (i + 1) * ACTION_DIM, numAgents * ACTION_DIM));
  return concatCols(parts);
}
