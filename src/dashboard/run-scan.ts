/**
 * The run list: every folder under the runs folder holding a config.json
 * (searched a few levels deep, symbolic links not followed), with its status
 * and progress read from the files a run writes. Reads only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo, RunStatus } from './shared/api-types.js';
import { readLastRow } from './jsonl-reader.js';
import { realRoot, safeFile } from './run-path.js';

const MAX_DEPTH = 4;
const MAX_RUNS = 5000;
const SUMMARY_STATUSES: readonly RunStatus[] = ['finished', 'stopped', 'diverged'];

/** A parsed JSON file, or null when missing, unreadable or half-written. */
export function readJsonFile(path: string | null): Record<string, unknown> | null {
  if (path === null) return null;
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function mtime(path: string | null): number | null {
  if (path === null) return null;
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

function finalMean(summary: Record<string, unknown> | null, key: string): number | null {
  const final = summary?.['final'] as { metrics?: Record<string, { mean?: unknown }> } | undefined;
  return num(final?.metrics?.[key]?.mean);
}

/** A trainer flushes metrics.jsonl every two seconds; a log silent this long belongs to a killed run. */
export const STALL_MS = 120_000;

/**
 * Status of a run: `running` while config.json exists and there is no
 * summary.json, or the summary is older than metrics.jsonl (a resumed run);
 * `stalled` instead when metrics.jsonl has not changed for STALL_MS (a run
 * killed before it could write its summary); otherwise the summary's own status.
 */
export function runStatus(summary: Record<string, unknown> | null, summaryMtime: number | null, metricsMtime: number | null, now = Date.now()): RunStatus {
  const live = (): RunStatus => (metricsMtime !== null && now - metricsMtime > STALL_MS ? 'stalled' : 'running');
  if (summary === null || summaryMtime === null) return live();
  if (metricsMtime !== null && summaryMtime < metricsMtime) return live();
  const s = summary['status'];
  return SUMMARY_STATUSES.includes(s as RunStatus) ? (s as RunStatus) : 'unknown';
}

/** Describe the run in folder `dir` (id `id`) under the real runs folder `base`; null when it is not a run. */
export function describeRun(base: string, dir: string, id: string): RunInfo | null {
  const configPath = safeFile(base, dir, 'config.json');
  const config = readJsonFile(configPath);
  if (config === null) return null;
  const metricsPath = safeFile(base, dir, 'metrics.jsonl');
  const summaryPath = safeFile(base, dir, 'summary.json');
  const summary = readJsonFile(summaryPath);
  const metricsMtime = mtime(metricsPath);
  const summaryMtime = summary === null ? null : mtime(summaryPath);
  const last = metricsPath === null ? null : readLastRow(metricsPath).row;
  const lastEpisode = num(last?.['episode']);
  return {
    id,
    algo: str(config['algo'], '?'),
    scenario: str(config['scenarioName'], '?'),
    seed: num(config['seed']),
    status: runStatus(summary, summaryMtime, metricsMtime),
    episodesDone: lastEpisode === null ? 0 : lastEpisode + 1,
    episodesTotal: num(config['episodes']),
    finalSuccess: finalMean(summary, 'taskSuccessRate'),
    finalCost: finalMean(summary, 'avgCost'),
    lastCost: num(last?.['train/avgCost']),
    updatedAt: Math.max(mtime(configPath) ?? 0, metricsMtime ?? 0, summaryMtime ?? 0),
  };
}

/** Every run under `root`, sorted by id; an absent runs folder has none. */
export function scanRuns(root: string): RunInfo[] {
  const base = realRoot(root);
  if (base === null) return [];
  const out: RunInfo[] = [];
  const walk = (dir: string, id: string, depth: number): void => {
    if (out.length >= MAX_RUNS) return;
    if (id !== '') {
      const info = safeFile(base, dir, 'config.json') === null ? null : describeRun(base, dir, id);
      if (info) {
        out.push(info);
        return; // a run's own subfolders (checkpoints/) are not runs
      }
    }
    if (depth >= MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // removed while scanning
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue; // symbolic links are not directories here
      walk(join(dir, e.name), id === '' ? e.name : `${id}/${e.name}`, depth + 1);
    }
  };
  walk(base, '', 0);
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
