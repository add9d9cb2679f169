/**
 * A run's metrics.jsonl (or eval.jsonl) as columns for the charts: chosen
 * keys, downsampled to at most `max` points by keeping every stride-th row
 * (and always the last), so a million-episode run draws quickly.
 */
import type { MetricsSeries } from './shared/api-types.js';
import { forEachJsonl } from './jsonl-reader.js';

/** Options of `readMetricsSeries`. */
export interface SeriesOptions {
  keys: readonly string[];
  /** Most points to return (>= 2). */
  max: number;
}

/** Read the series of `keys` from the log at `path` (null: a missing file, read as empty). */
export function readMetricsSeries(path: string | null, id: string, source: MetricsSeries['source'], opts: SeriesOptions): MetricsSeries {
  // First pass counts rows so the stride is known before keeping any.
  let total = 0;
  const keys = new Set<string>();
  if (path !== null) {
    forEachJsonl(path, (row) => {
      total++;
      for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && k !== 'episode') keys.add(k);
    });
  }
  const stride = Math.max(1, Math.ceil(total / Math.max(2, opts.max)));
  const episode: number[] = [];
  const series: Record<string, (number | null)[]> = {};
  for (const k of opts.keys) series[k] = [];
  let i = 0;
  const keep = (row: Record<string, unknown>, index: number): void => {
    const ep = row['episode'];
    episode.push(typeof ep === 'number' ? ep : index);
    for (const k of opts.keys) {
      const v = row[k];
      series[k]!.push(typeof v === 'number' && Number.isFinite(v) ? v : null);
    }
  };
  if (path !== null && total > 0) {
    let last: Record<string, unknown> | null = null;
    forEachJsonl(path, (row) => {
      // The file may have grown since the count: rows past it wait for the live feed.
      if (i < total) {
        if (i % stride === 0) keep(row, i);
        else if (i === total - 1) last = row;
      }
      i++;
    });
    if (last !== null) keep(last, total - 1);
  }
  return { id, source, keys: [...keys].sort(), total, stride, episode, series };
}
