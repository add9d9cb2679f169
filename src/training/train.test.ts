import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveRunConfig, type RunConfig } from './config.js';
import { train } from './train.js';
import { readJsonl } from './jsonl.js';
import { ALGORITHMS } from '../algorithms/registry.js';
import type { AlgorithmSpec } from '../algorithms/algorithm.js';
import { isUserError } from '../core/errors.js';
import { z } from 'zod';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const BIN = join(REPO, 'bin', 'mitra.js');

/** Small networks and buffers so that updates (and the CMI term) happen within a few dozen episodes. */
const SMALL = [
  'batchSize=32', 'learningStarts=32', 'updateEvery=4', 'hidden=16',
  'evalEvery=20', 'evalEpisodes=3', 'finalEvalEpisodes=5', 'checkpointEvery=20',
];
const SMALL_VIB = [...SMALL, 'minGood=5', 'splitCapacity=64', 'splitWindow=20', 'encoderHidden=16', 'latentDim=8'];

function config(algo: string, episodes: number, extra: string[] = []): RunConfig {
  const set = [...(algo === 'mitra-vib' ? SMALL_VIB : SMALL), `episodes=${episodes}`, ...extra];
  return resolveRunConfig({ algo, scenario: 'paper-1cs-2es-5ud', set });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mitra-train-'));
}

test('same seed gives an identical metrics.jsonl; another seed does not', async () => {
  const a = tmp(), b = tmp(), c = tmp();
  await train({ config: config('mitra-vib', 60), dir: a });
  await train({ config: config('mitra-vib', 60), dir: b });
  await train({ config: config('mitra-vib', 60, ['seed=1']), dir: c });
  const ma = readFileSync(join(a, 'metrics.jsonl'), 'utf8');
  assert.equal(ma, readFileSync(join(b, 'metrics.jsonl'), 'utf8'));
  assert.notEqual(ma, readFileSync(join(c, 'metrics.jsonl'), 'utf8'));
  const rows = readJsonl(join(a, 'metrics.jsonl'));
  assert.equal(rows.length, 60);
  // The CMI machinery actually ran in this configuration (so determinism covers it).
  assert.ok(rows.some((r) => r['charts/cmiActive'] === 1), 'CMI term never switched on');
  assert.ok(rows.some((r) => typeof r['mi/lower'] === 'number' && typeof r['mi/upper'] === 'number'));
  const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')) as { status: string; final: { metrics: Record<string, unknown> } };
  assert.equal(summary.status, 'finished');
  assert.ok('taskSuccessRate' in summary.final.metrics);
  for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
});

for (const algo of ['mitra-vib', 'maddpg']) {
  test(`${algo}: stop and resume equals an uninterrupted run`, async () => {
    const whole = tmp(), parts = tmp();
    await train({ config: config(algo, 50), dir: whole });
    const first = await train({ config: config(algo, 50), dir: parts, shouldStop: (n) => n === 23 });
    assert.equal(first.status, 'stopped');
    assert.equal(first.episodes, 23);
    const second = await train({ config: config(algo, 50), dir: parts, resume: true });
    assert.equal(second.status, 'finished');
    for (const f of ['metrics.jsonl', 'eval.jsonl']) {
      assert.equal(readFileSync(join(parts, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), `${f} differs after resume`);
    }
    rmSync(whole, { recursive: true, force: true });
    rmSync(parts, { recursive: true, force: true });
  });
}

test('a run killed with SIGKILL resumes from its last complete checkpoint and ends as if never stopped', async () => {
  const whole = tmp(), killed = tmp();
  const args = ['--algo', 'mitra-vib', '--scenario', 'paper-1cs-2es-5ud', '--episodes', '400', ...SMALL_VIB.flatMap((s) => ['--set', s]), '--set', 'checkpointEvery=7'];
  const ref = spawnSync(process.execPath, [BIN, 'train', ...args, '--out', whole], { encoding: 'utf8' });
  assert.equal(ref.status, 0, ref.stderr);
  const child = spawn(process.execPath, [BIN, 'train', ...args, '--out', killed], { stdio: 'ignore' });
  // Kill once the run is under way (a checkpoint exists), whatever it is doing at that moment.
  await new Promise<void>((done) => {
    const t = setInterval(() => {
      if (existsSync(join(killed, 'checkpoints', 'latest'))) {
        clearInterval(t);
        setTimeout(() => { child.kill('SIGKILL'); done(); }, 150);
      }
    }, 10);
  });
  await new Promise((r) => child.on('exit', r));
  const resumed = spawnSync(process.execPath, [BIN, 'train', '--resume', killed], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  for (const f of ['metrics.jsonl', 'eval.jsonl']) {
    assert.equal(readFileSync(join(killed, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), `${f} differs after kill + resume`);
  }
  rmSync(whole, { recursive: true, force: true });
  rmSync(killed, { recursive: true, force: true });
});

test('a NaN loss stops the run with a clear message and keeps the last good checkpoint', async () => {
  const base = ALGORITHMS['maddpg']!;
  // A test-only algorithm: MADDPG whose reported critic loss turns NaN after episode 30.
  const nanSpec: AlgorithmSpec = {
    ...base,
    name: 'nan-test',
    configSchema: base.configSchema as z.ZodType<Record<string, unknown>>,
    create: (ctx, cfg) => {
      const inner = base.create(ctx, cfg);
      let episode = 0;
      return {
        ...inner,
        act: inner.act.bind(inner), observe: inner.observe.bind(inner), endEpisode: inner.endEpisode.bind(inner),
        getState: inner.getState.bind(inner), setState: inner.setState.bind(inner),
        beginEpisode: (e: number) => { episode = e; inner.beginEpisode(e); },
        metrics: () => ({ ...inner.metrics(), ...(episode >= 30 ? { 'loss/critic': Number.NaN } : {}) }),
      };
    },
  };
  (ALGORITHMS as Record<string, AlgorithmSpec>)['nan-test'] = nanSpec;
  try {
    const dir = tmp();
    const cfg = { ...config('maddpg', 60), algo: 'nan-test' };
    const r = await train({ config: cfg, dir });
    assert.equal(r.status, 'diverged');
    assert.match(r.message ?? '', /diverged at episode 3\d: loss\/critic = NaN/);
    assert.match(r.checkpoint ?? '', /ep-000000020$/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { status: string };
    assert.equal(summary.status, 'diverged');
    rmSync(dir, { recursive: true, force: true });
  } finally {
    delete (ALGORITHMS as Record<string, AlgorithmSpec>)['nan-test'];
  }
});

test('bad configuration values are one-line user errors', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => resolveRunConfig({ algo: 'nope', scenario: 'paper-1cs-2es-5ud' }), /unknown algorithm 'nope'; valid: .*mitra-vib/],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'nope' }), /nope/],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', set: ['lamda3=0.1'] }), /unknown key 'lamda3'/],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', set: ['lambda3=abc'] }), /lambda3: .*number/i],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', set: ['episodes=-3'] }), /episodes/],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', set: ['noequals'] }), /expected key=value/],
    [() => resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', config: '/nonexistent.yaml' }), /no such file or named configuration/],
  ];
  for (const [fn, re] of cases) {
    assert.throws(fn, (err: unknown) => isUserError(err) && re.test(err.message) && !err.message.includes('\n'), `expected ${re}`);
  }
  const released = resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-2es-5ud', config: 'released' });
  assert.equal(released.hyper['alpha'], 3);
  assert.equal(released.namedConfig, 'released');
});

test('CLI: train and eval reject bad input with exit code 2 and one line', () => {
  const dir = tmp();
  const run = (...a: string[]) => spawnSync(process.execPath, [BIN, ...a], { encoding: 'utf8' });
  const cases: [string[], RegExp][] = [
    [['train', '--algo', 'nope'], /unknown algorithm/],
    [['train', '--set', 'bogus=1', '--episodes', '1'], /unknown key 'bogus'/],
    [['train', '--episodes', 'ten'], /--episodes: expected a whole number/],
    [['train', '--resume', dir], /not a run folder/],
    [['eval', '--run', join(dir, 'missing')], /no such run folder/],
  ];
  for (const [args, re] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('CLI: eval of a run on a scenario with other dimensions is refused; on its own scenario it reports metrics', async () => {
  const dir = tmp();
  await train({ config: config('maddpg', 10), dir });
  const ok = spawnSync(process.execPath, [BIN, 'eval', '--run', dir, '--episodes', '5', '--json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const out = JSON.parse(ok.stdout) as { metrics: Record<string, { mean: number; ci95: number[] }>; episodes: number };
  assert.equal(out.episodes, 5);
  assert.ok(out.metrics['taskSuccessRate']!.mean >= 0 && out.metrics['taskSuccessRate']!.mean <= 1);
  const bad = spawnSync(process.execPath, [BIN, 'eval', '--run', dir, '--scenario', 'paper-1cs-3es-7ud'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /checkpoint does not match scenario paper-1cs-3es-7ud/);
  rmSync(dir, { recursive: true, force: true });
});
