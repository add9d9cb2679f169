import { deriveSeed } from '../core/random.js';
import type { ActionEncoding, Algorithm } from '../algorithms/algorithm.js';
import type { DsMecEnv } from '../env/env.js';
import type { EpisodeMetrics } from '../env/metrics.js';

/**
 * Seed of evaluation episode `i`: the same for every run and algorithm, so
 * evaluations compare policies on identical task sequences.
 */
export function evalSeed(i: number): number {
  return deriveSeed(0x5eed, 'eval', i);
}

/** Applies an algorithm's action buffer to the environment with its encoding; allocates nothing per step. */
export class ActionStepper {
  /** Where the algorithm writes its actions. */
  readonly actions: Float32Array;
  private readonly indices: Int32Array;

  constructor(private readonly env: DsMecEnv, private readonly encoding: ActionEncoding) {
    this.actions = new Float32Array(env.numAgents * 2);
    this.indices = new Int32Array(env.numAgents);
  }

  /** One slot with the actions in `actions`; returns whether the episode ended. */
  step(): boolean {
    if (this.encoding === 'continuous') return this.env.stepContinuous(this.actions);
    for (let i = 0; i < this.env.numAgents; i++) this.indices[i] = this.actions[i]!;
    return this.env.stepDiscrete(this.indices);
  }
}

/** Run the deterministic policy (no exploration) on evaluation episodes 0..episodes-1. */
export function evaluatePolicy(algorithm: Algorithm, encoding: ActionEncoding, env: DsMecEnv, episodes: number): EpisodeMetrics[] {
  const stepper = new ActionStepper(env, encoding);
  const out: EpisodeMetrics[] = [];
  for (let e = 0; e < episodes; e++) {
    env.resetRaw(evalSeed(e));
    let done = false;
    while (!done) {
      algorithm.act(env, false, stepper.actions);
      done = stepper.step();
    }
    out.push({ ...env.episodeMetrics() });
  }
  return out;
}
