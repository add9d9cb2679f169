/// <reference lib="dom" />
/**
 * View 2: training curves of the selected runs overlaid (uPlot), any metric
 * of metrics.jsonl or eval.jsonl, raw values faint and the EMA-smoothed curve
 * solid, with the paper's smoothing weight 0.994 as default. Rows appended to
 * a run's metrics arrive by server-sent events and extend the curves.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { emaSmooth } from '../shared/ema.js';
import { api } from './api.js';
import { fmt, h } from './dom.js';
import { store } from './store.js';

interface RunSeries {
  episode: number[];
  values: (number | null)[];
}

/** Hex colour with an alpha channel. */
function faint(hex: string, alpha: number): string {
  const a = Math.round(alpha * 255).toString(16).padStart(2, '0');
  return `${hex}${a}`;
}

/** Mount the curves view into `root`. */
export function mountCurves(root: HTMLElement): { shown: () => void } {
  let metric = 'train/avgCost';
  let source: 'metrics' | 'eval' = 'metrics';
  let weight = 0.994;
  const data = new Map<string, RunSeries>();
  const keys = { metrics: new Set<string>(['train/avgCost']), eval: new Set<string>(['eval/avgCost']) };
  let plot: uPlot | null = null;
  let plotKey = '';
  let generation = 0;
  let dirty = false;

  const sourceSel = h('select', { id: 'curve-source', onchange: () => { source = sourceSel.value as typeof source; metric = source === 'eval' ? 'eval/avgCost' : 'train/avgCost'; fillKeys(); reloadAll(); } },
    h('option', { value: 'metrics' }, 'training log (metrics.jsonl)'),
    h('option', { value: 'eval' }, 'evaluations (eval.jsonl)'));
  const keySel = h('select', { id: 'curve-metric', onchange: () => { metric = keySel.value; reloadAll(); } });
  const slider = h('input', { type: 'range', id: 'smoothing', min: 0, max: 0.999, step: 0.001, value: weight, oninput: () => { weight = Number(slider.value); sliderOut.textContent = weight.toFixed(3); draw(); } });
  const sliderOut = h('output', { id: 'smoothing-value' }, weight.toFixed(3));
  const legend = h('ul', { class: 'legend', id: 'curve-legend' });
  const chart = h('div', { class: 'chart', id: 'curve-chart' });
  const note = h('p', { class: 'empty', id: 'curve-note' });
  root.append(
    h('div', { class: 'toolbar' },
      h('label', {}, 'Source ', sourceSel),
      h('label', {}, 'Metric ', keySel),
      h('label', { class: 'smooth' }, 'EMA smoothing ', slider, sliderOut)),
    chart, note, legend,
    h('p', { class: 'muted hint' }, 'Faint: raw values; solid: exponential moving average (debiased; 0.994 as in the paper\'s figures). Drag to zoom, double-click to reset.'),
  );

  function fillKeys(): void {
    const list = [...keys[source]].sort();
    if (!list.includes(metric)) list.unshift(metric);
    keySel.replaceChildren(...list.map((k) => h('option', { value: k, selected: k === metric }, k)));
  }

  async function load(id: string, gen: number): Promise<void> {
    try {
      const m = await api.metrics(id, [metric], source);
      if (gen !== generation) return;
      m.keys.forEach((k) => keys[source].add(k));
      data.set(id, { episode: m.episode, values: m.series[metric] ?? [] });
      fillKeys();
    } catch (err) {
      note.textContent = `${id}: ${(err as Error).message}`;
    }
    draw();
  }

  function reloadAll(): void {
    generation++;
    data.clear();
    for (const id of store.selected) void load(id, generation);
    draw();
  }

  function draw(): void {
    if (root.offsetParent === null) {
      // Hidden: draw when the tab is shown (a hidden chart would measure zero width).
      dirty = true;
      return;
    }
    dirty = false;
    const ids = store.selected.filter((id) => data.has(id));
    note.textContent = store.selected.length === 0 ? 'No run selected: tick runs in the Runs tab to compare them here.' : ids.length === 0 ? 'Loading…' : note.textContent?.includes(':') ? note.textContent : '';
    const tables: uPlot.AlignedData[] = ids.map((id) => {
      const d = data.get(id)!;
      return [d.episode, d.values, emaSmooth(d.episode, d.values, weight)] as unknown as uPlot.AlignedData;
    });
    let points = 0;
    let lastEpisode = -1;
    for (const id of ids) {
      const d = data.get(id)!;
      points += d.values.filter((v) => v !== null).length;
      if (d.episode.length > 0) lastEpisode = Math.max(lastEpisode, d.episode[d.episode.length - 1]!);
    }
    chart.dataset['points'] = String(points);
    chart.dataset['runs'] = String(ids.length);
    chart.dataset['lastEpisode'] = String(lastEpisode);
    chart.dataset['metric'] = metric;
    legend.replaceChildren(...ids.map((id, i) => {
      const sm = tables[i]![2] as (number | null)[];
      const last = [...sm].reverse().find((v) => v !== null) ?? null;
      return h('li', { 'data-run': id }, h('span', { class: 'swatch', style: `background:${store.color(id)}` }), `${id}`, h('span', { class: 'muted' }, ` — last ${fmt(last, 4)} (${data.get(id)!.episode.length} pts)`),
        h('button', { class: 'link', title: 'remove from comparison', onclick: () => store.toggle(id, false) }, '×'));
    }));
    if (ids.length === 0) {
      plot?.destroy();
      plot = null;
      plotKey = '';
      return;
    }
    const joined = tables.length === 1 ? tables[0]! : uPlot.join(tables);
    const key = `${ids.join('|')}#${metric}#${source}`;
    const width = Math.max(320, chart.clientWidth || root.clientWidth - 32);
    if (plot && key === plotKey) {
      plot.setData(joined);
      return;
    }
    plot?.destroy();
    plotKey = key;
    const series: uPlot.Series[] = [{ label: 'episode' }];
    for (const id of ids) {
      const c = store.color(id);
      series.push({ label: `${id} raw`, stroke: faint(c, 0.28), width: 1, spanGaps: true, points: { show: false } });
      series.push({ label: id, stroke: c, width: 2.2, spanGaps: true, points: { show: false } });
    }
    plot = new uPlot({
      width,
      height: 420,
      series,
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [{ label: 'episode' }, { label: metric, size: 70 }],
      cursor: { drag: { x: true, y: false } },
    }, joined, chart);
  }

  // Live rows: extend the loaded series; a reset (truncated log) reloads the run.
  store.onRows((id, rows) => {
    if (!store.selected.includes(id)) return;
    if (rows === null || source !== 'metrics') {
      void load(id, generation);
      return;
    }
    const d = data.get(id);
    if (!d) return;
    let last = d.episode.length > 0 ? d.episode[d.episode.length - 1]! : -1;
    for (const r of rows) {
      const ep = r['episode'];
      if (typeof ep !== 'number' || ep <= last) continue;
      const v = r[metric];
      d.episode.push(ep);
      d.values.push(typeof v === 'number' && Number.isFinite(v) ? v : null);
      last = ep;
      for (const [k, x] of Object.entries(r)) if (typeof x === 'number' && k !== 'episode') keys.metrics.add(k);
    }
    draw();
  });

  let selectedKey = '';
  store.onRuns(() => {
    const k = store.selected.join('|');
    if (k !== selectedKey) {
      selectedKey = k;
      for (const id of [...data.keys()]) if (!store.selected.includes(id)) data.delete(id);
      for (const id of store.selected) if (!data.has(id)) void load(id, generation);
      draw();
    }
  });
  window.addEventListener('resize', () => plot?.setSize({ width: Math.max(320, chart.clientWidth), height: 420 }));
  fillKeys();
  return {
    shown: () => {
      if (dirty || !plot) draw();
      else plot.setSize({ width: Math.max(320, chart.clientWidth), height: 420 });
    },
  };
}
