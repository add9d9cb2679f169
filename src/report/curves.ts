/**
 * Training-curve figures like the paper's: per-episode training avgCost
 * against episodes, the raw curve faint and its EMA (0.994) solid, one colour
 * per algorithm; one figure per scenario and one per ablation set. Built as
 * Vega-Lite specifications; `render.ts` draws them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Variant } from './variants.js';

/** Smoothing weight of the paper's curves. */
export const EMA_WEIGHT = 0.994;
/** Most points drawn per series, so long runs give small figures. */
export const MAX_POINTS = 2000;

/** One figure to draw. */
export interface CurveFigure {
  /** File stem, e.g. `avgcost-paper-1cs-3es-7ud` or `avgcost-paper-1cs-3es-7ud-mitra-vib-lambda3`. */
  readonly name: string;
  readonly title: string;
  readonly scenario: string;
  readonly variants: readonly Variant[];
}

/** Which figures a set of variants gives: per scenario the base variant of each learner, plus one per ablation set. */
export function planFigures(variants: readonly Variant[]): CurveFigure[] {
  const learners = variants.filter((v) => v.kind === 'learner' && v.runs.some((r) => r.curve.length > 0));
  const scenarios = [...new Set(learners.map((v) => v.scenario))];
  const out: CurveFigure[] = [];
  for (const scenario of scenarios) {
    const here = learners.filter((v) => v.scenario === scenario);
    const algos = [...new Set(here.map((v) => v.algo))];
    const ablations = algos.filter((a) => here.filter((v) => v.algo === a).length > 1);
    const base = here.filter((v) => v.isBase);
    const slug = fileSlug(scenario);
    // The scenario figure would repeat an ablation figure's one line when a single algorithm was swept.
    if (base.length > 0 && !(algos.length === 1 && ablations.length === 1)) {
      out.push({ name: `avgcost-${slug}`, title: scenario, scenario, variants: sortForLegend(base) });
    }
    for (const algo of ablations) {
      const set = here.filter((v) => v.algo === algo);
      const keys = set[0]!.varying.join('-');
      out.push({ name: `avgcost-${slug}-${fileSlug(algo)}-${fileSlug(keys)}`, title: `${scenario}: ${algo} ablation over ${set[0]!.varying.join(', ')}`, scenario, variants: sortForLegend(set) });
    }
  }
  return out;
}

/** Mean over seeds of the per-episode training avgCost (episodes some seed has; NaN where none has a value). */
export function meanCurve(variant: Variant): Float64Array {
  const length = Math.max(0, ...variant.runs.map((r) => r.curve.length));
  const sum = new Float64Array(length);
  const count = new Float64Array(length);
  for (const r of variant.runs) {
    for (let i = 0; i < r.curve.length; i++) {
      const v = r.curve[i]!;
      if (Number.isFinite(v)) sum[i] += v, count[i]++;
    }
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = count[i]! > 0 ? sum[i]! / count[i]! : Number.NaN;
  return out;
}

/**
 * Exponential moving average with TensorBoard's debiasing: s_t = w s_{t-1} +
 * (1 - w) x_t from s = 0, divided by 1 - w^(t+1), so the start is not pulled
 * towards zero. Missing values (NaN) keep the previous average.
 */
export function ema(values: ArrayLike<number>, weight = EMA_WEIGHT): Float64Array {
  const out = new Float64Array(values.length);
  let s = 0;
  let steps = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s = weight * s + (1 - weight) * v;
      steps++;
    }
    out[i] = steps > 0 ? s / (1 - weight ** steps) : Number.NaN;
  }
  return out;
}

/** Indices of at most `max` evenly spaced points, always keeping the first and the last. */
export function downsampleIndices(length: number, max = MAX_POINTS): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (length - 1)) / (max - 1)));
  return out;
}

const ALGO_COLORS: Record<string, string> = {
  'mitra-vib': '#34495e', coma: '#2e75b6', maddpg: '#9b7fd4', mappo: '#4cb84c', matd3: '#ffb000',
};
const PALETTE = ['#2e75b6', '#9b7fd4', '#4cb84c', '#ffb000', '#e15759', '#17becf', '#8c564b', '#bcbd22'];
const BASE_COLOR = '#34495e';

/** The figure as a Vega-Lite specification (data inlined, downsampled). */
export function figureSpec(fig: CurveFigure, font: string): TopLevelSpec {
  const ablation = new Set(fig.variants.map((v) => v.algo)).size === 1 && fig.variants.length > 1;
  const colors = fig.variants.map((v, i) => (ablation ? (v.isBase ? BASE_COLOR : PALETTE[i % PALETTE.length]!) : ALGO_COLORS[v.algo] ?? PALETTE[i % PALETTE.length]!));
  const rows: { series: string; episode: number; raw: number | null; ema: number | null }[] = [];
  let maxEpisode = 1;
  for (const v of fig.variants) {
    const raw = meanCurve(v);
    const smooth = ema(raw);
    maxEpisode = Math.max(maxEpisode, raw.length);
    for (const i of downsampleIndices(raw.length)) {
      rows.push({ series: v.display, episode: i + 1, raw: finite(raw[i]!), ema: finite(smooth[i]!) });
    }
  }
  const x = { field: 'episode', type: 'quantitative', title: 'Episode', scale: { domain: [0, maxEpisode], nice: false }, axis: { labelExpr: "datum.value === 0 ? '0' : format(datum.value, '~s')", tickCount: 6 } };
  // Both layers carry the same legend definition (Vega-Lite merges them); symbols are drawn opaque. Headless Vega
  // estimates text at 0.8 em per character, so the label limit is generous to avoid cutting names short.
  const color = {
    field: 'series', type: 'nominal', scale: { domain: fig.variants.map((v) => v.display), range: colors },
    legend: { title: null, orient: 'top-right', symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1, labelLimit: 800 },
  };
  const y = { type: 'quantitative', title: 'AvgCost', scale: { zero: false }, axis: { tickCount: 6 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520,
    height: 380,
    padding: 10,
    background: 'white',
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', opacity: 0.25, strokeWidth: 0.8, clip: true },
        encoding: { x, y: { ...y, field: 'raw' }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: { x, y: { ...y, field: 'ema' }, color },
      },
    ],
    config: {
      font,
      view: { stroke: 'black', strokeWidth: 1 },
      axis: { labelFontSize: 15, titleFontSize: 20, titleFontWeight: 'normal', grid: true, gridColor: '#d0d0d0', domainColor: 'black', tickColor: 'black', labelColor: 'black', titleColor: 'black' },
      legend: { labelFontSize: 15, labelLimit: 800, fillColor: 'rgba(255,255,255,0.85)', strokeColor: '#cccccc', padding: 8, cornerRadius: 3, offset: 8 },
    },
  } as unknown as TopLevelSpec;
}

function sortForLegend(variants: readonly Variant[]): Variant[] {
  // Like the paper: alphabetical, the full model last in an ablation set.
  return [...variants].sort((a, b) => (a.isBase === b.isBase ? a.display.localeCompare(b.display) : a.isBase ? 1 : -1));
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** A file-name-safe slug. */
export function fileSlug(text: string): string {
  return text.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_');
}
