/**
 * Shared rewards (SPEC 2.4). `paper` is the released code's sparse shaping;
 * `dense` gives minus the slot's cost every slot.
 */

/** Reward constants of a scenario. */
export interface RewardConfig {
  readonly mode: 'paper' | 'dense';
  readonly good: number;
  readonly bad: number;
  readonly missPenalty: number;
}

/** Smallest cost the paper's `good / c^2` divides by, so a zero-cost task cannot give Infinity. */
const MIN_COST = 1e-6;

/** The paper's per-task reward: `good / c^2` on success, `bad * c` on a miss. */
export function paperTaskReward(cfg: RewardConfig, cost: number, success: boolean): number {
  if (success) {
    const c = cost > MIN_COST ? cost : MIN_COST;
    return cfg.good / (c * c);
  }
  return cfg.bad * cost;
}

/**
 * The reward of one slot.
 * - paper: 0 inside the episode; at a slot that ends it on a miss, the mean over
 *   devices of min(r_i, 0); at the last slot otherwise, good / (mean cost of
 *   the episode)^2.
 * - dense: -(mean cost of the slot) - missPenalty * misses / devices.
 */
export function slotReward(
  cfg: RewardConfig,
  cost: Float64Array,
  success: Uint8Array,
  numDevices: number,
  endedOnMiss: boolean,
  reachedLastSlot: boolean,
  episodeMeanCost: number,
): number {
  if (cfg.mode === 'dense') {
    let sum = 0, misses = 0;
    for (let i = 0; i < numDevices; i++) {
      sum += cost[i];
      if (!success[i]) misses++;
    }
    return -sum / numDevices - (cfg.missPenalty * misses) / numDevices;
  }
  if (endedOnMiss) {
    let sum = 0;
    for (let i = 0; i < numDevices; i++) {
      const r = paperTaskReward(cfg, cost[i], success[i] === 1);
      sum += r < 0 ? r : 0;
    }
    return sum / numDevices;
  }
  if (reachedLastSlot) {
    const c = episodeMeanCost > MIN_COST ? episodeMeanCost : MIN_COST;
    return cfg.good / (c * c);
  }
  return 0;
}
