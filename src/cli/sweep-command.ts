import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { UserError } from '../core/errors.js';
import { algorithmNames } from '../algorithms/registry.js';
import { HEURISTIC_NAMES } from '../heuristics/index.js';
import { experimentNames, loadExperiment, parseList, parseSeedList, parseSetFlag, planSweep, type SweepGroup, type SweepRequest } from '../training/sweep-plan.js';
import { runSweep } from '../training/sweep.js';
import { parseIntFlag } from './args.js';
import { createProgress } from './progress.js';

interface SweepFlags {
  algos?: string;
  scenarios?: string;
  seeds?: string;
  episodes?: string;
  set: string[];
  config?: string;
  experiment?: string;
  workers?: string;
  out?: string;
}

/** `mitra sweep`: algorithm x scenario x seed x --set values (or a named experiment), in parallel, restartable. */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('run every combination of algorithms, scenarios, seeds and --set values as run folders, in parallel; rerun to continue')
    .option('--algos <list>', `comma-separated algorithms and heuristics: ${[...algorithmNames(), ...HEURISTIC_NAMES].join(', ')}`)
    .option('--scenarios <list>', 'comma-separated presets or scenario files')
    .option('--seeds <list>', 'seeds, e.g. 0,1,2 or 0-4')
    .option('--episodes <n>', 'training episodes of every learning run (default: the run settings default)')
    .option('--set <key=v1,v2,...>', 'sweep a setting over values (repeatable; combinations of all --set lists are run)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--config <name|file>', 'named configuration(s) of the algorithms (comma-separated; none = defaults) or a YAML/JSON file')
    .option('--experiment <name|file>', `a named experiment instead of --algos/--scenarios/--config (${safeExperimentNames()})`)
    .option('--workers <k>', `parallel worker threads (default ${availableParallelism()}, the number of cores)`)
    .option('--out <dir>', 'sweep folder (required); each run is <dir>/<algo>[+<values>]/<scenario>/seed<s>')
    .action(async (flags: SweepFlags) => {
      const request = buildRequest(flags);
      const dir = flags.out!;
      const workers = flags.workers !== undefined ? parseIntFlag('--workers', flags.workers, 1) : availableParallelism();
      const plan = planSweep(request);
      const learners = plan.runs.filter((r) => r.kind === 'learner').length;
      process.stderr.write(`mitra: sweep of ${plan.runs.length} runs (${learners} learning, ${plan.runs.length - learners} heuristic) -> ${dir}, ${Math.min(workers, plan.runs.length)} workers\n`);
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = (): void => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write('\nmitra: stopping: running runs checkpoint and end (Ctrl-C again to quit at once); rerun the same command to continue\n');
          controller.abort();
        } else {
          process.exit(130);
        }
      };
      process.on('SIGINT', onSigint);
      let progress: ReturnType<typeof createProgress> | null = null;
      try {
        const result = await runSweep({
          plan, dir, workers, signal: controller.signal,
          onProgress: (p) => {
            progress ??= createProgress({ total: Math.max(1, p.episodesTotal), unit: 'episodes', extra: 'runs {runs} | running {running}' });
            progress.update(p.episodesDone, { runs: `${p.runsDone}/${p.runsTotal}`, running: p.running });
          },
          onRunDone: (o) => {
            if (o.status === 'failed' || o.status === 'diverged') process.stderr.write(`\nmitra: ${o.id}: ${o.status}: ${o.message ?? ''}\n`);
          },
          warn: (m) => process.stderr.write(`\nmitra: warning: ${m}\n`),
        });
        (progress as ReturnType<typeof createProgress> | null)?.stop();
        const count = (pred: (o: (typeof result.outcomes)[number]) => boolean): number => result.outcomes.filter(pred).length;
        const skipped = count((o) => o.action === 'skipped');
        const finished = count((o) => o.status === 'finished' && o.action !== 'skipped');
        const failed = count((o) => o.status === 'failed' || (o.status === 'diverged' && o.action !== 'skipped'));
        // Exit codes travel as UserErrors: main() returns the code the binary exits with.
        if (result.stopped) throw new UserError(`stopped: ${finished} runs finished now, ${skipped} earlier, ${plan.runs.length - finished - skipped} to go; continue with the same command`, 130);
        if (failed > 0) throw new UserError(`sweep done but ${failed} runs failed or diverged (see above; a diverged run is kept as done); report the rest with: mitra report ${dir}`, 3);
        process.stderr.write(`mitra: sweep done: ${finished} runs finished now, ${skipped} skipped as done earlier; report with: mitra report ${dir}\n`);
      } finally {
        (progress as ReturnType<typeof createProgress> | null)?.stop();
        process.off('SIGINT', onSigint);
      }
    });
}

function buildRequest(flags: SweepFlags): SweepRequest {
  if (flags.out === undefined) throw new UserError('sweep: --out <dir> is required (the sweep folder; rerun with the same --out to continue)');
  if (flags.seeds === undefined) throw new UserError('sweep: --seeds is required, e.g. --seeds 0,1,2');
  const seeds = parseSeedList(flags.seeds);
  const episodes = flags.episodes !== undefined ? parseIntFlag('--episodes', flags.episodes, 1) : undefined;
  const sets = flags.set.map(parseSetFlag);
  const set = Object.fromEntries(sets);
  if (Object.keys(set).length !== sets.length) throw new UserError('--set: a key is given twice; list its values once as key=v1,v2');
  if (flags.experiment !== undefined) {
    if (flags.algos !== undefined || flags.scenarios !== undefined || flags.config !== undefined) {
      throw new UserError('--experiment: do not combine with --algos, --scenarios or --config (the experiment file names them)');
    }
    const experiment = loadExperiment(flags.experiment);
    // Extra --set values apply to every group of the experiment.
    const groups: SweepGroup[] = experiment.groups.map((g) => ({ ...g, set: { ...(g.set ?? {}), ...set } }));
    return { groups, seeds, ...(episodes !== undefined ? { episodes } : {}), experiment: experiment.name };
  }
  if (flags.algos === undefined || flags.scenarios === undefined) throw new UserError('sweep: give --algos and --scenarios (or --experiment NAME)');
  const group: SweepGroup = {
    algos: parseList('--algos', flags.algos),
    scenarios: parseList('--scenarios', flags.scenarios),
    ...(flags.config !== undefined ? { configs: parseList('--config', flags.config) } : {}),
    set,
  };
  return { groups: [group], seeds, ...(episodes !== undefined ? { episodes } : {}), experiment: null };
}

function safeExperimentNames(): string {
  try {
    return experimentNames().join(', ');
  } catch {
    return 'main, ablation-components, ablation-lambda3';
  }
}
