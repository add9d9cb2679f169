/**
 * The JSON the dashboard's server sends and its page reads: one set of types
 * for both sides (the page imports this file through its bundler).
 */

/** How a run stands: from summary.json, or `running` while metrics are newer than any summary. */
export type RunStatus = 'running' | 'stalled' | 'finished' | 'stopped' | 'diverged' | 'unknown';

/** One row of the run list. */
export interface RunInfo {
  /** Path of the run folder relative to the runs folder, `/`-separated. */
  id: string;
  algo: string;
  scenario: string;
  seed: number | null;
  status: RunStatus;
  /** Episodes logged in metrics.jsonl (last episode index + 1). */
  episodesDone: number;
  /** Episodes the run was configured for. */
  episodesTotal: number | null;
  /** Final evaluation means from summary.json, when finished. */
  finalSuccess: number | null;
  finalCost: number | null;
  /** Latest training avgCost logged (the newest metrics row). */
  lastCost: number | null;
  /** Newest modification of config, metrics or summary [ms since epoch]. */
  updatedAt: number;
}

/** Columnar metric series of one run, possibly downsampled. */
export interface MetricsSeries {
  id: string;
  source: 'metrics' | 'eval';
  /** Every key seen in the file's rows (numbers only). */
  keys: string[];
  /** Rows in the file. */
  total: number;
  /** Every `stride`-th row was kept (1: all). */
  stride: number;
  /** The `episode` of each kept row. */
  episode: number[];
  /** Values per requested key (null where the row lacks it or it is not finite). */
  series: Record<string, (number | null)[]>;
}

/** A scenario reduced to what the scenario view draws. */
export interface Topology {
  name: string;
  slotSeconds: number;
  slotsPerEpisode: number;
  domains: { id: string; label: string }[];
  servers: { id: string; kind: 'edge' | 'cloud'; domain: string; capacity: number }[];
  /** `energyBudget` null: unlimited. */
  devices: { id: string; domain: string; capacity: number; energyBudget: number | null }[];
}

/** One slot of a replayed episode; arrays are per device, `backlog*` per server. */
export interface ReplaySlot {
  slot: number;
  reward: number;
  work: number[];
  deadline: number[];
  sensitive: boolean[];
  /** Server index chosen (-1: none, the task ran locally). */
  server: number[];
  /** Offload fraction executed (0: all local). */
  rho: number[];
  encrypted: boolean[];
  crossDomain: boolean[];
  violation: boolean[];
  /** Task time [s], cost and success (T <= deadline). */
  T: number[];
  cost: number[];
  success: boolean[];
  /** Device energy left after the slot [J]; null: unlimited budget. */
  energyLeft: (number | null)[];
  /** Server queue backlog at the start of the slot and after it [s]. */
  backlogStart: number[];
  backlog: number[];
}

/** A replayed evaluation episode. */
export interface ReplayEpisode {
  /** Evaluation episode index (its seed is `evalSeed(index)`). */
  index: number;
  slots: ReplaySlot[];
  metrics: Record<string, number>;
}

/** The answer of a replay request. */
export interface Replay {
  /** Run id, or null for a heuristic on a preset. */
  run: string | null;
  policy: string;
  /** Checkpoint folder name the policy came from, if any. */
  checkpoint: string | null;
  topology: Topology;
  episodes: ReplayEpisode[];
}

/** Server-sent events of `/api/events`. */
export type LiveEvent =
  | { type: 'runs'; runs: RunInfo[] }
  | { type: 'metrics'; id: string; rows: Record<string, unknown>[] }
  | { type: 'metrics-reset'; id: string };
