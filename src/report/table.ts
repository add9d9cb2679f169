/**
 * The results table, like the paper's Table 1 plus average cost: per
 * scenario, every algorithm and heuristic, the mean over seeds of the final
 * evaluation's task success rate and average cost with 95% percentile
 * bootstrap intervals over seeds and the interquartile mean, and the
 * paper-compatible metrics beside ours; as Markdown, CSV and LaTeX.
 */
import { deriveSeed } from '../core/random.js';
import { mean } from '../core/stats.js';
import { bootstrapCi, interquartileMean } from './bootstrap.js';
import type { Variant } from './variants.js';

/** A metric over seeds. */
export interface SeedStat {
  readonly mean: number;
  readonly ci95: [number, number];
  readonly iqm: number;
  readonly n: number;
}

/** One row of the table. */
export interface TableRow {
  readonly scenario: string;
  readonly id: string;
  readonly display: string;
  readonly kind: 'learner' | 'heuristic';
  readonly seeds: readonly number[];
  /** Training episodes per run (0 for heuristics), and final-evaluation episodes per run. */
  readonly episodes: number;
  readonly evalEpisodes: number;
  readonly taskSuccessRate: SeedStat;
  readonly avgCost: SeedStat;
  readonly paperSuccessRate: SeedStat;
  readonly paperAvgCost: SeedStat;
}

/** Bootstrap resamples per interval. */
export const RESAMPLES = 10000;

const METRICS = ['taskSuccessRate', 'avgCost', 'paperSuccessRate', 'paperAvgCost'] as const;

/** Rows of the table, one per variant, in the variants' order. */
export function tableRows(variants: readonly Variant[]): TableRow[] {
  return variants.map((v) => {
    const stats = {} as Record<(typeof METRICS)[number], SeedStat>;
    for (const key of METRICS) {
      const values = v.runs.map((r) => r.final[key]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      // Seeded by what the interval is of, so a row's interval does not depend on the other rows.
      const seed = deriveSeed(0x7ab1e, `${v.scenario}|${v.id}|${key}`, 0);
      stats[key] = { mean: mean(values), ci95: bootstrapCi(values, { resamples: RESAMPLES, seed }), iqm: interquartileMean(values), n: values.length };
    }
    return {
      scenario: v.scenario, id: v.id, display: v.display, kind: v.kind,
      seeds: v.runs.map((r) => r.seed),
      episodes: Math.max(...v.runs.map((r) => r.episodes)),
      evalEpisodes: Math.max(...v.runs.map((r) => r.finalEvalEpisodes)),
      ...stats,
    };
  });
}

const pct = (x: number, digits = 2): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : 'n/a');
const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Rows of one scenario with the best success (highest) and cost (lowest) marked. */
function best(rows: readonly TableRow[]): { success: number; cost: number } {
  return {
    success: Math.max(...rows.map((r) => r.taskSuccessRate.mean).filter(Number.isFinite)),
    cost: Math.min(...rows.map((r) => r.avgCost.mean).filter(Number.isFinite)),
  };
}

function byScenario(rows: readonly TableRow[]): Map<string, TableRow[]> {
  const m = new Map<string, TableRow[]>();
  for (const r of rows) m.set(r.scenario, [...(m.get(r.scenario) ?? []), r]);
  return m;
}

/** The table as Markdown, one section per scenario; the best success rate and cost are bold. */
export function tableMarkdown(rows: readonly TableRow[]): string {
  const out: string[] = [];
  for (const [scenario, list] of byScenario(rows)) {
    const b = best(list);
    out.push(`### ${scenario}`, '');
    out.push('| Algorithm | Seeds | Episodes | Success rate, mean [95% CI] | Success IQM | Avg cost, mean [95% CI] | Cost IQM | Paper success rate | Paper avg cost |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of list) {
      const s = r.taskSuccessRate, c = r.avgCost;
      const sText = `${pct(s.mean)} [${pct(s.ci95[0], 1)}, ${pct(s.ci95[1], 1)}]`;
      const cText = `${num(c.mean)} [${num(c.ci95[0])}, ${num(c.ci95[1])}]`;
      out.push(`| ${r.display} | ${r.seeds.length} | ${r.kind === 'heuristic' ? '—' : r.episodes} | ${s.mean === b.success ? `**${sText}**` : sText} | ${pct(s.iqm)} | ${c.mean === b.cost ? `**${cText}**` : cText} | ${num(c.iqm)} | ${pct(r.paperSuccessRate.mean)} | ${num(r.paperAvgCost.mean)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The table as CSV (full precision, one row per scenario and algorithm). */
export function tableCsv(rows: readonly TableRow[]): string {
  const cols = ['scenario', 'algorithm', 'display', 'kind', 'seeds', 'episodes', 'evalEpisodes'];
  for (const m of METRICS) cols.push(`${m}_mean`, `${m}_ci95_low`, `${m}_ci95_high`, `${m}_iqm`);
  const lines = [cols.join(',')];
  for (const r of rows) {
    const cells: (string | number)[] = [r.scenario, r.id, r.display, r.kind, r.seeds.join(' '), r.episodes, r.evalEpisodes];
    for (const m of METRICS) cells.push(r[m].mean, r[m].ci95[0], r[m].ci95[1], r[m].iqm);
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The table as a LaTeX (booktabs) tabular per scenario; the best values are bold. */
export function tableLatex(rows: readonly TableRow[]): string {
  const out = ['% Generated by `mitra report`; needs \\usepackage{booktabs}.'];
  for (const [scenario, list] of byScenario(rows)) {
    const b = best(list);
    out.push(`% ${scenario}`, '\\begin{tabular}{lrrrrrr}', '\\toprule');
    out.push(`\\multicolumn{7}{l}{${tex(scenario)}} \\\\`, '\\midrule');
    out.push('Algorithm & Success rate & 95\\% CI & Avg cost & 95\\% CI & Paper success & Paper cost \\\\', '\\midrule');
    for (const r of list) {
      const s = r.taskSuccessRate, c = r.avgCost;
      const sText = tex(pct(s.mean));
      const cText = num(c.mean);
      out.push([
        tex(r.display),
        s.mean === b.success ? `\\textbf{${sText}}` : sText,
        `[${tex(pct(s.ci95[0], 1))}, ${tex(pct(s.ci95[1], 1))}]`,
        c.mean === b.cost ? `\\textbf{${cText}}` : cText,
        `[${num(c.ci95[0])}, ${num(c.ci95[1])}]`,
        tex(pct(r.paperSuccessRate.mean)),
        num(r.paperAvgCost.mean),
      ].join(' & ') + ' \\\\');
    }
    out.push('\\bottomrule', '\\end{tabular}', '');
  }
  return out.join('\n');
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function tex(s: string): string {
  return s
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([%&#_{}$])/g, '\\$1')
    .replace(/−/g, '$-$')
    .replace(/λ3/g, '$\\lambda_3$')
    .replace(/—/g, '--');
}
