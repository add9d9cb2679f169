/**
 * Reads run folders (config.json, summary.json, metrics.jsonl, eval.jsonl)
 * for the report, and nothing else. A run with a missing, unfinished or
 * truncated file is returned as skipped with a one-line reason instead of
 * failing the report.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanLines } from '../training/jsonl.js';

/** One finished run, as the report needs it. */
export interface RunRecord {
  /** Folder, and its path relative to the report's root. */
  readonly dir: string;
  readonly rel: string;
  readonly kind: 'learner' | 'heuristic';
  readonly algo: string;
  /** Scenario name as given (preset or file). */
  readonly scenario: string;
  readonly seed: number;
  readonly namedConfig: string | null;
  readonly hyper: Readonly<Record<string, unknown>>;
  /** Training episodes (0 for heuristics), and the evaluation settings. */
  readonly episodes: number;
  readonly evalEvery: number | null;
  readonly evalEpisodes: number | null;
  readonly finalEvalEpisodes: number;
  readonly wallSeconds: number;
  /** Mean of each final-evaluation metric (summary.json `final.metrics.<key>.mean`). */
  readonly final: Readonly<Record<string, number>>;
  /** Per-episode training avgCost, index = episode (learners; empty for heuristics). */
  readonly curve: Float64Array;
  /** Periodic evaluations: training episodes done and each `eval/` metric without its prefix. */
  readonly evals: readonly { readonly episode: number; readonly metrics: Readonly<Record<string, number>> }[];
}

/** A run folder left out of the report, and why. */
export interface SkippedRun {
  readonly rel: string;
  readonly reason: string;
}

/** Every folder at or below `root` that holds a config.json (run folders are not searched further). */
export function findRunDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (existsSync(join(dir, 'config.json'))) {
      out.push(dir);
      return;
    }
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) walk(p);
      } catch {
        // A file vanished while scanning: ignore it.
      }
    }
  };
  walk(root);
  return out;
}

/** Load every run below `root`; unusable ones come back in `skipped`. */
export function loadRuns(root: string, onRun?: (done: number, total: number) => void): { runs: RunRecord[]; skipped: SkippedRun[] } {
  const runs: RunRecord[] = [];
  const skipped: SkippedRun[] = [];
  const dirs = findRunDirs(root);
  for (const [i, dir] of dirs.entries()) {
    onRun?.(i, dirs.length);
    const rel = relative(root, dir) || '.';
    const r = loadRun(dir, rel);
    if ('reason' in r) skipped.push(r);
    else runs.push(r);
  }
  return { runs, skipped };
}

class Skip extends Error {}

function loadRun(dir: string, rel: string): RunRecord | SkippedRun {
  try {
    return readRun(dir, rel);
  } catch (err) {
    if (err instanceof Skip) return { rel, reason: err.message };
    throw err;
  }
}

function readRun(dir: string, rel: string): RunRecord {
  const config = readJsonFile(join(dir, 'config.json'));
  const algo = config['algo'];
  const scenario = config['scenarioName'];
  const seed = config['seed'];
  if (typeof algo !== 'string' || typeof scenario !== 'string' || typeof seed !== 'number') throw new Skip('config.json is not a mitra run configuration (no algo, scenarioName or seed)');
  const kind = config['kind'] === 'heuristic' ? 'heuristic' : 'learner';
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(summaryPath)) throw new Skip('no summary.json: the run has not ended (rerun its sweep or `mitra train --resume` to finish it)');
  const summary = readJsonFile(summaryPath);
  const episodes = typeof config['episodes'] === 'number' ? config['episodes'] : 0;
  const status = summary['status'];
  if (status === 'diverged') throw new Skip(`diverged: ${String(summary['message'] ?? 'no message')}`);
  if (status !== 'finished') throw new Skip(`not finished (status ${String(status)}, ${String(summary['episodes'])} of ${episodes} episodes); rerun its sweep to finish it`);
  const finalMetrics = (summary['final'] as { metrics?: Record<string, { mean?: unknown }> } | undefined)?.metrics;
  const final: Record<string, number> = {};
  for (const [k, v] of Object.entries(finalMetrics ?? {})) if (typeof v?.mean === 'number') final[k] = v.mean;
  if (final['avgCost'] === undefined || final['taskSuccessRate'] === undefined) throw new Skip('summary.json has no final avgCost / taskSuccessRate');
  let curve: Float64Array = new Float64Array(0);
  let evals: RunRecord['evals'] = [];
  if (kind === 'learner') {
    curve = readCurve(join(dir, 'metrics.jsonl'), episodes);
    evals = readEvals(join(dir, 'eval.jsonl'));
  }
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const finalEpisodes = (summary['final'] as { episodes?: unknown }).episodes;
  return {
    dir, rel, kind, algo, scenario, seed,
    namedConfig: typeof config['namedConfig'] === 'string' ? config['namedConfig'] : null,
    hyper: (config['hyper'] && typeof config['hyper'] === 'object' ? config['hyper'] : {}) as Record<string, unknown>,
    episodes,
    evalEvery: num(config['evalEvery']),
    evalEpisodes: num(config['evalEpisodes']),
    finalEvalEpisodes: num(finalEpisodes) ?? num(config['finalEvalEpisodes']) ?? 0,
    wallSeconds: num(summary['wallSeconds']) ?? 0,
    final, curve, evals,
  };
}

function readJsonFile(path: string): Record<string, unknown> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!existsSync(path)) throw new Skip(`no ${name}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Skip(`${name} is truncated or not valid JSON`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Skip(`${name} is not a JSON object`);
  return raw as Record<string, unknown>;
}

/** Per-episode `train/avgCost`; the file must hold exactly episodes 0..episodes-1, complete. */
function readCurve(path: string, episodes: number): Float64Array {
  if (!existsSync(path)) throw new Skip('no metrics.jsonl');
  const curve = new Float64Array(episodes).fill(Number.NaN);
  let count = 0;
  const { torn } = scanLines(path, (line) => {
    if (line.trim() === '') return;
    let rec: { episode?: unknown; 'train/avgCost'?: unknown };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      throw new Skip(`metrics.jsonl has a corrupt line ${count + 1}`);
    }
    if (rec.episode !== count) throw new Skip(`metrics.jsonl line ${count + 1} is episode ${String(rec.episode)}, expected ${count} (duplicated or missing episodes)`);
    if (count < episodes) curve[count] = typeof rec['train/avgCost'] === 'number' ? rec['train/avgCost'] : Number.NaN;
    count++;
  });
  if (torn) throw new Skip(`metrics.jsonl is truncated (a partial line after ${count} episodes)`);
  if (count !== episodes) throw new Skip(`metrics.jsonl is truncated: ${count} of ${episodes} episodes`);
  return curve;
}

function readEvals(path: string): RunRecord['evals'] {
  if (!existsSync(path)) throw new Skip('no eval.jsonl');
  const out: { episode: number; metrics: Record<string, number> }[] = [];
  const { torn } = scanLines(path, (line) => {
    if (line.trim() === '') return;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Skip(`eval.jsonl has a corrupt line ${out.length + 1}`);
    }
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(rec)) if (k.startsWith('eval/') && typeof v === 'number') metrics[k.slice(5)] = v;
    if (typeof rec['episode'] !== 'number') throw new Skip(`eval.jsonl line ${out.length + 1} has no episode`);
    out.push({ episode: rec['episode'], metrics });
  });
  if (torn) throw new Skip(`eval.jsonl is truncated (a partial line after ${out.length} evaluations)`);
  return out;
}
