/**
 * Runs a sweep plan: every run an ordinary run folder under the sweep folder,
 * executed in parallel by worker threads (each calling `train`), restartable:
 * a finished run is skipped, an unfinished one resumes from its checkpoint,
 * so a sweep stopped and started again does each run exactly once.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError, errorLine } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { runPaths, toJson } from './run-folder.js';
import type { PlannedRun, ResolvedRun, SweepPlan } from './sweep-plan.js';
import type { WorkerJob, WorkerMessage } from './sweep-worker.js';

/** What happened to one run in this invocation. */
export interface RunOutcome {
  readonly id: string;
  /** skipped: already finished (or diverged) before; resumed: continued an unfinished run; started: new. */
  readonly action: 'skipped' | 'started' | 'resumed';
  readonly status: 'finished' | 'stopped' | 'diverged' | 'failed';
  /** Episodes the run has completed in total. */
  readonly episodes: number;
  readonly message?: string;
}

/** Overall progress of a sweep. */
export interface SweepProgress {
  readonly runsDone: number;
  readonly runsTotal: number;
  /** Training episodes done in this invocation, and those it has to do. */
  readonly episodesDone: number;
  readonly episodesTotal: number;
  readonly running: number;
}

/** Options of `runSweep`. */
export interface SweepOptions {
  readonly plan: SweepPlan;
  readonly dir: string;
  /** Worker threads (default: the number of cores). */
  readonly workers?: number;
  /** When aborted, running runs checkpoint and stop, and no new run starts. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SweepProgress) => void;
  readonly onRunDone?: (o: RunOutcome) => void;
  readonly warn?: (message: string) => void;
}

/** How a sweep invocation ended. */
export interface SweepResult {
  readonly outcomes: readonly RunOutcome[];
  /** True when stopped before every run finished. */
  readonly stopped: boolean;
}

/** The sweep folder's record of its plan. */
export const SWEEP_FILE = 'sweep.json';

interface Pending {
  readonly run: ResolvedRun;
  readonly dir: string;
  readonly action: 'started' | 'resumed';
  /** Episode the run starts from (its latest checkpoint). */
  readonly from: number;
}

/** Run (or continue) every run of `plan` under `dir`. */
export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const { plan, dir } = opts;
  const outcomes: RunOutcome[] = [];
  const pending: Pending[] = [];
  // Check every existing folder first, so a mismatch fails before any run starts.
  for (const run of plan.runs) {
    const runDir = join(dir, run.id);
    const state = inspectRun(run, runDir);
    if (state.kind === 'done') outcomes.push({ id: run.id, action: 'skipped', status: state.status, episodes: state.episodes });
    else pending.push({ run, dir: runDir, action: state.kind === 'partial' ? 'resumed' : 'started', from: state.from });
  }
  mkdirSync(dir, { recursive: true });
  writeSweepFile(dir, plan);
  for (const o of outcomes) opts.onRunDone?.(o);

  const runsTotal = plan.runs.length;
  const episodesTotal = pending.reduce((s, p) => s + (p.run.kind === 'learner' ? p.run.resolved.episodes - p.from : 0), 0);
  const reached = new Map<string, number>();
  let episodesDone = 0;
  const stopBuffer = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stopBuffer);
  const stopped = (): boolean => Atomics.load(stopFlag, 0) !== 0;
  const onAbort = (): void => { Atomics.store(stopFlag, 0, 1); };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort);
  const queue = [...pending];
  let running = 0;
  const report = (): void => opts.onProgress?.({ runsDone: outcomes.length, runsTotal, episodesDone, episodesTotal, running });
  const advance = (job: Pending, episode: number): void => {
    const before = reached.get(job.run.id) ?? job.from;
    if (episode > before) {
      episodesDone += episode - before;
      reached.set(job.run.id, episode);
    }
  };

  try {
    const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), queue.length));
    await Promise.all(Array.from({ length: queue.length > 0 ? workers : 0 }, () => workerLoop()));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  report();
  return { outcomes, stopped: outcomes.length < runsTotal || outcomes.some((o) => o.status === 'stopped') };

  /** One worker thread taking runs off the queue until it is empty or the sweep is stopped. */
  async function workerLoop(): Promise<void> {
    let worker: Worker | null = null;
    try {
      while (queue.length > 0 && !stopped()) {
        const job = queue.shift()!;
        worker ??= new Worker(new URL('./sweep-worker.js', import.meta.url), { workerData: { stop: stopBuffer } });
        running++;
        report();
        const outcome = await runOn(worker, job).catch((err: unknown): RunOutcome => {
          worker = null; // a crashed worker is replaced for the next run
          return { id: job.run.id, action: job.action, status: 'failed', episodes: reached.get(job.run.id) ?? job.from, message: errorLine(err) };
        });
        running--;
        if (outcome.status === 'finished' && job.run.kind === 'learner') advance(job, job.run.resolved.episodes);
        outcomes.push(outcome);
        opts.onRunDone?.(outcome);
        report();
      }
    } finally {
      if (worker) await (worker as Worker).terminate();
    }
  }

  function runOn(worker: Worker, job: Pending): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (msg: WorkerMessage): void => {
        if (msg.type === 'progress') {
          advance(job, msg.episode);
          report();
        } else if (msg.type === 'warn') {
          opts.warn?.(`${job.run.id}: ${msg.message}`);
        } else {
          cleanup();
          resolve({ id: job.run.id, action: job.action, status: msg.status, episodes: msg.episodes, ...(msg.message ? { message: msg.message } : {}) });
        }
      };
      const onError = (err: Error): void => { cleanup(); reject(err); };
      const onExit = (code: number): void => { cleanup(); reject(new Error(`worker exited with code ${code}`)); };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const message: WorkerJob = { dir: job.dir, run: job.run.kind === 'learner' ? { kind: 'learner', config: job.run.resolved } : { kind: 'heuristic', config: job.run.resolved } } as WorkerJob;
      worker.postMessage(message);
    });
  }
}

type RunState = { kind: 'done'; status: 'finished' | 'diverged'; episodes: number } | { kind: 'partial'; from: number } | { kind: 'new'; from: 0 };

/** Where a planned run's folder stands; a folder holding a different configuration is a UserError. */
function inspectRun(run: ResolvedRun, dir: string): RunState {
  const paths = runPaths(dir);
  if (!existsSync(paths.config)) return { kind: 'new', from: 0 };
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(paths.config, 'utf8'));
  } catch {
    throw new UserError(`${dir}: config.json is unreadable; remove that folder to rerun the run`);
  }
  const diff = firstDifference(JSON.parse(toJson(run.resolved)), stored, '');
  if (diff !== null) throw new UserError(`${dir}: holds a run with a different configuration (${diff}); use another --out or remove that folder`);
  try {
    const summary = JSON.parse(readFileSync(paths.summary, 'utf8')) as { status?: unknown; episodes?: unknown };
    if (summary.status === 'finished' || summary.status === 'diverged') {
      return { kind: 'done', status: summary.status, episodes: typeof summary.episodes === 'number' ? summary.episodes : 0 };
    }
  } catch {
    // No summary yet: the run was interrupted before its end.
  }
  let from = 0;
  try {
    const m = /^ep-(\d+)$/.exec(readFileSync(join(paths.checkpoints, 'latest'), 'utf8').trim());
    if (m) from = Number(m[1]);
  } catch {
    from = 0;
  }
  return { kind: 'partial', from };
}

/** Record the plan in `sweep.json`, keeping runs of earlier plans that are still in the folder. */
function writeSweepFile(dir: string, plan: SweepPlan): void {
  const path = join(dir, SWEEP_FILE);
  const runs = new Map<string, PlannedRun>();
  try {
    const old = JSON.parse(readFileSync(path, 'utf8')) as { runs?: PlannedRun[] };
    for (const r of old.runs ?? []) runs.set(r.id, r);
  } catch {
    // First invocation (or an unreadable record, which is rewritten).
  }
  for (const { resolved: _resolved, ...r } of plan.runs) runs.set(r.id, r);
  const record = { version: 1, experiment: plan.experiment, seeds: plan.seeds, episodes: plan.episodes, runs: [...runs.values()] };
  writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (a === b) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      const d = firstDifference(ra[k], rb[k], path ? `${path}.${k}` : k);
      if (d !== null) return d;
    }
    return null;
  }
  return `${path || '(root)'}: planned ${JSON.stringify(a)}, found ${JSON.stringify(b)}`;
}

