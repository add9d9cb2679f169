import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPresets } from '../env/presets.js';
import { resolveRunConfig, settableKeys, type RunConfig } from '../training/config.js';
import { readJsonl } from '../training/jsonl.js';
import { runPaths } from '../training/run-folder.js';
import { train } from '../training/train.js';
import { ALGORITHMS, algorithmNames } from './registry.js';

/**
 * Tiny settings so every algorithm updates well before episode 11, where the
 * resume test stops (early episodes of the paper presets often last a single
 * slot, so 24 episodes may be only 24 steps); each key is applied only where
 * the algorithm has it.
 */
const TINY = [
  'batchSize=32', 'learningStarts=8', 'updateEvery=2', 'hidden=16', 'criticHidden=16', 'epochs=2',
  'minGood=5', 'splitCapacity=64', 'splitWindow=20', 'encoderHidden=16', 'latentDim=8', 'episodesPerBatch=4', 'targetUpdateEvery=2',
  'evalEvery=10', 'evalEpisodes=2', 'finalEvalEpisodes=5', 'checkpointEvery=1000',
];
const EPISODES = 24;

function config(algo: string, scenario: string, extra: string[] = []): RunConfig {
  const keys = new Set(settableKeys(ALGORITHMS[algo]!));
  const set = [...TINY, `episodes=${EPISODES}`, ...extra].filter((kv) => keys.has(kv.slice(0, kv.indexOf('='))));
  return resolveRunConfig({ algo, scenario, set });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mitra-registry-'));
}

test('every algorithm declares its encoding, policy type and critic, and its schema parses to defaults', () => {
  assert.ok(algorithmNames().length >= 5);
  for (const [name, spec] of Object.entries(ALGORITHMS)) {
    assert.equal(spec.name, name);
    assert.ok(['continuous', 'discrete'].includes(spec.actionEncoding), name);
    assert.equal(typeof spec.onPolicy, 'boolean');
    assert.equal(typeof spec.centralisedCritic, 'boolean');
    const parsed = spec.configSchema.parse({});
    assert.ok(Object.keys(parsed).length > 0, `${name}: empty config`);
    for (const [key, field] of Object.entries((spec.configSchema as unknown as { shape: Record<string, { description?: string }> }).shape)) {
      assert.ok(field.description, `${name}.${key} has no description`);
    }
  }
});

for (const algo of algorithmNames()) {
  for (const { name: scenario } of listPresets()) {
    test(`smoke: ${algo} trains on ${scenario}`, async () => {
      const dir = tmp();
      const result = await train({ config: config(algo, scenario), dir });
      assert.equal(result.status, 'finished', result.message);
      const paths = runPaths(dir);
      for (const f of [paths.config, paths.metrics, paths.eval, paths.summary, paths.checkpoints]) assert.ok(existsSync(f), `${f} missing`);
      const rows = readJsonl(paths.metrics);
      assert.equal(rows.length, EPISODES);
      let losses = 0;
      for (const row of rows) {
        for (const [k, v] of Object.entries(row)) {
          if (!k.startsWith('loss/')) continue;
          assert.ok(Number.isFinite(v), `${k} = ${String(v)} at episode ${String(row['episode'])}`);
          losses++;
        }
      }
      assert.ok(losses > 0, 'no update ran, so no loss was logged');
      const summary = JSON.parse(readFileSync(paths.summary, 'utf8')) as { status: string; final: { episodes: number } };
      assert.equal(summary.status, 'finished');
      assert.equal(summary.final.episodes, 5);
      rmSync(dir, { recursive: true, force: true });
    });
  }
}

/**
 * Scenario 2 with full 10-slot episodes: early policies miss a deadline in the
 * first slot, so on the preset itself nothing would bootstrap and target
 * networks, smoothing noise and multi-step returns would go unchecked.
 */
const SCENARIO = ((): string => {
  const preset = listPresets().find((p) => p.name === 'paper-1cs-2es-5ud')!;
  const text = readFileSync(preset.path, 'utf8');
  assert.match(text, /terminateOnDeadlineMiss: true/);
  const path = join(tmp(), 'long-episodes.yaml');
  writeFileSync(path, text.replace('terminateOnDeadlineMiss: true', 'terminateOnDeadlineMiss: false'));
  return path;
})();

for (const algo of algorithmNames()) {
  test(`${algo}: same seed, same metrics.jsonl; another seed differs`, async () => {
    const a = tmp(), b = tmp(), c = tmp();
    await train({ config: config(algo, SCENARIO), dir: a });
    await train({ config: config(algo, SCENARIO), dir: b });
    await train({ config: config(algo, SCENARIO, ['seed=1']), dir: c });
    const text = readFileSync(join(a, 'metrics.jsonl'), 'utf8');
    assert.equal(readFileSync(join(b, 'metrics.jsonl'), 'utf8'), text);
    assert.notEqual(readFileSync(join(c, 'metrics.jsonl'), 'utf8'), text);
    for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
  });

  test(`${algo}: stopped mid-way (mid-batch for on-policy) and resumed equals an uninterrupted run`, async () => {
    const whole = tmp(), parts = tmp();
    await train({ config: config(algo, SCENARIO), dir: whole });
    // 4 episodes per batch: stopping after 11 leaves 3 episodes of an unfinished batch in the checkpoint.
    const first = await train({ config: config(algo, SCENARIO), dir: parts, shouldStop: (n) => n === 11 });
    assert.equal(first.status, 'stopped');
    const second = await train({ config: config(algo, SCENARIO), dir: parts, resume: true });
    assert.equal(second.status, 'finished');
    for (const f of ['metrics.jsonl', 'eval.jsonl']) {
      assert.equal(readFileSync(join(parts, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), `${f} differs after resume`);
    }
    rmSync(whole, { recursive: true, force: true });
    rmSync(parts, { recursive: true, force: true });
  });
}
