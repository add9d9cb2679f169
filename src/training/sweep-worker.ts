/**
 * A sweep worker thread: runs the jobs the main thread posts, one at a time,
 * each `train` (resuming from the folder's checkpoint) or a heuristic, and
 * reports progress and the outcome. The shared stop flag is read after every
 * episode, so a stop makes the run checkpoint and end within one episode.
 */
import { errorLine } from '../core/errors.js';
import { parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from './config.js';
import { runHeuristic, type HeuristicRunConfig } from './heuristic-run.js';
import { train } from './train.js';

/** A job posted to a worker. */
export interface WorkerJob {
  readonly dir: string;
  readonly run: { readonly kind: 'learner'; readonly config: RunConfig } | { readonly kind: 'heuristic'; readonly config: HeuristicRunConfig };
}

/** A message from a worker. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly episode: number }
  | { readonly type: 'warn'; readonly message: string }
  | { readonly type: 'done'; readonly status: 'finished' | 'stopped' | 'diverged' | 'failed'; readonly episodes: number; readonly message?: string };

const port = parentPort;
if (port) {
  const stop = new Int32Array((workerData as { stop: SharedArrayBuffer }).stop);
  const post = (m: WorkerMessage): void => port.postMessage(m);
  port.on('message', (job: WorkerJob) => {
    void (async () => {
      try {
        if (job.run.kind === 'heuristic') {
          runHeuristic(job.run.config, job.dir);
          post({ type: 'done', status: 'finished', episodes: 0 });
          return;
        }
        const result = await train({
          config: job.run.config,
          dir: job.dir,
          resume: true,
          onProgress: (p) => post({ type: 'progress', episode: p.episode }),
          shouldStop: () => Atomics.load(stop, 0) !== 0,
          warn: (message) => post({ type: 'warn', message }),
        });
        post({ type: 'done', status: result.status, episodes: result.episodes, ...(result.message ? { message: result.message } : {}) });
      } catch (err) {
        post({ type: 'done', status: 'failed', episodes: 0, message: errorLine(err) });
      }
    })();
  });
}
