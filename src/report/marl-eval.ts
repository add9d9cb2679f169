/**
 * Results in the layout the marl-eval tools read: environment -> task ->
 * algorithm -> run -> `step_<k>` -> { step_count, metric: [values] }, with
 * `absolute_metrics` (the final evaluation) as each run's last key. Here the
 * environment is "ds-mec", a task is a scenario, a run is `seed_<n>`, a step
 * is the k-th periodic evaluation (eval.jsonl) and step_count the training
 * episodes done then. Each metric list holds one value, the mean over that
 * evaluation's episodes, as marl-eval allows for metrics computed over
 * several episodes.
 */
import type { Variant } from './variants.js';

/** The environment name in results.json. */
export const MARL_EVAL_ENV = 'ds-mec';

/** Metrics written per step and in absolute_metrics. */
export const MARL_EVAL_METRICS = ['avgCost', 'taskSuccessRate', 'paperAvgCost', 'paperSuccessRate', 'securityViolations'] as const;

type Steps = Record<string, Record<string, number | number[]>>;

/**
 * Build the results object. A heuristic does not learn, so its evaluation is
 * the same at every step: it gets the learners' step counts of its scenario
 * with its final values, keeping every run's steps alike as marl-eval requires.
 */
export function marlEvalResults(variants: readonly Variant[]): Record<string, Record<string, Record<string, Record<string, Steps>>>> {
  const tasks: Record<string, Record<string, Record<string, Steps>>> = {};
  for (const v of variants) {
    const task = (tasks[v.scenario] ??= {});
    const algo = (task[v.id] ??= {});
    for (const r of v.runs) {
      const run: Steps = {};
      const stepCounts = v.kind === 'learner' ? r.evals.map((e) => e.episode) : learnerStepCounts(variants, v.scenario);
      stepCounts.forEach((count, k) => {
        const step: Record<string, number | number[]> = { step_count: count };
        const values = v.kind === 'learner' ? r.evals[k]!.metrics : r.final;
        for (const m of MARL_EVAL_METRICS) if (typeof values[m] === 'number') step[m] = [values[m]];
        run[`step_${k}`] = step;
      });
      const absolute: Record<string, number[]> = {};
      for (const m of MARL_EVAL_METRICS) if (typeof r.final[m] === 'number') absolute[m] = [r.final[m]];
      run['absolute_metrics'] = absolute;
      algo[`seed_${r.seed}`] = run;
    }
  }
  return { [MARL_EVAL_ENV]: tasks };
}

function learnerStepCounts(variants: readonly Variant[], scenario: string): number[] {
  const learner = variants.find((v) => v.scenario === scenario && v.kind === 'learner' && v.runs.length > 0);
  return learner ? learner.runs[0]!.evals.map((e) => e.episode) : [0];
}
