import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { algorithmNames } from '../algorithms/registry.js';
import { resolveRunConfig, type RunConfig, type RunSettings } from '../training/config.js';
import { readRunConfig } from '../training/run-folder.js';
import { train } from '../training/train.js';
import { parseIntFlag } from './args.js';
import { createProgress } from './progress.js';

interface TrainFlags {
  algo: string;
  scenario: string;
  episodes?: string;
  seed?: string;
  out?: string;
  config?: string;
  set: string[];
  resume?: string;
}

/** `mitra train`: train an algorithm on a scenario into a run folder. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train MITRA-VIB (or a baseline) on a scenario; writes a run folder')
    .option('--algo <name>', `algorithm: ${algorithmNames().join(', ')}`, 'mitra-vib')
    .option('--scenario <name|file>', 'preset name or scenario file', 'paper-1cs-3es-7ud')
    .option('--episodes <n>', 'training episodes (default: the run settings default)')
    .option('--seed <s>', 'random seed (default 0)')
    .option('--out <dir>', 'run folder (default runs/<algo>_<scenario>_seed<s>_<time>)')
    .option('--config <name|file>', 'a named configuration of the algorithm (e.g. released, no-vib) or a YAML/JSON file of settings')
    .option('--set <key=value>', 'override one setting (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--resume <dir>', 'continue a run from its last complete checkpoint (--episodes may extend it)')
    .action(async (flags: TrainFlags) => {
      const settings: Partial<RunSettings> = {};
      if (flags.episodes !== undefined) settings.episodes = parseIntFlag('--episodes', flags.episodes, 1);
      if (flags.seed !== undefined) settings.seed = parseIntFlag('--seed', flags.seed, 0);
      let config: RunConfig;
      let dir: string;
      if (flags.resume !== undefined) {
        dir = flags.resume;
        const stored = readRunConfig(dir);
        config = settings.episodes !== undefined ? { ...stored, episodes: settings.episodes } : stored;
      } else {
        config = resolveRunConfig({ algo: flags.algo, scenario: flags.scenario, config: flags.config, set: flags.set, settings });
        dir = flags.out ?? defaultRunDir(config);
        if (existsSync(join(dir, 'config.json'))) throw new UserError(`${dir} already holds a run; continue it with --resume ${dir} or choose another --out`);
        if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError(`${dir} exists and is not empty; choose another --out`);
      }
      process.stderr.write(`mitra: training ${config.algo} on ${config.scenarioName}, seed ${config.seed}, ${config.episodes} episodes -> ${dir}\n`);
      const progress = createProgress({ total: config.episodes, unit: 'episodes', extra: 'cost {cost} | success {success}' });
      let stop = false;
      const onSigint = (): void => { stop = true; };
      process.on('SIGINT', onSigint);
      try {
        const result = await train({
          config, dir, resume: flags.resume !== undefined,
          onProgress: (p) => progress.update(p.episode, { cost: p.recentCost.toFixed(3), success: `${(100 * p.recentSuccess).toFixed(1)}%` }),
          shouldStop: () => stop,
          warn: (m) => process.stderr.write(`mitra: warning: ${m}\n`),
        });
        progress.update(result.episodes);
        progress.stop();
        if (result.status === 'diverged') {
          throw new UserError(`${result.message}; last good checkpoint: ${result.checkpoint ?? 'none'} (lower the learning rates or resume with --resume ${dir})`, 3);
        }
        if (result.status === 'stopped') {
          process.stderr.write(`mitra: stopped after ${result.episodes} episodes; continue with: mitra train --resume ${dir}\n`);
          process.exitCode = 130;
          return;
        }
        process.stderr.write(`mitra: done: ${result.episodes} episodes in ${result.wallSeconds.toFixed(1)} s; results in ${dir}/summary.json\n`);
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}

function defaultRunDir(config: RunConfig): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  const scenario = config.scenarioName.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  return join('runs', `${config.algo}_${scenario}_seed${config.seed}_${stamp}`);
}
