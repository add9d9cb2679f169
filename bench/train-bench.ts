/**
 * Training throughput of MITRA-VIB on paper-1cs-3es-7ud:
 * - train.actSlotsPerSecond: acting (seven actors, OU noise) + stepping +
 *   storing transitions, no gradient updates;
 * - train.updateMs: one full update at batch 1024 with the CMI term active
 *   (critic, actors, VIB encoder, MINE on D+, CLUB on D-).
 */
import { Random } from '../src/core/random.js';
import { resolveRunConfig } from '../src/training/config.js';
import { createAlgorithm } from '../src/training/train.js';
import { ActionStepper } from '../src/training/evaluate.js';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** MITRA-VIB acting throughput and update latency. */
export function benchTrain(): Record<string, number> {
  const out: Record<string, number> = {};
  {
    const config = resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-3es-7ud', set: ['learningStarts=1000000000'] });
    const { algorithm, env } = createAlgorithm(config);
    const stepper = new ActionStepper(env, 'continuous');
    const prev = new Float32Array(env.obs.length);
    let slots = 0;
    let episode = 0;
    const run = (ms: number): number => {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < ms) {
        algorithm.beginEpisode(episode);
        env.resetRaw(episode);
        let done = false;
        let ret = 0;
        while (!done) {
          algorithm.act(env, true, stepper.actions);
          prev.set(env.obs);
          done = stepper.step();
          ret += env.rewardsBuf[0]!;
          algorithm.observe(prev, stepper.actions, env.rewardsBuf[0]!, env.obs, done);
          n++;
        }
        algorithm.endEpisode(episode, ret);
        episode++;
      }
      return n / ((performance.now() - t0) / 1000);
    };
    run(300);
    slots = run(1500);
    out['train.actSlotsPerSecond'] = slots;
  }
  {
    // A buffer and D+ / D- filled with random transitions; one update per observe().
    const config = resolveRunConfig({ algo: 'mitra-vib', scenario: 'paper-1cs-3es-7ud', set: ['updateEvery=1', 'learningStarts=1201', 'minGood=500'] });
    const { algorithm, env } = createAlgorithm(config);
    const rng = new Random(7);
    const obs = new Float32Array(env.obs.length);
    const next = new Float32Array(env.obs.length);
    const act = new Float32Array(env.numAgents * 2);
    const fill = (): void => {
      for (let i = 0; i < obs.length; i++) { obs[i] = rng.next(); next[i] = rng.next(); }
      for (let i = 0; i < act.length; i++) act[i] = rng.uniform(-1, 1);
    };
    // Episodes of 4 transitions with rising returns: after the first, most go to D+.
    for (let e = 0; e < 300; e++) {
      algorithm.beginEpisode(e);
      for (let t = 0; t < 4; t++) {
        fill();
        algorithm.observe(obs, act, rng.next(), next, t === 3);
      }
      algorithm.endEpisode(e, e % 3 === 0 ? -e : e);
    }
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      fill();
      const t0 = performance.now();
      algorithm.observe(obs, act, rng.next(), next, false);
      times.push(performance.now() - t0);
    }
    const m = algorithm.metrics();
    if (m['charts/cmiActive'] !== 1) throw new Error('benchTrain: the CMI term did not switch on; the update figure would be MADDPG-only');
    out['train.updateMs'] = median(times.slice(5));
  }
  return out;
}
