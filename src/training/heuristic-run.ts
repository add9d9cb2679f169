/**
 * A heuristic as a run folder: config.json and summary.json shaped like a
 * learning run's, with the final metrics measured on the same fixed
 * evaluation seeds (`evalSeed`) that every learner's final evaluation uses,
 * so the report compares them on identical episodes.
 */
import { mkdirSync } from 'node:fs';
import { UserError, issueLine } from '../core/errors.js';
import type { Scenario } from '../env/scenario.js';
import { runPolicy } from '../heuristics/run-policy.js';
import { runSettingsSchema } from './config.js';
import { evalSeed } from './evaluate.js';
import { metricsSummary } from './metrics-summary.js';
import { runPaths, toJson, writeSummary } from './run-folder.js';
import { writeFileAtomic } from '../core/atomic-write.js';

/** config.json of a heuristic run (`kind: heuristic`; no training, so `episodes` is 0). */
export interface HeuristicRunConfig {
  readonly version: 1;
  readonly kind: 'heuristic';
  readonly algo: string;
  readonly scenarioName: string;
  readonly namedConfig: null;
  readonly seed: number;
  readonly episodes: 0;
  readonly finalEvalEpisodes: number;
  readonly hyper: Record<string, never>;
  readonly scenario: Scenario;
}

/** Build a heuristic's run configuration; `set` may hold run settings only (only finalEvalEpisodes matters). */
export function resolveHeuristicConfig(input: { policy: string; scenarioName: string; scenario: Scenario; seed: number; set?: readonly string[] }): HeuristicRunConfig {
  const values: Record<string, unknown> = {};
  for (const item of input.set ?? []) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq);
    const text = item.slice(eq + 1).trim();
    try {
      values[key] = JSON.parse(text);
    } catch {
      values[key] = text;
    }
  }
  const r = runSettingsSchema.safeParse({ ...values, seed: input.seed });
  if (!r.success) {
    throw new UserError(`${input.policy} run setting ${issueLine(r.error.issues[0]!)}`);
  }
  return {
    version: 1, kind: 'heuristic', algo: input.policy, scenarioName: input.scenarioName, namedConfig: null,
    seed: input.seed, episodes: 0, finalEvalEpisodes: r.data.finalEvalEpisodes, hyper: {}, scenario: input.scenario,
  };
}

/** Evaluate the heuristic on evaluation episodes 0..finalEvalEpisodes-1 and write its run folder. */
export function runHeuristic(config: HeuristicRunConfig, dir: string): { wallSeconds: number } {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(runPaths(dir).config, `${toJson(config)}\n`);
  const t0 = performance.now();
  const result = runPolicy({ scenario: config.scenario, policy: config.algo, episodes: config.finalEvalEpisodes, seed: config.seed, seedOf: evalSeed });
  const wallSeconds = (performance.now() - t0) / 1000;
  writeSummary(dir, {
    status: 'finished',
    kind: 'heuristic',
    algo: config.algo,
    scenario: config.scenarioName,
    seed: config.seed,
    episodes: 0,
    budget: { episodes: 0, finalEvalEpisodes: config.finalEvalEpisodes },
    wallSeconds,
    episodesPerSecond: 0,
    final: { episodes: config.finalEvalEpisodes, metrics: metricsSummary(result.episodes) },
  });
  return { wallSeconds };
}
