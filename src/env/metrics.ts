/**
 * Episode metrics (SPEC 2.3), accumulated task by task without allocation.
 */

/** Metrics of one episode; all plain numbers. */
export interface EpisodeMetrics {
  /** Mean cost over all tasks the episode generated. */
  avgCost: number;
  /** Share of generated tasks that met their deadline. */
  taskSuccessRate: number;
  /** The released code's cost figure (see `MetricsAccumulator.result`). */
  paperAvgCost: number;
  /** The released code's success figure: index of the last slot / (slotsPerEpisode - 1). */
  paperSuccessRate: number;
  /** Attempted offloads of sensitive tasks out of their domain. */
  securityViolations: number;
  /** Executed offloads whose data was encrypted. */
  encryptedOffloads: number;
  /** Executed offloads to a server of another domain. */
  crossDomainOffloads: number;
  /** Share of generated work processed (or meant to be processed) on the devices. */
  localShare: number;
  /** Device energy spent [J]. */
  energyUsed: number;
  /** Slots played. */
  slots: number;
}

/** Names of the metrics, in a stable order (for tables and logs). */
export const EPISODE_METRIC_KEYS = [
  'avgCost', 'taskSuccessRate', 'paperAvgCost', 'paperSuccessRate', 'securityViolations',
  'encryptedOffloads', 'crossDomainOffloads', 'localShare', 'energyUsed', 'slots',
] as const satisfies readonly (keyof EpisodeMetrics)[];

/** Running sums of one episode. */
export class MetricsAccumulator {
  tasks = 0;
  successes = 0;
  costSum = 0;
  violations = 0;
  encrypted = 0;
  crossDomain = 0;
  localWork = 0;
  totalWork = 0;
  energy = 0;
  slots = 0;
  /** Whether the episode ended on a deadline miss (terminateOnDeadlineMiss). */
  endedOnMiss = false;
  /** Largest task cost of the slot the episode ended in. */
  lastSlotMaxCost = 0;

  /** Start a new episode. */
  clear(): void {
    this.tasks = this.successes = this.costSum = this.violations = 0;
    this.encrypted = this.crossDomain = this.localWork = this.totalWork = 0;
    this.energy = this.slots = this.lastSlotMaxCost = 0;
    this.endedOnMiss = false;
  }

  /**
   * The metrics so far. `paperAvgCost` follows the released code: for an episode
   * that ended on a miss, the largest device cost in the failing slot; else the
   * mean over devices of their mean cost over the slots (equal slot counts make
   * that the mean over all tasks).
   */
  result(slotsPerEpisode: number): EpisodeMetrics {
    const tasks = this.tasks;
    const avgCost = tasks > 0 ? this.costSum / tasks : 0;
    const lastIndex = this.slots - 1;
    const paperSuccessRate =
      slotsPerEpisode > 1 ? Math.max(0, lastIndex) / (slotsPerEpisode - 1) : this.endedOnMiss ? 0 : 1;
    return {
      avgCost,
      taskSuccessRate: tasks > 0 ? this.successes / tasks : 0,
      paperAvgCost: this.endedOnMiss ? this.lastSlotMaxCost : avgCost,
      paperSuccessRate,
      securityViolations: this.violations,
      encryptedOffloads: this.encrypted,
      crossDomainOffloads: this.crossDomain,
      localShare: this.totalWork > 0 ? this.localWork / this.totalWork : 0,
      energyUsed: this.energy,
      slots: this.slots,
    };
  }
}
