import type { EpisodeMetrics } from '../env/metrics.js';
import { REPORTED_METRICS, metricsSummary } from '../training/metrics-summary.js';

/** A plain-text table of the reported metrics over episodes. */
export function formatMetricsTable(episodes: readonly EpisodeMetrics[]): string {
  const summary = metricsSummary(episodes);
  const rows = [['metric', 'mean', '95% CI', 'total']];
  for (const { key } of REPORTED_METRICS) {
    const s = summary[key]!;
    rows.push([key, fmt(s.mean), `[${fmt(s.ci95[0])}, ${fmt(s.ci95[1])}]`, s.total === undefined ? '' : String(s.total)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(1) : x.toFixed(4);
}
