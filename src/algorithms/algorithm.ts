/**
 * The interface every learning algorithm implements, and what it declares
 * about itself (BenchMARL-style), so the training loop, the registry tests and
 * the reports treat all algorithms alike.
 */
import type { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import type { NamedArray } from '../nn/safetensors.js';

/** How an algorithm's actions reach the environment (SPEC 3.1). */
export type ActionEncoding = 'continuous' | 'discrete';

/** JSON-serialisable values (checkpoint metadata). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Everything an algorithm must save to continue exactly: arrays go to safetensors, the rest to JSON. */
export interface AlgorithmState {
  readonly arrays: Record<string, NamedArray>;
  readonly meta: { [key: string]: Json };
}

/** Dimensions of the environment an algorithm is built for. */
export interface EnvDims {
  readonly numAgents: number;
  readonly numServers: number;
  readonly obsDim: number;
  /** Global state width (the concatenation of all observations). */
  readonly stateDim: number;
  /** Discrete actions per agent: servers x offload levels. */
  readonly discreteActions: number;
}

/** What `create` receives. */
export interface AlgorithmContext {
  readonly dims: EnvDims;
  /** The algorithm's own random stream: initialisation, noise, sampling. */
  readonly rng: Random;
}

/** Metric values to log, keyed by namespaced names such as `loss/critic` or `mi/lower`. */
export type MetricRecord = Record<string, number>;

/** A learning algorithm instance. */
export interface Algorithm {
  /**
   * Write every agent's action for the env's current observations into `out`:
   * continuous encoding: numAgents x 2 values in [-1, 1]; discrete: one action
   * index per agent (as a float). `explore` adds exploration (noise or sampling);
   * without it the policy is deterministic.
   */
  act(env: DsMecEnv, explore: boolean, out: Float32Array): void;
  /** Start of a training episode (resets noise, applies schedules). */
  beginEpisode(episode: number): void;
  /**
   * Record the transition just taken: `obs` before the step, the actions,
   * the shared reward, `nextObs` after it, and whether the episode ended.
   * May run gradient updates; returns true when it did.
   */
  observe(obs: Float32Array, actions: Float32Array, reward: number, nextObs: Float32Array, done: boolean): boolean;
  /** End of a training episode with its return; may update (on-policy) or file experience. */
  endEpisode(episode: number, episodeReturn: number): void;
  /** The latest losses and diagnostics; a key appears only once its value has been computed (a non-finite `loss/*` means divergence). */
  metrics(): MetricRecord;
  /** Everything needed to continue training exactly. */
  getState(): AlgorithmState;
  /** Restore `getState`'s output; throws a one-line error when shapes do not match. */
  setState(state: AlgorithmState): void;
}

/** A registered algorithm: what it supports, its configuration schema, and a factory. */
export interface AlgorithmSpec<C extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly actionEncoding: ActionEncoding;
  readonly onPolicy: boolean;
  readonly centralisedCritic: boolean;
  /** Hyperparameters with defaults (the paper's) and a description per field. */
  readonly configSchema: z.ZodType<C>;
  /** Named configurations, e.g. `released` for the released code's settings. */
  readonly namedConfigs: Readonly<Record<string, Partial<C>>>;
  create(ctx: AlgorithmContext, config: C): Algorithm;
}
