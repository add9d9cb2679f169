/**
 * The training loop: episodes of acting with exploration and learning,
 * per-episode metrics, periodic evaluation of the deterministic policy,
 * checkpoints, exact resume, and a guard against divergence.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { Random, deriveSeed } from '../core/random.js';
import type { Algorithm, EnvDims } from '../algorithms/algorithm.js';
import { getAlgorithm } from '../algorithms/registry.js';
import { DsMecEnv } from '../env/env.js';
import type { Scenario } from '../env/scenario.js';
import { loadLatestCheckpoint, removeTempCheckpoints, saveRunCheckpoint } from './checkpoint-store.js';
import type { RunConfig } from './config.js';
import { ActionStepper, evaluatePolicy } from './evaluate.js';
import { JsonlWriter, truncateJsonl } from './jsonl.js';
import { metricsMeans, metricsSummary } from './metrics-summary.js';
import { runPaths, writeRunConfig, writeSummary } from './run-folder.js';

/** Progress of a run, reported about five times a second. */
export interface TrainProgress {
  readonly episode: number;
  readonly total: number;
  /** Mean training avgCost and taskSuccessRate over the last 100 episodes. */
  readonly recentCost: number;
  readonly recentSuccess: number;
}

/** Options of `train`. */
export interface TrainOptions {
  readonly config: RunConfig;
  readonly dir: string;
  /** Continue from the folder's last complete checkpoint (or from scratch when it has none). */
  readonly resume?: boolean;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Asked after every episode with the number finished; when true the run checkpoints and stops. */
  readonly shouldStop?: (finished: number) => boolean;
  /** Warnings (e.g. a skipped corrupt checkpoint). */
  readonly warn?: (message: string) => void;
}

/** How a run ended. */
export interface TrainResult {
  readonly status: 'finished' | 'stopped' | 'diverged';
  /** Episodes completed in total. */
  readonly episodes: number;
  readonly wallSeconds: number;
  /** Why a run diverged, naming the loss and episode. */
  readonly message?: string;
  /** The last complete checkpoint folder, if any. */
  readonly checkpoint?: string;
}

/** Dimensions of a scenario as algorithms see them. */
export function envDims(env: DsMecEnv): EnvDims {
  return { numAgents: env.numAgents, numServers: env.numServers, obsDim: env.obsDim, stateDim: env.stateDim, discreteActions: env.numServers * 5 };
}

/** Build the algorithm of a run configuration with its seeded stream. */
export function createAlgorithm(config: RunConfig, scenario: Scenario = config.scenario): { algorithm: Algorithm; env: DsMecEnv } {
  const spec = getAlgorithm(config.algo);
  const env = new DsMecEnv(scenario);
  const algorithm = spec.create({ dims: envDims(env), rng: new Random(config.seed).fork('algo') }, config.hyper);
  return { algorithm, env };
}

const RECENT = 100;
const YIELD_MS = 200;
const FLUSH_MS = 2000;

/** Train (or resume) the run in `dir`; resolves when it finishes, is stopped, or diverges. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config, dir } = opts;
  const paths = runPaths(dir);
  const spec = getAlgorithm(config.algo);
  const { algorithm, env } = createAlgorithm(config);
  const evalEnv = new DsMecEnv(config.scenario);
  mkdirSync(dir, { recursive: true });

  let start = 0;
  let wallBefore = 0;
  let metricsLines = 0;
  let evalLines = 0;
  let checkpoint: string | undefined;
  if (opts.resume) removeTempCheckpoints(dir);
  const ck = opts.resume ? loadLatestCheckpoint(dir, opts.warn) : null;
  if (ck) {
    algorithm.setState(ck.algorithm);
    start = ck.loop.nextEpisode;
    wallBefore = ck.loop.wallSeconds;
    metricsLines = ck.loop.metricsLines;
    evalLines = ck.loop.evalLines;
    checkpoint = ck.dir;
  }
  if (!opts.resume || !existsSync(paths.config)) writeRunConfig(dir, config);
  // Logs hold exactly what the checkpoint has seen: anything after it is replayed.
  truncateJsonl(paths.metrics, metricsLines);
  truncateJsonl(paths.eval, evalLines);
  const metricsLog = new JsonlWriter(paths.metrics, metricsLines);
  const evalLog = new JsonlWriter(paths.eval, evalLines);

  const stepper = new ActionStepper(env, spec.actionEncoding);
  const prevObs = new Float32Array(env.obs.length);
  const recentCost = new Float64Array(RECENT);
  const recentSuccess = new Float64Array(RECENT);
  let recentCount = 0;
  const startedAt = performance.now();
  let lastYield = startedAt;
  let lastFlush = startedAt;
  const wall = (): number => wallBefore + (performance.now() - startedAt) / 1000;
  const snapshot = (nextEpisode: number, keep?: number): void => {
    metricsLog.flush();
    evalLog.flush();
    checkpoint = saveRunCheckpoint(dir, { nextEpisode, metricsLines: metricsLog.lines, evalLines: evalLog.lines, wallSeconds: wall() }, algorithm.getState(), keep);
  };
  const evaluate = (episode: number): void => {
    const m = evaluatePolicy(algorithm, spec.actionEncoding, evalEnv, config.evalEpisodes);
    evalLog.write({ episode, ...metricsMeans(m, 'eval/') });
  };

  let status: TrainResult['status'] = 'finished';
  let message: string | undefined;
  let ep = start;
  for (; ep < config.episodes; ep++) {
    algorithm.beginEpisode(ep);
    env.resetRaw(deriveSeed(config.seed, 'env', ep));
    let episodeReturn = 0;
    let done = false;
    while (!done) {
      algorithm.act(env, true, stepper.actions);
      prevObs.set(env.obs);
      done = stepper.step();
      const reward = env.rewardsBuf[0]!;
      episodeReturn += reward;
      if (algorithm.observe(prevObs, stepper.actions, reward, env.obs, done)) {
        const bad = nonFiniteLoss(algorithm);
        if (bad) {
          status = 'diverged';
          message = `training diverged at episode ${ep}: ${bad[0]} = ${bad[1]}`;
          break;
        }
      }
    }
    if (status === 'diverged') break;
    algorithm.endEpisode(ep, episodeReturn);
    const m = env.episodeMetrics();
    metricsLog.write({ episode: ep, ...metricsMeans([m], 'train/'), 'train/return': episodeReturn, ...algorithm.metrics() });
    recentCost[recentCount % RECENT] = m.avgCost;
    recentSuccess[recentCount % RECENT] = m.taskSuccessRate;
    recentCount++;
    const finished = ep + 1;
    if (finished % config.evalEvery === 0 || finished === config.episodes) evaluate(finished);
    if (finished % config.checkpointEvery === 0 && finished < config.episodes) snapshot(finished);
    const now = performance.now();
    if (now - lastYield >= YIELD_MS) {
      lastYield = now;
      // Logs reach the disk every couple of seconds so that live readers (the dashboard) see progress;
      // a resume truncates them back to what its checkpoint recorded.
      if (now - lastFlush >= FLUSH_MS) {
        lastFlush = now;
        metricsLog.flush();
        evalLog.flush();
      }
      const n = Math.min(recentCount, RECENT);
      opts.onProgress?.({ episode: finished, total: config.episodes, recentCost: mean(recentCost, n), recentSuccess: mean(recentSuccess, n) });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (finished < config.episodes && opts.shouldStop?.(finished)) {
      ep++;
      status = 'stopped';
      break;
    }
  }

  // A finished run keeps only its final checkpoint (they hold the replay buffers and are large).
  if (status !== 'diverged') snapshot(ep, status === 'finished' ? 1 : undefined);
  else {
    metricsLog.flush();
    evalLog.flush();
  }
  const wallSeconds = wall();
  const summary: Record<string, unknown> = {
    status,
    algo: config.algo,
    scenario: config.scenarioName,
    seed: config.seed,
    episodes: ep,
    budget: { episodes: config.episodes, evalEvery: config.evalEvery, evalEpisodes: config.evalEpisodes, finalEvalEpisodes: config.finalEvalEpisodes },
    wallSeconds,
    episodesPerSecond: wallSeconds > 0 ? ep / wallSeconds : 0,
  };
  if (message) summary['message'] = message;
  if (status === 'finished') {
    const final = evaluatePolicy(algorithm, spec.actionEncoding, evalEnv, config.finalEvalEpisodes);
    summary['final'] = { episodes: config.finalEvalEpisodes, metrics: metricsSummary(final) };
  }
  writeSummary(dir, summary);
  return { status, episodes: ep, wallSeconds, ...(message ? { message } : {}), ...(checkpoint ? { checkpoint } : {}) };
}

function nonFiniteLoss(algorithm: Algorithm): [string, number] | null {
  for (const [k, v] of Object.entries(algorithm.metrics())) if (k.startsWith('loss/') && !Number.isFinite(v)) return [k, v];
  return null;
}

function mean(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  return n > 0 ? s / n : Number.NaN;
}
