/**
 * Environment throughput: slots per second for each preset with random
 * continuous actions through the zero-allocation `stepContinuous` path.
 */
import { Random } from '../src/core/random.js';
import { DsMecEnv } from '../src/env/env.js';
import { listPresets, resolveScenario } from '../src/env/presets.js';

/** Time one preset for about `seconds`; returns slots per second. */
function slotsPerSecond(name: string, seconds: number): number {
  const env = new DsMecEnv(resolveScenario(name), { seed: 1 });
  const rng = new Random(2);
  // Pre-drawn actions, so the timing measures the environment, not the generator.
  const pool = new Float32Array(env.numAgents * 2 * 4096);
  for (let i = 0; i < pool.length; i++) pool[i] = rng.next() * 2 - 1;
  const stride = env.numAgents * 2;
  const views = Array.from({ length: 4096 }, (_, j) => pool.subarray(j * stride, (j + 1) * stride));
  let j = 0;
  const run = (slots: number): void => {
    env.resetRaw();
    for (let s = 0; s < slots; s++) {
      if (env.stepContinuous(views[j++ & 4095])) env.resetRaw();
    }
  };
  run(50_000); // warm-up: let the JIT compile the step path
  let slots = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    run(20_000);
    slots += 20_000;
    elapsed = performance.now() - t0;
  }
  return slots / (elapsed / 1000);
}

/** `env.<preset>.slotsPerSecond` for every preset. */
export function benchEnv(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of listPresets()) out[`env.${p.name}.slotsPerSecond`] = slotsPerSecond(p.name, 1);
  return out;
}
