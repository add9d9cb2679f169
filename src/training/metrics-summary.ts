import type { EpisodeMetrics } from '../env/metrics.js';
import { summarize } from '../core/stats.js';

/** A metric summarised over episodes: mean and 95% interval, plus the total for counts. */
export interface MetricSummary {
  mean: number;
  ci95: [number, number];
  total?: number;
}

/** Metrics reported by `simulate`, `eval` and summary.json, in print order; counts also get a total. */
export const REPORTED_METRICS: readonly { key: keyof EpisodeMetrics; count: boolean }[] = [
  { key: 'avgCost', count: false },
  { key: 'taskSuccessRate', count: false },
  { key: 'paperAvgCost', count: false },
  { key: 'paperSuccessRate', count: false },
  { key: 'securityViolations', count: true },
  { key: 'encryptedOffloads', count: true },
  { key: 'crossDomainOffloads', count: true },
  { key: 'energyUsed', count: false },
];

/** Each reported metric as { mean, ci95 } over episodes (counts with total). */
export function metricsSummary(episodes: readonly EpisodeMetrics[]): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  for (const { key, count } of REPORTED_METRICS) {
    const s = summarize(episodes.map((e) => e[key]));
    out[key] = count ? { mean: s.mean, ci95: s.ci95, total: s.total } : { mean: s.mean, ci95: s.ci95 };
  }
  return out;
}

/** Mean of each episode metric (for per-evaluation log lines). */
export function metricsMeans(episodes: readonly EpisodeMetrics[], prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (episodes.length === 0) return out;
  for (const key of Object.keys(episodes[0]!) as (keyof EpisodeMetrics)[]) {
    let s = 0;
    for (const e of episodes) s += e[key];
    out[`${prefix}${key}`] = s / episodes.length;
  }
  return out;
}
