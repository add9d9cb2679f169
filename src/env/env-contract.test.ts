import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { DsMecEnv } from './env.js';
import { listPresets, resolveScenario } from './presets.js';

/** Play one episode of seeded random actions through the dict API; returns a trace of everything seen. */
function playEpisode(env: DsMecEnv, seed: number, actionSeed: number): number[] {
  const rng = new Random(actionSeed);
  const trace: number[] = [];
  const { observations, infos } = env.reset({ seed });
  assert.deepEqual(Object.keys(observations).sort(), [...env.possibleAgents].sort());
  assert.deepEqual(Object.keys(infos).sort(), [...env.possibleAgents].sort());
  assert.deepEqual(env.agents, [...env.possibleAgents]);
  for (const a of env.possibleAgents) trace.push(...observations[a]);
  for (let slot = 0; slot < 1000 && env.agents.length > 0; slot++) {
    const actions: Record<string, number[]> = {};
    for (const a of env.agents) actions[a] = [rng.next() * 2 - 1, rng.next() * 2 - 1];
    const r = env.step(actions);
    for (const key of ['observations', 'rewards', 'terminations', 'truncations', 'infos'] as const) {
      assert.deepEqual(Object.keys(r[key]).sort(), [...env.possibleAgents].sort(), key);
    }
    for (const a of env.possibleAgents) {
      const o = r.observations[a];
      const space = env.observationSpace(a);
      assert.deepEqual([o.length], space.shape);
      for (const v of o) assert.ok(Number.isFinite(v) && v >= space.low && v <= space.high, `obs value ${v} out of [0, 1]`);
      assert.ok(Number.isFinite(r.rewards[a]));
      assert.equal(r.rewards[a], r.rewards[env.possibleAgents[0]], 'the reward is shared');
      assert.equal(r.truncations[a], false);
      assert.equal(r.infos[a].allowed.length, env.numServers);
      trace.push(...o, r.rewards[a], r.terminations[a] ? 1 : 0);
    }
    const s = env.state();
    assert.equal(s.length, env.stateDim);
    assert.equal(env.agents.length === 0, r.terminations[env.possibleAgents[0]]);
  }
  assert.deepEqual(env.agents, []);
  const m = env.episodeMetrics();
  for (const v of Object.values(m)) assert.ok(Number.isFinite(v));
  trace.push(...Object.values(m));
  return trace;
}

for (const preset of listPresets()) {
  test(`API contract and seed determinism: ${preset.name}`, () => {
    const scenario = resolveScenario(preset.name);
    const env = new DsMecEnv(scenario);
    assert.equal(env.possibleAgents.length, scenario.devices.length);
    assert.equal(env.stateDim, env.numAgents * env.obsDim);
    for (const a of env.possibleAgents) {
      assert.deepEqual(env.actionSpace(a), { kind: 'box', shape: [2], low: -1, high: 1 });
      assert.deepEqual(env.discreteActionSpace(a), { kind: 'discrete', n: env.numServers * 5 });
      assert.equal(env.allowedMask(a).length, env.numServers);
    }
    const a = playEpisode(env, 11, 5);
    const b = playEpisode(new DsMecEnv(scenario), 11, 5);
    assert.deepEqual(a, b, 'same seed, same episode');
    // The same env object reproduces it too, whatever ran before.
    playEpisode(env, 99, 7);
    assert.deepEqual(playEpisode(env, 11, 5), a);
    const c = playEpisode(env, 12, 5);
    assert.notDeepEqual(c, a, 'different seed, different episode');
    assert.throws(() => env.step({}), /episode has ended/);
  });
}

test('fast path and dict API agree, and reset without a seed continues the stream', () => {
  const scenario = resolveScenario('paper-1cs-3es-7ud');
  const e1 = new DsMecEnv(scenario), e2 = new DsMecEnv(scenario);
  e1.reset({ seed: 3 });
  e2.resetRaw(3);
  const rng = new Random(1);
  const acts = new Float32Array(e1.numAgents * 2);
  let done = false;
  while (!done) {
    for (let i = 0; i < acts.length; i++) acts[i] = rng.next() * 2 - 1;
    const dict: Record<string, number[]> = {};
    e1.possibleAgents.forEach((a, i) => { dict[a] = [acts[2 * i], acts[2 * i + 1]]; });
    const r = e1.step(dict);
    done = e2.stepContinuous(acts);
    assert.deepEqual(e1.obs, e2.obs);
    assert.equal(r.rewards.ud1, e2.rewardsBuf[0]);
  }
  e1.reset();
  const first = Float32Array.from(e1.obs);
  e1.reset();
  assert.notDeepEqual(Float32Array.from(e1.obs), first, 'unseeded resets give new episodes');
});
