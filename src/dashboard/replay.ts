/**
 * Replays of evaluation episodes, slot by slot, for the scenario view: a
 * run's deterministic policy from its newest complete checkpoint, or a
 * heuristic on a preset. Computed in memory; nothing is written anywhere (the
 * checkpoint is found read-only, unlike the training loop's loader, which
 * tidies up temporary folders).
 */
import { Random } from '../core/random.js';
import { getAlgorithm } from '../algorithms/registry.js';
import { DsMecEnv } from '../env/env.js';
import type { Scenario } from '../env/scenario.js';
import { loadScenarioFile } from '../env/scenario.js';
import { makeHeuristic, HEURISTIC_NAMES } from '../heuristics/index.js';
import { checkpointOrder, readCheckpoint, type Checkpoint } from '../training/checkpoint-store.js';
import { parseStoredConfig } from '../training/config.js';
import { ActionStepper, evalSeed } from '../training/evaluate.js';
import { createAlgorithm } from '../training/train.js';
import type { Replay, ReplayEpisode, ReplaySlot } from './shared/api-types.js';
import { HttpError } from './http-error.js';
import { safeFile } from './run-path.js';
import { readJsonFile } from './run-scan.js';
import { presetPath, toTopology } from './topology.js';

/** The newest complete checkpoint of the run folder `dir`, found without touching the folder. */
export function findLatestCheckpoint(base: string, dir: string): Checkpoint | null {
  const root = safeFile(base, dir, 'checkpoints');
  if (root === null) return null;
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const name of checkpointOrder(root)) {
      const ck = safeFile(base, root, name);
      if (ck === null) continue;
      try {
        return readCheckpoint(ck);
      } catch {
        // Deleted or replaced while reading (a training run keeps only the newest two): try the next.
      }
    }
  }
  return null;
}

function copySlot(env: DsMecEnv, backlogStart: number[], energyLeft: number[]): ReplaySlot {
  const r = env.lastSlot();
  const M = env.numAgents;
  const budgets = env.scenario.devices.map((d) => d.energyBudget);
  for (let i = 0; i < M; i++) energyLeft[i] = energyLeft[i]! - r.energy[i]!;
  return {
    slot: r.slot,
    reward: r.reward,
    work: Array.from(r.work),
    deadline: Array.from(r.deadline),
    sensitive: Array.from(r.sensitive, Boolean),
    server: Array.from(r.server),
    rho: Array.from(r.rho),
    encrypted: Array.from(r.encrypted, Boolean),
    crossDomain: Array.from(r.crossDomain, Boolean),
    violation: Array.from(r.violation, Boolean),
    T: Array.from(r.T),
    cost: Array.from(r.cost),
    success: Array.from(r.success, Boolean),
    energyLeft: energyLeft.map((e, i) => (Number.isFinite(budgets[i]!) ? Math.max(0, e) : null)),
    backlogStart: [...backlogStart],
    backlog: Array.from(r.backlog),
  };
}

/** Play `episodes` evaluation episodes with `act` choosing each slot's actions. */
function play(env: DsMecEnv, episodes: number, act: () => boolean): ReplayEpisode[] {
  const out: ReplayEpisode[] = [];
  for (let e = 0; e < episodes; e++) {
    env.resetRaw(evalSeed(e));
    const energyLeft = env.scenario.devices.map((d) => d.energyBudget);
    const slots: ReplaySlot[] = [];
    let done = false;
    while (!done) {
      const backlogStart = Array.from({ length: env.numServers }, (_, k) => env.backlog(k));
      done = act();
      slots.push(copySlot(env, backlogStart, energyLeft));
    }
    out.push({ index: e, slots, metrics: { ...env.episodeMetrics() } });
  }
  return out;
}

/** Replay a run's deterministic policy on evaluation episodes 0..episodes-1 (409 when it has no checkpoint yet). */
export function replayRun(base: string, dir: string, id: string, episodes: number): Replay {
  const raw = readJsonFile(safeFile(base, dir, 'config.json'));
  if (raw === null) throw new HttpError(404, `run '${id}': config.json is missing or unreadable`);
  const ck = findLatestCheckpoint(base, dir);
  if (ck === null) throw new HttpError(409, `run '${id}' has no complete checkpoint yet; replay needs one`);
  let config;
  try {
    config = parseStoredConfig(raw, `${id}/config.json`);
  } catch (err) {
    throw new HttpError(422, err instanceof Error ? err.message : String(err));
  }
  const { algorithm, env } = createAlgorithm(config);
  try {
    algorithm.setState(ck.algorithm);
  } catch (err) {
    throw new HttpError(422, `run '${id}': checkpoint does not fit its config: ${err instanceof Error ? err.message : String(err)}`);
  }
  const stepper = new ActionStepper(env, getAlgorithm(config.algo).actionEncoding);
  const eps = play(env, episodes, () => {
    algorithm.act(env, false, stepper.actions);
    return stepper.step();
  });
  const name = ck.dir.split(/[\\/]/).pop() ?? null;
  return { run: id, policy: config.algo, checkpoint: name, topology: toTopology(config.scenario, config.scenarioName), episodes: eps };
}

/** Replay a heuristic (local, random, nearest, greedy) on a preset's evaluation episodes. */
export function replayHeuristic(preset: string, policy: string, episodes: number): Replay {
  if (!(HEURISTIC_NAMES as readonly string[]).includes(policy)) throw new HttpError(400, `unknown policy '${policy.slice(0, 40)}': use ${HEURISTIC_NAMES.join(', ')}`);
  const scenario: Scenario = loadScenarioFile(presetPath(preset));
  const env = new DsMecEnv(scenario);
  const heuristic = makeHeuristic(policy, new Random(0).fork(`policy:${policy}`));
  const server = new Int32Array(env.numAgents);
  const rho = new Float32Array(env.numAgents);
  const eps = play(env, episodes, () => {
    heuristic.act(env, server, rho);
    return env.stepRaw(server, rho);
  });
  return { run: null, policy, checkpoint: null, topology: toTopology(scenario, preset), episodes: eps };
}
