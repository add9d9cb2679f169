/**
 * The shared discrete actor of MAPPO and COMA (SPEC 3.1, 3.3): one network for
 * all agents, input = own observation + agent-id one-hot, output = logits over
 * server x offload level, with actions the security rule forbids masked out.
 *
 * Masking: a forbidden server keeps only its level 0 (rho = 0 runs the whole
 * task locally, which the rule always allows), so every agent always has at
 * least `numServers` valid actions.
 */
import type { Random } from '../../core/random.js';
import type { DsMecEnv } from '../../env/env.js';
import { OFFLOAD_LEVELS } from '../../env/spaces.js';
import { Adam } from '../../nn/adam.js';
import { MLP } from '../../nn/layers.js';
import { add, exp, mul, neg } from '../../nn/ops-elementwise.js';
import { logSoftmax, sum } from '../../nn/ops-reduce.js';
import { concatCols } from '../../nn/ops-shape.js';
import { Tensor } from '../../nn/tensor.js';
import type { ArrayMap } from './state-io.js';
import { putAdam, putModule, takeAdam, takeModule } from './state-io.js';

/** Additive logit bias of a masked action: exp(-1e9) is exactly 0 in float32. */
export const MASKED_LOGIT = -1e9;

/** Options of `SharedCategoricalActor`. */
export interface CategoricalActorOptions {
  numAgents: number;
  obsDim: number;
  numActions: number;
  hidden: number;
  lr: number;
}

/** One policy network shared by all agents, with its optimiser and a reusable acting path. */
export class SharedCategoricalActor {
  readonly net: MLP;
  readonly optim: Adam;
  /** The masks (1 allowed, 0 forbidden; numAgents x numActions) of the last `act`. */
  readonly lastMask: Float32Array;
  private readonly input: Float32Array;
  private readonly logits: Float32Array;
  private readonly probs: Float32Array;

  constructor(private readonly opts: CategoricalActorOptions, initRng: Random) {
    const { numAgents, obsDim, numActions, hidden } = opts;
    this.net = new MLP({ sizes: [obsDim + numAgents, hidden, hidden, numActions] }, initRng);
    this.optim = new Adam(this.net.parameters(), { lr: opts.lr });
    this.lastMask = new Float32Array(numAgents * numActions);
    this.input = new Float32Array(numAgents * (obsDim + numAgents));
    this.logits = new Float32Array(numAgents * numActions);
    this.probs = new Float32Array(numActions);
  }

  /**
   * Every agent's action index (written as a float into `out[i]`) for the
   * env's current observations: sampled from the masked softmax when
   * exploring (`rng`), its most likely allowed action otherwise. The masks
   * used are left in `lastMask`.
   */
  act(env: DsMecEnv, out: Float32Array, rng: Random | null): void {
    const { numAgents: N, obsDim, numActions: A } = this.opts;
    const w = obsDim + N;
    for (let i = 0; i < N; i++) {
      this.input.set(env.obs.subarray(i * obsDim, (i + 1) * obsDim), i * w);
      this.input.fill(0, i * w + obsDim, (i + 1) * w);
      this.input[i * w + obsDim + i] = 1;
      writeActionMask(env.allowedMask(i), this.lastMask.subarray(i * A, (i + 1) * A));
    }
    this.net.forwardInto(this.input, this.logits, N);
    for (let i = 0; i < N; i++) {
      const logits = this.logits.subarray(i * A, (i + 1) * A);
      const mask = this.lastMask.subarray(i * A, (i + 1) * A);
      out[i] = rng ? sampleCategorical(maskedSoftmax(logits, mask, this.probs), rng) : maskedArgmax(logits, mask);
    }
  }

  /** Row-wise log-probabilities (rows x numActions) of agent-input rows under additive mask biases, on the tape. */
  logProbs(inputs: Tensor, maskBias: Tensor): Tensor {
    return logSoftmax(add(this.net.forward(inputs), maskBias));
  }

  /** Save the network and its optimiser; returns the optimiser's step count. */
  save(out: ArrayMap, prefix: string): number {
    putModule(out, prefix, this.net);
    return putAdam(out, `optim.${prefix}`, this.optim);
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, prefix: string, step: number): void {
    takeModule(arrays, prefix, this.net);
    takeAdam(arrays, `optim.${prefix}`, this.optim, step);
  }
}

/** Expand a per-server allowed mask into the per-action mask (server * levels + level); level 0 is always allowed. */
export function writeActionMask(allowedServers: ArrayLike<number>, out: Float32Array): void {
  const L = OFFLOAD_LEVELS.length;
  for (let k = 0; k < allowedServers.length; k++) {
    const ok = allowedServers[k] ? 1 : 0;
    out[k * L] = 1;
    for (let l = 1; l < L; l++) out[k * L + l] = ok;
  }
}

/** Softmax of `logits` over the allowed entries of `mask` into `out` (forbidden entries 0); returns `out`. */
export function maskedSoftmax(logits: ArrayLike<number>, mask: ArrayLike<number>, out: Float32Array): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < logits.length; a++) if (mask[a] && logits[a]! > max) max = logits[a]!;
  let total = 0;
  for (let a = 0; a < logits.length; a++) {
    const e = mask[a] ? Math.exp(logits[a]! - max) : 0;
    out[a] = e;
    total += e;
  }
  for (let a = 0; a < logits.length; a++) out[a] = out[a]! / total;
  return out;
}

/** The allowed action with the largest logit (the first on ties). */
export function maskedArgmax(logits: ArrayLike<number>, mask: ArrayLike<number>): number {
  let best = -1;
  for (let a = 0; a < logits.length; a++) if (mask[a] && (best < 0 || logits[a]! > logits[best]!)) best = a;
  return best;
}

/** Draw an index from a probability vector (inverse CDF); zero-probability entries are never drawn. */
export function sampleCategorical(probs: ArrayLike<number>, rng: Random): number {
  const u = rng.next();
  let acc = 0, last = 0;
  for (let a = 0; a < probs.length; a++) {
    if (probs[a]! <= 0) continue;
    acc += probs[a]!;
    last = a;
    if (u < acc) return a;
  }
  return last; // rounding left u above the total
}

/**
 * Actor input rows for `steps` stored joint observations (steps x numAgents*obsDim):
 * row t*numAgents + i = [obs of agent i at step t | one-hot(i)], as a tensor of the current scope.
 */
export function agentInputs(obs: Float32Array, steps: number, numAgents: number, obsDim: number): Tensor {
  const rows = steps * numAgents;
  const o = Tensor.empty(rows, obsDim);
  o.data.set(obs.subarray(0, rows * obsDim));
  const id = Tensor.empty(rows, numAgents);
  id.data.fill(0, 0, rows * numAgents);
  for (let r = 0; r < rows; r++) id.data[r * numAgents + (r % numAgents)] = 1;
  return concatCols([o, id]);
}

/** Additive logit biases (0 allowed, MASKED_LOGIT forbidden) of `rows` stored masks, as a tensor of the current scope. */
export function maskBias(mask: Float32Array, rows: number, numActions: number): Tensor {
  const t = Tensor.empty(rows, numActions);
  for (let j = 0; j < rows * numActions; j++) t.data[j] = mask[j] ? 0 : MASKED_LOGIT;
  return t;
}

/** Per-row entropy -sum_a p log p (rows x 1) of row-wise log-probabilities; masked actions contribute 0. */
export function entropy(logp: Tensor): Tensor {
  return neg(sum(mul(exp(logp), logp), 1));
}

/** Fields of one stored step of a discrete on-policy rollout: joint observation, actions, masks, shared reward, end flag. */
export function rolloutWidths(numAgents: number, obsDim: number, numActions: number): Record<string, number> {
  return { obs: numAgents * obsDim, act: numAgents, mask: numAgents * numActions, rew: 1, done: 1 };
}
