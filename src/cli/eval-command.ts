import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { getAlgorithm } from '../algorithms/registry.js';
import { resolveScenario } from '../env/presets.js';
import { loadLatestCheckpoint } from '../training/checkpoint-store.js';
import { evaluatePolicy } from '../training/evaluate.js';
import { metricsSummary } from '../training/metrics-summary.js';
import { readRunConfig } from '../training/run-folder.js';
import { createAlgorithm } from '../training/train.js';
import { parseIntFlag } from './args.js';
import { formatMetricsTable } from './metrics-table.js';

interface EvalFlags {
  run: string;
  episodes: string;
  scenario?: string;
  json?: boolean;
}

/** `mitra eval`: evaluate a trained run's deterministic policy. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained run (its last checkpoint) on its scenario or another one')
    .requiredOption('--run <dir>', 'run folder')
    .option('--episodes <n>', 'evaluation episodes (fixed evaluation seeds)', '200')
    .option('--scenario <name|file>', 'evaluate on another scenario with the same dimensions')
    .option('--json', 'print one JSON object on stdout instead of a table')
    .action((flags: EvalFlags) => {
      const episodes = parseIntFlag('--episodes', flags.episodes, 1);
      const config = readRunConfig(flags.run);
      const scenario = flags.scenario !== undefined ? resolveScenario(flags.scenario) : config.scenario;
      const { algorithm, env } = createAlgorithm(config, scenario);
      const ck = loadLatestCheckpoint(flags.run, (m) => process.stderr.write(`mitra: warning: ${m}\n`));
      if (!ck) throw new UserError(`${flags.run}: the run has no complete checkpoint yet`);
      try {
        algorithm.setState(ck.algorithm);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new UserError(`${flags.run}: checkpoint does not match scenario ${flags.scenario ?? config.scenarioName}: ${msg.replace(/^checkpoint: /, '')}`);
      }
      const started = performance.now();
      const result = evaluatePolicy(algorithm, getAlgorithm(config.algo).actionEncoding, env, episodes);
      const seconds = (performance.now() - started) / 1000;
      const slots = result.reduce((s, m) => s + m.slots, 0);
      const scenarioName = flags.scenario ?? config.scenarioName;
      if (flags.json) {
        const out = { scenario: scenarioName, policy: config.algo, run: flags.run, episodes, seed: config.seed, slotsPerSecond: seconds > 0 ? slots / seconds : 0, metrics: metricsSummary(result) };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(`run ${flags.run} | ${config.algo} | scenario ${scenarioName} | ${episodes} episodes (checkpoint ${ck.dir})\n`);
      process.stdout.write(formatMetricsTable(result));
    });
}
