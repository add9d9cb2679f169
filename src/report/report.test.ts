import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../core/errors.js';
import { downsampleIndices, ema, meanCurve } from './curves.js';
import { writeReport } from './report.js';
import { loadRuns } from './runs.js';
import { groupVariants } from './variants.js';

interface FakeRun {
  algo: string;
  seed: number;
  scenario?: string;
  kind?: 'heuristic';
  namedConfig?: string | null;
  hyper?: Record<string, unknown>;
  episodes?: number;
  /** Final success rate and cost; the paper metrics are derived from them. */
  success: number;
  cost: number;
  status?: string;
}

/** Write a run folder shaped like `train`'s (or a heuristic's): config.json, summary.json, metrics.jsonl, eval.jsonl. */
function writeRun(root: string, rel: string, r: FakeRun): string {
  const dir = join(root, rel);
  mkdirSync(dir, { recursive: true });
  const episodes = r.kind === 'heuristic' ? 0 : r.episodes ?? 50;
  const config = {
    version: 1, ...(r.kind ? { kind: r.kind } : {}), algo: r.algo, scenarioName: r.scenario ?? 'sc-a', namedConfig: r.namedConfig ?? null,
    seed: r.seed, episodes, evalEvery: 25, evalEpisodes: 5, finalEvalEpisodes: 10, checkpointEvery: 1000, hyper: r.hyper ?? {}, scenario: {},
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const metric = (mean: number) => ({ mean, ci95: [mean, mean] });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({
    status: r.status ?? 'finished', algo: r.algo, scenario: config.scenarioName, seed: r.seed, episodes, wallSeconds: 2,
    final: { episodes: 10, metrics: { avgCost: metric(r.cost), taskSuccessRate: metric(r.success), paperAvgCost: metric(r.cost + 1), paperSuccessRate: metric(r.success / 2) } },
  }));
  if (r.kind !== 'heuristic') {
    // Training cost falls linearly from cost + 1 to cost over the run.
    const lines = Array.from({ length: episodes }, (_, e) => JSON.stringify({ episode: e, 'train/avgCost': r.cost + 1 - e / Math.max(1, episodes - 1), 'loss/critic': 0.5 }));
    writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
    const evals = [25, 50].filter((e) => e <= episodes).map((e) => JSON.stringify({ episode: e, 'eval/avgCost': r.cost + 0.1, 'eval/taskSuccessRate': r.success - 0.1, 'eval/paperAvgCost': r.cost, 'eval/paperSuccessRate': 0 }));
    writeFileSync(join(dir, 'eval.jsonl'), evals.length ? `${evals.join('\n')}\n` : '');
  }
  return dir;
}

/** A sweep folder: two algorithms and a heuristic over seeds, an ablation of MITRA-VIB, and four unusable runs. */
function fakeSweep(root: string): void {
  writeRun(root, 'mitra-vib/sc-a/seed0', { algo: 'mitra-vib', seed: 0, success: 0.5, cost: 2 });
  writeRun(root, 'mitra-vib/sc-a/seed1', { algo: 'mitra-vib', seed: 1, success: 0.6, cost: 1.5 });
  writeRun(root, 'mitra-vib/sc-a/seed2', { algo: 'mitra-vib', seed: 2, success: 0.9, cost: 1 });
  writeRun(root, 'mitra-vib+no-vib/sc-a/seed0', { algo: 'mitra-vib', seed: 0, namedConfig: 'no-vib', hyper: { useVib: false }, success: 0.4, cost: 2.5 });
  writeRun(root, 'mitra-vib+no-vib/sc-a/seed1', { algo: 'mitra-vib', seed: 1, namedConfig: 'no-vib', hyper: { useVib: false }, success: 0.2, cost: 3 });
  writeRun(root, 'maddpg/sc-a/seed0', { algo: 'maddpg', seed: 0, success: 0.3, cost: 2.2 });
  writeRun(root, 'maddpg/sc-a/seed1', { algo: 'maddpg', seed: 1, success: 0.1, cost: 2.6 });
  writeRun(root, 'greedy/sc-a/seed0', { algo: 'greedy', kind: 'heuristic', seed: 0, success: 0.8, cost: 1.7 });
  writeRun(root, 'greedy/sc-a/seed1', { algo: 'greedy', kind: 'heuristic', seed: 1, success: 0.8, cost: 1.7 });
  // Unusable: a torn last metrics line, a run stopped halfway, no summary, a summary cut off mid-write.
  const torn = writeRun(root, 'maddpg/sc-a/seed2', { algo: 'maddpg', seed: 2, success: 0.99, cost: 0.1 });
  writeFileSync(join(torn, 'metrics.jsonl'), readFileSync(join(torn, 'metrics.jsonl'), 'utf8').slice(0, -30));
  writeRun(root, 'maddpg/sc-a/seed3', { algo: 'maddpg', seed: 3, success: 0.99, cost: 0.1, status: 'stopped' });
  rmSync(join(writeRun(root, 'maddpg/sc-a/seed4', { algo: 'maddpg', seed: 4, success: 0.99, cost: 0.1 }), 'summary.json'));
  const cut = writeRun(root, 'maddpg/sc-a/seed5', { algo: 'maddpg', seed: 5, success: 0.99, cost: 0.1 });
  writeFileSync(join(cut, 'summary.json'), readFileSync(join(cut, 'summary.json'), 'utf8').slice(0, 40));
}

test('report on synthetic run folders: files, hand-computed table values, skipped runs, marl-eval shape', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mitra-report-'));
  try {
    fakeSweep(root);
    const warnings: string[] = [];
    const result = await writeReport({ dir: root, warn: (m) => warnings.push(m) });
    const out = join(root, 'report');
    assert.equal(result.runs, 9);
    assert.deepEqual(result.skipped.map((s) => s.rel).sort(), ['maddpg/sc-a/seed2', 'maddpg/sc-a/seed3', 'maddpg/sc-a/seed4', 'maddpg/sc-a/seed5']);
    const reason = (rel: string): string => result.skipped.find((s) => s.rel === rel)!.reason;
    assert.match(reason('maddpg/sc-a/seed2'), /metrics\.jsonl is truncated/);
    assert.match(reason('maddpg/sc-a/seed3'), /not finished \(status stopped/);
    assert.match(reason('maddpg/sc-a/seed4'), /no summary\.json/);
    assert.match(reason('maddpg/sc-a/seed5'), /summary\.json is truncated/);
    // One line per skipped run on the warning channel (resvg may add a font warning).
    for (const s of result.skipped) assert.ok(warnings.some((w) => w.includes(s.rel) && !w.includes('\n')), s.rel);

    for (const f of ['index.md', 'table.md', 'table.csv', 'table.tex', 'results.json', 'figures/avgcost-sc-a.svg', 'figures/avgcost-sc-a-mitra-vib-config.svg']) {
      assert.ok(existsSync(join(out, f)), `missing ${f}`);
    }
    const svg = readFileSync(join(out, 'figures/avgcost-sc-a.svg'), 'utf8');
    assert.ok(svg.startsWith('<svg') && svg.includes('MITRA-VIB') && svg.includes('MADDPG') && svg.includes('Episode'));
    assert.ok(!svg.includes('no-vib') && !svg.includes('w/o'), 'the scenario figure shows each algorithm\'s default only');
    const ablation = readFileSync(join(out, 'figures/avgcost-sc-a-mitra-vib-config.svg'), 'utf8');
    assert.ok(ablation.includes('MITRA-VIB (w/o VIB encoder)'));
    if (!warnings.some((w) => w.includes('resvg'))) {
      const png = readFileSync(join(out, 'figures/avgcost-sc-a.png'));
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    }

    // Table values: means over seeds by hand.
    const csv = readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const header = csv[0]!;
    const row = (algorithm: string): Record<string, string> => Object.fromEntries(header.map((h, i) => [h, csv.find((r) => r[1] === algorithm)![i]!]));
    const close = (a: string, b: number): void => assert.ok(Math.abs(Number(a) - b) < 1e-12, `${a} != ${b}`);
    const vib = row('mitra-vib');
    close(vib['taskSuccessRate_mean']!, (0.5 + 0.6 + 0.9) / 3);
    close(vib['avgCost_mean']!, (2 + 1.5 + 1) / 3);
    close(vib['taskSuccessRate_iqm']!, (0.5 + 0.6 + 0.9) / 3); // 3 seeds: floor(3 / 4) = 0 cut, the IQM is the mean
    close(vib['paperSuccessRate_mean']!, (0.25 + 0.3 + 0.45) / 3);
    close(vib['paperAvgCost_mean']!, (3 + 2.5 + 2) / 3);
    assert.ok(Number(vib['taskSuccessRate_ci95_low']) >= 0.5 && Number(vib['taskSuccessRate_ci95_high']) <= 0.9);
    assert.equal(vib['seeds'], '0 1 2');
    close(row('mitra-vib+no-vib')['avgCost_mean']!, 2.75);
    close(row('maddpg')['taskSuccessRate_mean']!, 0.2); // seeds 0 and 1 only: the unusable seeds are left out
    const greedy = row('greedy');
    close(greedy['avgCost_mean']!, 1.7);
    close(greedy['avgCost_ci95_low']!, 1.7);
    assert.equal(greedy['kind'], 'heuristic');
    const md = readFileSync(join(out, 'table.md'), 'utf8');
    // With three seeds a resample is all 0.5 with probability 1/27 = 3.7% > 2.5% (all 0.9 likewise), so the
    // percentile interval is exactly [50%, 90%]. Best success (greedy) and best cost (MITRA-VIB) are bold.
    assert.ok(md.includes('| MITRA-VIB | 3 | 50 | 66.67% [50.0%, 90.0%] | 66.67% | **1.500 [1.000, 2.000]** | 1.500 | 33.33% | 2.500 |'), md);
    assert.ok(md.includes('| Greedy | 2 | — | **80.00% [80.0%, 80.0%]**'), md);
    const tex = readFileSync(join(out, 'table.tex'), 'utf8');
    assert.ok(tex.includes('\\textbf{80.00\\%}') && tex.includes('\\textbf{1.500}'), tex);

    // marl-eval: env -> task -> algorithm -> seed_N -> step_k {step_count, metric: [..]}, absolute_metrics last.
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>;
    const task = results['ds-mec']!['sc-a']!;
    assert.deepEqual(Object.keys(task).sort(), ['greedy', 'maddpg', 'mitra-vib', 'mitra-vib+no-vib']);
    assert.deepEqual(Object.keys(task['mitra-vib']!), ['seed_0', 'seed_1', 'seed_2']);
    const run = task['mitra-vib']!['seed_1']!;
    assert.deepEqual(Object.keys(run), ['step_0', 'step_1', 'absolute_metrics']);
    assert.deepEqual(run['step_1'], { step_count: 50, avgCost: [1.6], taskSuccessRate: [0.5], paperAvgCost: [1.5], paperSuccessRate: [0] });
    assert.deepEqual(run['absolute_metrics'], { avgCost: [1.5], taskSuccessRate: [0.6], paperAvgCost: [2.5], paperSuccessRate: [0.3] });
    // Heuristics get the learners' steps so every run has the same number of steps.
    assert.deepEqual(Object.keys(task['greedy']!['seed_0']!), ['step_0', 'step_1', 'absolute_metrics']);

    const index = readFileSync(join(out, 'index.md'), 'utf8');
    for (const part of ['50 episodes', 'Seeds: 0, 1, 2', 'Total wall time', 'figures/avgcost-sc-a.', '## Skipped runs', 'maddpg/sc-a/seed2', '| Greedy |']) assert.ok(index.includes(part), `index.md lacks "${part}"`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder with no runs, or no usable run, is a one-line error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mitra-report-'));
  try {
    await assert.rejects(writeReport({ dir: root }), (e: unknown) => isUserError(e) && e.exitCode === 2 && e.message.includes('no run folders'));
    await assert.rejects(writeReport({ dir: join(root, 'missing') }), (e: unknown) => isUserError(e) && e.message.includes('no such folder'));
    writeRun(root, 'a/seed0', { algo: 'maddpg', seed: 0, success: 0.5, cost: 1, status: 'stopped' });
    const warnings: string[] = [];
    await assert.rejects(writeReport({ dir: root, warn: (m) => warnings.push(m) }), (e: unknown) => isUserError(e) && e.message.includes('no usable runs (1 skipped'));
    assert.equal(warnings.length, 1);
    assert.equal(existsSync(join(root, 'report', 'index.md')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('variants are told apart by the settings that differ; the default is the base', () => {
  const root = mkdtempSync(join(tmpdir(), 'mitra-report-'));
  try {
    for (const [i, l] of [0.01, 0.1, 0.2].entries()) {
      for (const seed of [0, 1]) writeRun(root, `l${i}/s${seed}`, { algo: 'mitra-vib', seed, hyper: { lambda3: l, batchSize: 32 }, success: 0.5, cost: 1 });
    }
    const variants = groupVariants(loadRuns(root).runs);
    assert.deepEqual(variants.map((v) => v.id), ['mitra-vib+lambda3=0.01', 'mitra-vib+lambda3=0.1', 'mitra-vib+lambda3=0.2']);
    assert.deepEqual(variants.map((v) => v.display), ['MITRA-VIB (λ3 = 0.01)', 'MITRA-VIB (λ3 = 0.10)', 'MITRA-VIB (λ3 = 0.20)']);
    // 0.1 is MITRA-VIB's default lambda3 (batchSize is the same in every run, so it does not name variants).
    assert.deepEqual(variants.map((v) => v.isBase), [false, true, false]);
    assert.deepEqual(variants.map((v) => v.runs.length), [2, 2, 2]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('EMA is debiased, seeds are averaged per episode, long curves are thinned', () => {
  // w = 0.5: s1 = 0.5 * 2 = 1, debiased 1 / (1 - 0.5) = 2; s2 = 0.5 * 1 + 0.5 * 4 = 2.5, debiased 2.5 / 0.75 = 3.3333.
  const e = ema([2, 4], 0.5);
  assert.equal(e[0], 2);
  assert.ok(Math.abs(e[1]! - 10 / 3) < 1e-12);
  // A constant stays constant from the first point (no pull towards zero).
  assert.deepEqual([...ema([3, 3, 3])].map((v) => Math.round(v * 1e9) / 1e9), [3, 3, 3]);
  // A missing value keeps the previous average.
  assert.equal(ema([2, Number.NaN], 0.5)[1], 2);
  assert.deepEqual(downsampleIndices(10, 4), [0, 3, 6, 9]);
  assert.deepEqual(downsampleIndices(3, 4), [0, 1, 2]);
  const curve = (values: number[]) => ({ curve: Float64Array.from(values) });
  const mean = meanCurve({ runs: [curve([1, 2, 3]), curve([3, 4])] } as never);
  assert.deepEqual([...mean], [2, 3, 3]); // the third episode only the longer seed has
});
