/**
 * The interface of a non-learning policy, on the environment's fast path.
 */
import type { DsMecEnv } from '../env/env.js';

/**
 * A policy that reads the environment and writes one action per agent:
 * `server[i]` a global server index (-1: run locally) and `rho[i]` the offload
 * fraction in [0, 1], ready for `env.stepRaw(server, rho)`. Implementations
 * read only what agent i could observe and allocate nothing.
 */
export interface Policy {
  readonly name: string;
  act(env: DsMecEnv, server: Int32Array, rho: Float32Array): void;
}
