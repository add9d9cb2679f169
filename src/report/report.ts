/**
 * `mitra report`: reads the run folders below a directory and writes the
 * training-curve figures (SVG and PNG), the results table (Markdown, CSV,
 * LaTeX), results.json for marl-eval, and index.md tying them together with
 * the budget, seeds, wall time and the runs left out.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { join, relative } from 'node:path';
import { UserError } from '../core/errors.js';
import { figureSpec, planFigures, type CurveFigure } from './curves.js';
import { marlEvalResults } from './marl-eval.js';
import { FIGURE_FONT, renderSvg, svgToPng } from './render.js';
import { findRunDirs, loadRuns, type RunRecord, type SkippedRun } from './runs.js';
import { RESAMPLES, tableCsv, tableLatex, tableMarkdown, tableRows } from './table.js';
import { groupVariants, type Variant } from './variants.js';

/** Options of `writeReport`. */
export interface ReportOptions {
  /** Folder searched (recursively) for run folders. */
  readonly dir: string;
  /** Where the report goes (default `<dir>/report`). */
  readonly out?: string;
  /** One line per skipped run or figure problem. */
  readonly warn?: (message: string) => void;
  /** Skip PNG rendering (SVG only). */
  readonly noPng?: boolean;
  /** Progress over the report's steps (runs read, then figures drawn). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a report wrote. */
export interface ReportResult {
  readonly out: string;
  readonly runs: number;
  readonly skipped: readonly SkippedRun[];
  readonly files: readonly string[];
}

/** Write the report; a folder with no runs, or none usable, is a one-line UserError. */
export async function writeReport(opts: ReportOptions): Promise<ReportResult> {
  const { dir } = opts;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const runCount = findRunDirs(dir).length;
  if (runCount === 0) throw new UserError(`${dir}: no run folders below it (a run folder holds config.json); run mitra train or mitra sweep first`);
  // Figures are not known before the runs are read: count a nominal 1 per run for them until then.
  const { runs, skipped } = loadRuns(dir, (i, n) => opts.onProgress?.(i, 2 * n));
  for (const s of skipped) opts.warn?.(`skipping ${s.rel}: ${s.reason}`);
  const { kept, duplicates } = dropDuplicates(groupVariants(runs));
  for (const s of duplicates) opts.warn?.(`skipping ${s.rel}: ${s.reason}`);
  const allSkipped = [...skipped, ...duplicates];
  if (kept.length === 0) throw new UserError(`${dir}: no usable runs (${allSkipped.length} skipped, reasons above)`);

  const out = opts.out ?? join(dir, 'report');
  mkdirSync(join(out, 'figures'), { recursive: true });
  const files: string[] = [];
  const write = (name: string, data: string | Buffer): void => {
    writeFileAtomic(join(out, name), data);
    files.push(name);
  };

  const figures = planFigures(kept);
  opts.onProgress?.(runCount, runCount + figures.length);
  const drawn: { fig: CurveFigure; svg: string; png: string | null }[] = [];
  const warned = new Set<string>();
  for (const fig of figures) {
    const svg = await renderSvg(figureSpec(fig, FIGURE_FONT));
    write(`figures/${fig.name}.svg`, svg);
    let png: string | null = null;
    if (!opts.noPng) {
      const r = await svgToPng(svg);
      if (r.warning && !warned.has(r.warning)) warned.add(r.warning), opts.warn?.(r.warning);
      if (r.png) write((png = `figures/${fig.name}.png`), r.png);
    }
    drawn.push({ fig, svg: `figures/${fig.name}.svg`, png });
    opts.onProgress?.(runCount + drawn.length, runCount + figures.length);
  }

  const rows = tableRows(kept);
  write('table.md', `${tableMarkdown(rows)}\n`);
  write('table.csv', tableCsv(rows));
  write('table.tex', tableLatex(rows));
  write('results.json', `${JSON.stringify(marlEvalResults(kept), null, 1)}\n`);
  const usedRuns = kept.flatMap((v) => v.runs);
  write('index.md', indexMarkdown({ dir, out, variants: kept, runs: usedRuns, skipped: allSkipped, drawn, table: tableMarkdown(rows), warnings: [...warned] }));
  return { out, runs: usedRuns.length, skipped: allSkipped, files };
}

/** Two runs of one variant with the same seed would count twice: keep the first. */
function dropDuplicates(variants: Variant[]): { kept: Variant[]; duplicates: SkippedRun[] } {
  const duplicates: SkippedRun[] = [];
  const kept = variants.map((v) => {
    const seen = new Map<number, RunRecord>();
    const runs: RunRecord[] = [];
    for (const r of v.runs) {
      const first = seen.get(r.seed);
      if (first) duplicates.push({ rel: r.rel, reason: `same algorithm, settings, scenario and seed as ${first.rel}` });
      else seen.set(r.seed, r), runs.push(r);
    }
    return { ...v, runs };
  });
  return { kept, duplicates };
}

function indexMarkdown(ctx: {
  dir: string; out: string; variants: readonly Variant[]; runs: readonly RunRecord[]; skipped: readonly SkippedRun[];
  drawn: readonly { fig: CurveFigure; svg: string; png: string | null }[]; table: string; warnings: readonly string[];
}): string {
  const { variants, runs } = ctx;
  const learners = runs.filter((r) => r.kind === 'learner');
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  const wall = runs.reduce((s, r) => s + r.wallSeconds, 0);
  const experiment = readExperiment(ctx.dir);
  const lines: string[] = [];
  lines.push(`# Report on \`${ctx.dir}\``, '');
  lines.push(`Made by \`mitra report\` from ${runs.length} run folders${ctx.skipped.length ? ` (${ctx.skipped.length} skipped, listed below)` : ''}${experiment ? `, sweep experiment \`${experiment}\`` : ''}.`, '');
  lines.push('## Budget', '');
  const budgets = new Map<string, Set<string>>();
  for (const v of variants) {
    if (v.kind !== 'learner') continue;
    const text = [...new Set(v.runs.map((r) => `${r.episodes} episodes (${r.evalEvery !== null && r.evalEvery < r.episodes ? `evaluation every ${r.evalEvery}` : 'one evaluation at the end'} on ${r.evalEpisodes ?? '?'} episodes)`))].join('; ');
    budgets.set(text, (budgets.get(text) ?? new Set()).add(v.display));
  }
  for (const [text, names] of budgets) lines.push(`- Training per run: ${text}: ${[...names].join(', ')}.`);
  const finals = [...new Set(runs.map((r) => r.finalEvalEpisodes))];
  lines.push(`- Final evaluation: ${finals.join(' / ')} episodes per run on the fixed evaluation seeds, the same episodes for every algorithm and heuristic.`);
  lines.push(`- Seeds: ${seeds.join(', ')} (${learners.length} learning runs, ${runs.length - learners.length} heuristic runs).`);
  lines.push(`- Total wall time: ${formatDuration(wall)} summed over runs${learners.length ? `; ${formatDuration(Math.max(0, ...learners.map((r) => r.wallSeconds)))} for the longest run` : ''}.`);
  lines.push('- The paper trains about 1.3–1.6 million episodes per run; compare curves and tables only at equal budgets.', '');
  lines.push('## Training curves', '');
  if (ctx.drawn.length === 0) lines.push('No learning runs with training logs: no curves.', '');
  lines.push('Per-episode training average cost (mean over seeds), raw faint and its exponential moving average (weight 0.994) solid.', '');
  for (const d of ctx.drawn) {
    lines.push(`### ${d.fig.title}`, '');
    lines.push(d.png ? `![${d.fig.title}](${d.png})` : `![${d.fig.title}](${d.svg})`, '');
    lines.push(`[SVG](${d.svg})${d.png ? ` · [PNG](${d.png})` : ''}`, '');
  }
  lines.push('## Success rate and average cost', '');
  lines.push(`Final evaluation of each run; mean over seeds with 95% percentile bootstrap intervals over seeds (${RESAMPLES.toLocaleString('en-US')} resamples) and the interquartile mean; the paper's metric definitions beside ours. Best mean in bold. Also as [CSV](table.csv) and [LaTeX](table.tex); per-evaluation results for marl-eval in [results.json](results.json) (environment \`ds-mec\`, step_count = training episodes; heuristics repeat their final values at every step).`, '');
  lines.push(ctx.table, '');
  lines.push('## Skipped runs', '');
  if (ctx.skipped.length === 0) lines.push('None.');
  for (const s of ctx.skipped) lines.push(`- \`${s.rel}\`: ${s.reason}`);
  lines.push('');
  if (ctx.warnings.length) {
    lines.push('## Warnings', '');
    for (const w of ctx.warnings) lines.push(`- ${w}`);
    lines.push('');
  }
  lines.push(`Run folders are relative to \`${relative(ctx.out, ctx.dir) || '.'}\` from this report.`, '');
  return lines.join('\n');
}

function readExperiment(dir: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { experiment?: unknown };
    return typeof raw.experiment === 'string' ? raw.experiment : null;
  } catch {
    return null;
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}
