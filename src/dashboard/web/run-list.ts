/// <reference lib="dom" />
/** View 1: the run list, filterable and sortable, kept live by the store. */
import type { RunInfo } from '../shared/api-types.js';
import { fmt, h } from './dom.js';
import { store } from './store.js';

type SortKey = 'id' | 'algo' | 'scenario' | 'seed' | 'status' | 'episodesDone' | 'finalSuccess' | 'finalCost' | 'updatedAt';

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'id', label: 'Run' },
  { key: 'algo', label: 'Algorithm' },
  { key: 'scenario', label: 'Scenario' },
  { key: 'seed', label: 'Seed', num: true },
  { key: 'status', label: 'Status' },
  { key: 'episodesDone', label: 'Episodes', num: true },
  { key: 'finalSuccess', label: 'Final success', num: true },
  { key: 'finalCost', label: 'Final cost', num: true },
  { key: 'updatedAt', label: 'Updated', num: true },
];

/** Whether a run matches every space-separated term of the filter (substring of any shown field). */
function matches(r: RunInfo, filter: string): boolean {
  const hay = `${r.id} ${r.algo} ${r.scenario} seed${r.seed ?? ''} ${r.status}`.toLowerCase();
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((t) => hay.includes(t));
}

function ago(ms: number): string {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

/** Mount the run list into `root`. */
export function mountRunList(root: HTMLElement, openCurves: () => void): void {
  let filter = '';
  let sort: SortKey = 'id';
  let desc = false;
  const input = h('input', { type: 'search', id: 'run-filter', placeholder: 'filter: algorithm, scenario, status, seed… (all terms must match)', oninput: () => ((filter = input.value), render()) });
  const count = h('span', { class: 'muted', id: 'run-count' });
  const compare = h('button', { id: 'compare-btn', onclick: openCurves }, 'Compare selected →');
  const body = h('tbody');
  const head = h('tr', {}, h('th', {}, ''), ...COLUMNS.map((c) => h('th', { class: c.num ? 'num sortable' : 'sortable', onclick: () => { desc = sort === c.key ? !desc : c.key === 'updatedAt'; sort = c.key; render(); } }, c.label)));
  const empty = h('p', { class: 'empty', id: 'runs-empty' });
  root.append(h('div', { class: 'toolbar' }, input, count, compare), h('table', { class: 'runs', id: 'run-table' }, h('thead', {}, head), body), empty);

  function render(): void {
    const rows = store.runs.filter((r) => matches(r, filter));
    rows.sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      const c = x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
      return desc ? -c : c;
    });
    count.textContent = `${rows.length} of ${store.runs.length} runs in ${store.runsDir}`;
    head.querySelectorAll('th.sortable').forEach((th, i) => th.classList.toggle('sorted', COLUMNS[i]!.key === sort));
    body.replaceChildren(
      ...rows.map((r) => {
        const checked = store.selected.includes(r.id);
        const box = h('input', { type: 'checkbox', checked, title: 'compare', onchange: () => store.toggle(r.id, box.checked) });
        const episodes = r.episodesTotal !== null ? `${r.episodesDone} / ${r.episodesTotal}` : String(r.episodesDone);
        return h(
          'tr',
          { 'data-run': r.id, class: checked ? 'selected' : '' },
          h('td', {}, box, checked ? h('span', { class: 'swatch', style: `background:${store.color(r.id)}` }) : null),
          h('td', { class: 'id' }, r.id),
          h('td', {}, r.algo),
          h('td', {}, r.scenario),
          h('td', { class: 'num' }, r.seed === null ? '—' : String(r.seed)),
          h('td', {}, h('span', { class: `status ${r.status}` }, r.status)),
          h('td', { class: 'num', 'data-col': 'episodes' }, episodes),
          h('td', { class: 'num' }, r.finalSuccess === null ? '—' : `${(100 * r.finalSuccess).toFixed(1)} %`),
          h('td', { class: 'num' }, fmt(r.finalCost)),
          h('td', { class: 'num muted' }, ago(r.updatedAt)),
        );
      }),
    );
    empty.textContent = store.runs.length === 0 ? `No runs yet in ${store.runsDir}. Start one with "mitra train"; it will appear here.` : rows.length === 0 ? 'No run matches the filter.' : '';
  }
  store.onRuns(render);
  render();
}
