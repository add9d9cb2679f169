import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../core/errors.js';
import { algorithmNames } from '../algorithms/registry.js';
import type { RunConfig } from './config.js';
import { experimentNames, loadExperiment, parseSeedList, parseSetFlag, planSweep, type SweepGroup } from './sweep-plan.js';

const SC = 'paper-1cs-2es-5ud';
const registered = (algos: readonly string[]): string[] => algos.filter((a) => algorithmNames().includes(a) || ['local', 'random', 'nearest', 'greedy'].includes(a));

/** Assert `fn` throws a one-line UserError (exit 2) whose message contains `part`. */
function userError(fn: () => unknown, part: string): void {
  assert.throws(fn, (e: unknown) => isUserError(e) && e.exitCode === 2 && !e.message.includes('\n') && e.message.includes(part), `expected a one-line UserError containing "${part}"`);
}

test('algorithms x scenarios x seeds x --set combinations expand with deterministic folder names', () => {
  const plan = planSweep({
    groups: [{ algos: ['mitra-vib', 'maddpg', 'greedy'], scenarios: [SC, 'paper-1cs-3es-7ud'], set: { batchSize: ['32', '64'], learningStarts: ['16'] } }],
    seeds: [0, 1],
    episodes: 40,
  });
  // Learners: 2 algos x 2 batch sizes x 2 scenarios x 2 seeds = 16; greedy takes no hyperparameters: 2 scenarios x 2 seeds = 4.
  assert.equal(plan.runs.length, 20);
  const ids = plan.runs.map((r) => r.id);
  assert.equal(new Set(ids).size, 20);
  // Only the swept key (two values) names the folder; the single-valued one is common to all runs.
  assert.ok(ids.includes('mitra-vib+batchSize=32/paper-1cs-2es-5ud/seed0'));
  assert.ok(ids.includes('maddpg+batchSize=64/paper-1cs-3es-7ud/seed1'));
  assert.ok(ids.includes('greedy/paper-1cs-2es-5ud/seed1'));
  const run = plan.runs.find((r) => r.id === 'mitra-vib+batchSize=64/paper-1cs-2es-5ud/seed1')!;
  const cfg = run.resolved as RunConfig;
  assert.equal(cfg.hyper['batchSize'], 64);
  assert.equal(cfg.hyper['learningStarts'], 16);
  assert.equal(cfg.seed, 1);
  assert.equal(cfg.episodes, 40);
  assert.equal(plan.runs.find((r) => r.algo === 'greedy')!.kind, 'heuristic');
  // Same request, same plan.
  const again = planSweep({ groups: [{ algos: ['mitra-vib', 'maddpg', 'greedy'], scenarios: [SC, 'paper-1cs-3es-7ud'], set: { batchSize: ['32', '64'], learningStarts: ['16'] } }], seeds: [0, 1], episodes: 40 });
  assert.deepEqual(again.runs.map((r) => r.id), ids);
});

test('named configurations become variants; none is the defaults', () => {
  const plan = planSweep({ groups: [{ algos: ['mitra-vib'], scenarios: [SC], configs: ['none', 'no-vib', 'no-bad'] }], seeds: [3] });
  assert.deepEqual(plan.runs.map((r) => r.id), ['mitra-vib/paper-1cs-2es-5ud/seed3', 'mitra-vib+no-vib/paper-1cs-2es-5ud/seed3', 'mitra-vib+no-bad/paper-1cs-2es-5ud/seed3']);
  const [none, noVib] = plan.runs.map((r) => r.resolved as RunConfig);
  assert.equal(none!.namedConfig, null);
  assert.equal(noVib!.namedConfig, 'no-vib');
  assert.equal(noVib!.hyper['useVib'], false);
});

test('the shipped experiments load and plan (unregistered algorithms left out)', () => {
  assert.deepEqual(experimentNames(), ['ablation-components', 'ablation-lambda3', 'main']);
  const main = loadExperiment('main');
  assert.deepEqual(main.groups[0]!.algos, ['mitra-vib', 'maddpg', 'matd3', 'mappo', 'coma', 'local', 'random', 'nearest', 'greedy']);
  assert.deepEqual(main.groups[0]!.scenarios, ['paper-1cs-3es-7ud', 'paper-1cs-2es-5ud']);
  const mainGroups: SweepGroup[] = main.groups.map((g) => ({ ...g, algos: registered(g.algos) }));
  const mainPlan = planSweep({ groups: mainGroups, seeds: [0, 1, 2], episodes: 10 });
  assert.equal(mainPlan.runs.length, registered(main.groups[0]!.algos).length * 2 * 3);

  const components = planSweep({ groups: loadExperiment('ablation-components').groups, seeds: [0], episodes: 10 });
  assert.deepEqual(components.runs.map((r) => (r.resolved as RunConfig).namedConfig), [null, 'no-bad', 'no-good', 'no-both', 'no-vib']);

  const lambda = planSweep({ groups: loadExperiment('ablation-lambda3').groups, seeds: [0], episodes: 10 });
  assert.deepEqual(lambda.runs.map((r) => (r.resolved as RunConfig).hyper['lambda3']), [0.01, 0.05, 0.1, 0.15, 0.2]);
  assert.equal(lambda.runs[0]!.id, 'mitra-vib+lambda3=0.01/paper-1cs-3es-7ud/seed0');
});

test('bad input is a one-line error before anything runs', () => {
  const plan = (group: Partial<SweepGroup>, seeds: number[] = [0]) => () => planSweep({ groups: [{ algos: ['maddpg'], scenarios: [SC], ...group }], seeds });
  userError(plan({ algos: ['maddpg', 'alphazero'] }), "unknown algorithm 'alphazero'");
  userError(plan({ scenarios: ['no-such-scenario'] }), 'unknown scenario "no-such-scenario"');
  userError(plan({ set: { lambda3: ['0.1'] } }), "unknown key 'lambda3' for maddpg");
  userError(plan({ set: { batchSize: ['-4'] } }), 'batchSize');
  userError(plan({ algos: ['greedy'], set: { hidden: ['8'] } }), 'unknown key for heuristics');
  userError(plan({ configs: ['no-such-config'] }), 'no-such-config');
  userError(plan({}, []), '--seeds');
  userError(() => parseSeedList('0,x'), "got 'x'");
  userError(() => parseSeedList('5-2'), "bad range '5-2'");
  userError(() => loadExperiment('no-such-experiment'), 'shipped: ablation-components, ablation-lambda3, main');
  userError(() => parseSetFlag('lambda3'), 'expected key=value');
  userError(() => parseSetFlag('lambda3=0.1,,0.2'), 'empty value');
});

test('list flags: seed ranges, and commas inside brackets do not split values', () => {
  assert.deepEqual(parseSeedList('0-2,5,1'), [0, 1, 2, 5]);
  assert.deepEqual(parseSetFlag('lambda3=0.01, 0.05,0.1'), ['lambda3', ['0.01', '0.05', '0.1']]);
  assert.deepEqual(parseSetFlag('hidden=[64,64],[128,128]'), ['hidden', ['[64,64]', '[128,128]']]);
});
