/** Run a heuristic for some episodes and collect their metrics. */
import { Random } from '../core/random.js';
import { DsMecEnv } from '../env/env.js';
import type { EpisodeMetrics } from '../env/metrics.js';
import type { Scenario } from '../env/scenario.js';
import { makeHeuristic } from './index.js';

/** Seed of episode `index` of a run seeded `seed` (a splitmix-style mix, so nearby runs do not share episodes). */
export function episodeSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d);
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Run `policy` for `episodes` episodes; deterministic given `seed`. */
export function runPolicy(opts: {
  scenario: Scenario;
  policy: string;
  episodes: number;
  seed: number;
  /** Seed of episode `index` (default `episodeSeed(seed, index)`); sweeps pass the fixed evaluation seeds so heuristics and learners see the same episodes. */
  seedOf?: (index: number) => number;
  onEpisode?: (index: number, m: EpisodeMetrics) => void;
}): { episodes: EpisodeMetrics[]; slots: number; seconds: number } {
  const policy = makeHeuristic(opts.policy, new Random(opts.seed).fork(`policy:${opts.policy}`));
  const env = new DsMecEnv(opts.scenario, { seed: opts.seed });
  const server = new Int32Array(env.numAgents);
  const rho = new Float32Array(env.numAgents);
  const out: EpisodeMetrics[] = [];
  let slots = 0;
  const seedOf = opts.seedOf ?? ((i: number): number => episodeSeed(opts.seed, i));
  const t0 = performance.now();
  for (let e = 0; e < opts.episodes; e++) {
    env.resetRaw(seedOf(e));
    let done = false;
    while (!done) {
      policy.act(env, server, rho);
      done = env.stepRaw(server, rho);
      slots++;
    }
    const m = env.episodeMetrics();
    out.push(m);
    opts.onEpisode?.(e, m);
  }
  return { episodes: out, slots, seconds: (performance.now() - t0) / 1000 };
}
