import type { Command } from 'commander';
import { resolveScenario } from '../env/presets.js';
import { HEURISTIC_NAMES } from '../heuristics/index.js';
import { runPolicy } from '../heuristics/run-policy.js';
import type { EpisodeMetrics } from '../env/metrics.js';
import { parseChoice, parseIntFlag } from './args.js';
import { createProgress } from './progress.js';
import { formatMetricsTable } from './metrics-table.js';
import { metricsSummary } from '../training/metrics-summary.js';

interface SimulateFlags {
  scenario: string;
  policy: string;
  episodes: string;
  seed: string;
  json?: boolean;
}

/** `mitra simulate`: run a heuristic policy and summarise its metrics over episodes. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run a heuristic policy on a scenario and print its metrics')
    .option('--scenario <name|file>', 'preset name or scenario file', 'paper-1cs-3es-7ud')
    .option('--policy <name>', `heuristic: ${HEURISTIC_NAMES.join(', ')}`, 'greedy')
    .option('--episodes <n>', 'number of episodes', '100')
    .option('--seed <s>', 'random seed', '0')
    .option('--json', 'print one JSON object on stdout instead of a table')
    .action((flags: SimulateFlags) => {
      const policy = parseChoice('--policy', flags.policy, HEURISTIC_NAMES);
      const episodes = parseIntFlag('--episodes', flags.episodes, 1);
      const seed = parseIntFlag('--seed', flags.seed, 0);
      const scenario = resolveScenario(flags.scenario);
      const progress = createProgress({ total: episodes, unit: 'episodes' });
      const result = runPolicy({
        scenario, policy, episodes, seed,
        onEpisode: (i) => { if ((i & 63) === 0 || i === episodes - 1) progress.update(i + 1); },
      });
      progress.stop();
      const slotsPerSecond = result.seconds > 0 ? result.slots / result.seconds : 0;
      if (flags.json) {
        const out = { scenario: flags.scenario, policy, episodes, seed, slotsPerSecond, metrics: metricsSummary(result.episodes) };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(`scenario ${flags.scenario} | policy ${policy} | ${episodes} episodes | seed ${seed} | ${Math.round(slotsPerSecond)} slots/s\n`);
      process.stdout.write(formatMetricsTable(result.episodes));
    });
}

export type { EpisodeMetrics };
