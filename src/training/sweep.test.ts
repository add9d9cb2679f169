import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../core/errors.js';
import { resolveScenario } from '../env/presets.js';
import { runPolicy } from '../heuristics/run-policy.js';
import type { RunConfig } from './config.js';
import { evalSeed } from './evaluate.js';
import { readJsonl } from './jsonl.js';
import { metricsSummary } from './metrics-summary.js';
import { resolveHeuristicConfig, runHeuristic } from './heuristic-run.js';
import { planSweep, type SweepPlan } from './sweep-plan.js';
import { runSweep, type RunOutcome } from './sweep.js';
import { train } from './train.js';

const EPISODES = 60;
// Tiny runs: learning starts after 32 transitions, an evaluation every 20 episodes, a checkpoint every 25.
const SET = { batchSize: ['32'], learningStarts: ['32'], evalEvery: ['20'], checkpointEvery: ['25'], finalEvalEpisodes: ['10'], evalEpisodes: ['5'] };

function tinyPlan(algos: string[]): SweepPlan {
  return planSweep({ groups: [{ algos, scenarios: ['paper-1cs-2es-5ud'], set: SET }], seeds: [0, 1], episodes: EPISODES });
}

/** Each learning run's logs hold every episode exactly once, in order, and its evaluations at 20, 40, 60. */
function assertComplete(dir: string, plan: SweepPlan): void {
  for (const run of plan.runs) {
    const runDir = join(dir, run.id);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { status: string; episodes: number };
    assert.equal(summary.status, 'finished', run.id);
    if (run.kind === 'heuristic') continue;
    assert.equal(summary.episodes, EPISODES, run.id);
    const text = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'), `${run.id}: metrics.jsonl ends mid-line`);
    const episodes = text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { episode: number }).episode);
    assert.deepEqual(episodes, Array.from({ length: EPISODES }, (_, i) => i), `${run.id}: episodes duplicated, missing or out of order`);
    assert.deepEqual(readJsonl(join(runDir, 'eval.jsonl')).map((e) => e['episode']), [20, 40, 60], run.id);
  }
}

test('a sweep stopped halfway and restarted finishes with each run done exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-sweep-'));
  try {
    const plan = tinyPlan(['mitra-vib', 'maddpg', 'greedy']);
    assert.equal(plan.runs.length, 6);
    const all: RunOutcome[] = [];

    // 1. Stop the sweep (as Ctrl-C does) once its first run is done: runs in flight checkpoint and end, no new one starts.
    const controller = new AbortController();
    const first = await runSweep({ plan, dir, workers: 2, signal: controller.signal, onRunDone: (o) => { all.push(o); controller.abort(); } });
    assert.equal(first.stopped, true);
    assert.ok(first.outcomes.length < plan.runs.length, 'the stop must leave runs undone');

    // 2. A run a worker was stopped in (mid-run, with a checkpoint), then a run killed hard after writing past its checkpoint.
    const untouched = plan.runs.filter((r) => r.kind === 'learner' && !existsSync(join(dir, r.id, 'summary.json')));
    assert.ok(untouched.length >= 2, 'the stopped sweep leaves at least two learning runs unstarted');
    const stoppedRun = untouched[0]!;
    const stopped = await train({ config: stoppedRun.resolved as RunConfig, dir: join(dir, stoppedRun.id), resume: true, shouldStop: (n) => n >= 35 });
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.episodes, 35);
    const killedRun = untouched[1]!;
    const killedDir = join(dir, killedRun.id);
    await train({ config: killedRun.resolved as RunConfig, dir: killedDir, resume: true, shouldStop: (n) => n >= 30 });
    // As if killed at episode 30 before its stop checkpoint: only the checkpoint at 25 survives, no summary, 5 extra log lines and a torn one.
    rmSync(join(killedDir, 'checkpoints', 'ep-000000030'), { recursive: true });
    writeFileSync(join(killedDir, 'checkpoints', 'latest'), 'ep-000000025\n');
    rmSync(join(killedDir, 'summary.json'));
    appendFileSync(join(killedDir, 'metrics.jsonl'), '{"episode":30,"train/avg');

    // 3. Restart: finished runs are skipped, stopped and killed ones resume, the rest start.
    const second = await runSweep({ plan, dir, workers: 2, onRunDone: (o) => all.push(o) });
    assert.equal(second.stopped, false);
    const byId = new Map(second.outcomes.map((o) => [o.id, o]));
    assert.equal(byId.get(stoppedRun.id)!.action, 'resumed');
    assert.equal(byId.get(killedRun.id)!.action, 'resumed');
    for (const o of first.outcomes) if (o.status === 'finished') assert.equal(byId.get(o.id)!.action, 'skipped', o.id);
    assert.ok(second.outcomes.every((o) => o.status === 'finished'));
    assertComplete(dir, plan);

    // 4. Across both invocations every run finished exactly once (a skip is not a second run).
    for (const run of plan.runs) {
      const done = all.filter((o) => o.id === run.id && o.status === 'finished' && o.action !== 'skipped');
      assert.equal(done.length, 1, `${run.id} finished ${done.length} times`);
    }

    // 5. A third invocation does nothing: every run skipped, no summary rewritten.
    const mtimes = plan.runs.map((r) => statSync(join(dir, r.id, 'summary.json')).mtimeMs);
    const third = await runSweep({ plan, dir, workers: 2 });
    assert.ok(third.outcomes.every((o) => o.action === 'skipped'));
    assert.deepEqual(plan.runs.map((r) => statSync(join(dir, r.id, 'summary.json')).mtimeMs), mtimes);

    // The resumed runs continued exactly: their logs equal an uninterrupted run's.
    for (const run of [stoppedRun, killedRun]) {
      const fresh = join(dir, 'fresh', run.id);
      await train({ config: run.resolved as RunConfig, dir: fresh });
      const costs = (d: string): unknown[] => readJsonl(join(d, 'metrics.jsonl')).map((r) => r['train/avgCost']);
      assert.deepEqual(costs(join(dir, run.id)), costs(fresh), `${run.id} did not resume exactly`);
    }
    const record = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { runs: { id: string }[] };
    assert.deepEqual(record.runs.map((r) => r.id), plan.runs.map((r) => r.id));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder holding a different configuration is refused before any run starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-sweep-'));
  try {
    const plan = planSweep({ groups: [{ algos: ['greedy'], scenarios: ['paper-1cs-2es-5ud'], set: { finalEvalEpisodes: ['10'] } }], seeds: [0, 1] });
    await runSweep({ plan, dir, workers: 1 });
    const other = planSweep({ groups: [{ algos: ['greedy', 'local'], scenarios: ['paper-1cs-2es-5ud'], set: { finalEvalEpisodes: ['12'] } }], seeds: [0, 1] });
    await assert.rejects(runSweep({ plan: other, dir, workers: 1 }), (e: unknown) => isUserError(e) && e.message.includes('finalEvalEpisodes: planned 12, found 10'));
    assert.equal(existsSync(join(dir, 'local')), false, 'no run may start');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('heuristic runs are evaluated on the learners\' fixed evaluation seeds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-heuristic-'));
  try {
    const scenario = resolveScenario('paper-1cs-2es-5ud');
    const config = resolveHeuristicConfig({ policy: 'random', scenarioName: 'paper-1cs-2es-5ud', scenario, seed: 4, set: ['finalEvalEpisodes=15'] });
    runHeuristic(config, dir);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { final: { episodes: number; metrics: Record<string, { mean: number }> } };
    assert.equal(summary.final.episodes, 15);
    // The same numbers as running the policy on evaluation episodes evalSeed(0..14) ...
    const onEvalSeeds = metricsSummary(runPolicy({ scenario, policy: 'random', episodes: 15, seed: 4, seedOf: evalSeed }).episodes);
    assert.equal(summary.final.metrics['avgCost']!.mean, onEvalSeeds['avgCost']!.mean);
    // ... and not those of runPolicy's own per-seed episodes.
    const ownSeeds = metricsSummary(runPolicy({ scenario, policy: 'random', episodes: 15, seed: 4 }).episodes);
    assert.notEqual(summary.final.metrics['avgCost']!.mean, ownSeeds['avgCost']!.mean);
    const stored = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { kind: string; algo: string };
    assert.equal(stored.kind, 'heuristic');
    assert.equal(stored.algo, 'random');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
