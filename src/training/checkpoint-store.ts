/**
 * Checkpoints of a run: `checkpoints/ep-<episode>/` holding `weights.safetensors`
 * (every array of the algorithm: networks, optimiser moments, buffers) and
 * `state.json` (counters, random streams, loop position), plus
 * `checkpoints/latest` naming the newest. A checkpoint folder is written under
 * a temporary name and renamed when complete, so a run killed at any moment
 * leaves only complete checkpoints behind.
 */
import { existsSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { encodeSafetensors, loadSafetensors } from '../nn/safetensors.js';
import type { AlgorithmState, Json } from '../algorithms/algorithm.js';

/** Where the training loop stood when a checkpoint was taken. */
export interface LoopState {
  /** The next episode to run. */
  readonly nextEpisode: number;
  /** Complete lines of metrics.jsonl and eval.jsonl at that point. */
  readonly metricsLines: number;
  readonly evalLines: number;
  /** Wall time spent so far (for summary.json only; never feeds back into training). */
  readonly wallSeconds: number;
}

/** A checkpoint read back. */
export interface Checkpoint {
  readonly dir: string;
  readonly loop: LoopState;
  readonly algorithm: AlgorithmState;
}

const KEEP = 2;

function episodeDirName(episode: number): string {
  return `ep-${String(episode).padStart(9, '0')}`;
}

/**
 * Write a checkpoint for the loop position `loop`, keeping the newest `keep`
 * (two while training, so a damaged newest one still leaves one to resume from).
 */
export function saveRunCheckpoint(runDir: string, loop: LoopState, algorithm: AlgorithmState, keep = KEEP): string {
  const root = join(runDir, 'checkpoints');
  mkdirSync(root, { recursive: true });
  const name = episodeDirName(loop.nextEpisode);
  const tmp = join(root, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeFileAtomic(join(tmp, 'weights.safetensors'), encodeSafetensors(algorithm.arrays, { format: 'mitra-vib-checkpoint' }));
  writeFileAtomic(join(tmp, 'state.json'), `${JSON.stringify({ loop, algorithm: algorithm.meta } satisfies { loop: LoopState; algorithm: { [k: string]: Json } })}\n`);
  syncDir(tmp);
  const final = join(root, name);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  syncDir(root);
  writeFileAtomic(join(root, 'latest'), `${name}\n`);
  for (const old of listCheckpoints(root).slice(0, -keep)) rmSync(join(root, old), { recursive: true, force: true });
  return final;
}

/** The newest complete checkpoint of a run, or null when it has none. Corrupt ones are skipped with a warning callback. */
export function loadLatestCheckpoint(runDir: string, warn: (message: string) => void = () => {}): Checkpoint | null {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return null;
  for (const name of checkpointOrder(root)) {
    const dir = join(root, name);
    try {
      return readCheckpoint(dir);
    } catch (err) {
      warn(`skipping checkpoint ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return null;
}

/** Remove checkpoint folders a killed writer left half-written (only the run's own trainer may call this). */
export function removeTempCheckpoints(runDir: string): void {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) if (entry.startsWith('.tmp-')) rmSync(join(root, entry), { recursive: true, force: true });
}

/** Read one checkpoint folder; a missing or malformed file is a one-line UserError. */
export function readCheckpoint(dir: string): Checkpoint {
  const statePath = join(dir, 'state.json');
  let state: { loop?: LoopState; algorithm?: { [k: string]: Json } };
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as typeof state;
  } catch {
    throw new UserError(`${statePath}: missing or not valid JSON`);
  }
  const loop = state.loop;
  if (!loop || !Number.isInteger(loop.nextEpisode) || !Number.isInteger(loop.metricsLines) || !Number.isInteger(loop.evalLines)) {
    throw new UserError(`${statePath}: no valid loop state`);
  }
  const weights = loadSafetensors(join(dir, 'weights.safetensors'));
  const arrays: AlgorithmState['arrays'] = {};
  for (const [name, a] of weights.tensors) (arrays as Record<string, typeof a>)[name] = a;
  return { dir, loop, algorithm: { arrays, meta: state.algorithm ?? {} } };
}

/**
 * Checkpoint folder names of `root` in the order to try them: the one
 * `latest` names first, then the others newest first. Reads only.
 */
export function checkpointOrder(root: string): string[] {
  let names: string[];
  try {
    names = listCheckpoints(root);
  } catch {
    return [];
  }
  let latest = '';
  try {
    latest = readFileSync(join(root, 'latest'), 'utf8').trim();
  } catch {
    // No pointer yet: newest by name.
  }
  const order = names.reverse();
  return order.includes(latest) ? [latest, ...order.filter((n) => n !== latest)] : order;
}

function listCheckpoints(root: string): string[] {
  return readdirSync(root).filter((n) => /^ep-\d{9}$/.test(n)).sort();
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Not every file system lets a directory be synced; the rename is still atomic.
  }
}
