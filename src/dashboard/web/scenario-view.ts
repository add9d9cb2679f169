/// <reference lib="dom" />
/**
 * View 3: the scenario drawing with a slot-by-slot replay of evaluation
 * episodes, either of a run's trained policy (its newest checkpoint, on the
 * fixed evaluation seeds) or of a heuristic on a preset.
 */
import type { Replay, ReplaySlot, Topology } from '../shared/api-types.js';
import { api } from './api.js';
import { fmt, h } from './dom.js';
import { ARROW, ScenarioSvg } from './scenario-svg.js';
import { store } from './store.js';

const HEURISTICS = ['greedy', 'nearest', 'random', 'local'];

function swatch(kind: 'arrow' | 'box' | 'lock', color: string, dashed = true): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', '34');
  svg.setAttribute('height', '14');
  svg.innerHTML = kind === 'arrow'
    ? `<line x1="2" y1="7" x2="26" y2="7" stroke="${color}" stroke-width="3" ${dashed ? 'stroke-dasharray="6 4"' : ''}/><path d="M24 2 L32 7 L24 12 z" fill="${color}"/>`
    : `<rect x="8" y="1" width="14" height="12" rx="2" fill="${color}"/>`;
  return svg;
}

/** Mount the scenario view into `root`. */
export function mountScenario(root: HTMLElement): { shown: () => void } {
  let replay: Replay | null = null;
  let drawing: ScenarioSvg | null = null;
  let episode = 0;
  let slot = 0;
  let timer: number | null = null;
  let started = false;

  const sourceSel = h('select', { id: 'replay-source' });
  const policySel = h('select', { id: 'replay-policy' }, ...HEURISTICS.map((p) => h('option', { value: p }, p)));
  const episodesIn = h('input', { type: 'number', id: 'replay-episodes', min: 1, max: 20, value: 3 });
  const loadBtn = h('button', { id: 'replay-load', onclick: () => void load() }, 'Load replay');
  const status = h('span', { class: 'muted', id: 'replay-status' });
  const episodeSel = h('select', { id: 'replay-episode', onchange: () => { episode = Number(episodeSel.value); slot = 0; render(); } });
  const back = h('button', { id: 'replay-back', title: 'previous slot', onclick: () => step(-1) }, '◀');
  const play = h('button', { id: 'replay-play', title: 'play / pause', onclick: () => toggle() }, '▶ play');
  const fwd = h('button', { id: 'replay-step', title: 'next slot', onclick: () => step(1) }, '▶|');
  const slider = h('input', { type: 'range', id: 'replay-slot', min: 0, max: 0, value: 0, oninput: () => { slot = Number(slider.value); render(); } });
  const slotOut = h('span', { id: 'replay-slot-label', class: 'slot-label' });
  const speedSel = h('select', { id: 'replay-speed' }, ...[['1200', 'slow'], ['700', 'normal'], ['300', 'fast']].map(([v, l]) => h('option', { value: v!, selected: v === '700' }, l!)));
  const stage = h('div', { class: 'stage', id: 'scenario-stage' });
  const info = h('div', { class: 'slot-info', id: 'slot-info' });
  const legend = h('div', { class: 'scenario-legend' },
    h('span', {}, swatch('arrow', ARROW.within), ' within-domain offload (clear)'),
    h('span', {}, swatch('arrow', ARROW.encrypted), ' encrypted cross-domain offload'),
    h('span', {}, swatch('arrow', ARROW.violation), ' security violation (penalised)'),
    h('span', {}, swatch('box', '#ef5350'), ' normal task'),
    h('span', {}, swatch('box', '#2fb25a'), ' sensitive task (locked, stays in domain)'),
    h('span', {}, '◔ grey pie: share run locally'),
    h('span', {}, 'blue bars: server queue backlog'),
    h('span', { class: 'miss' }, 'red ✗ / red outline: deadline missed'));
  root.append(
    h('div', { class: 'toolbar' }, h('label', {}, 'Show ', sourceSel), h('label', { id: 'policy-label' }, 'Heuristic ', policySel), h('label', {}, 'Episodes ', episodesIn), loadBtn, status),
    h('div', { class: 'toolbar player' }, h('label', {}, 'Episode ', episodeSel), back, play, fwd, slider, slotOut, h('label', {}, 'Speed ', speedSel)),
    h('div', { class: 'scenario-main' }, stage, info),
    legend,
  );

  function fillSources(presets: { name: string; description: string }[]): void {
    const current = sourceSel.value;
    const runs = h('optgroup', { label: 'Runs (trained policy, newest checkpoint)' }, ...store.runs.map((r) => h('option', { value: `run:${r.id}` }, `${r.id} — ${r.algo} on ${r.scenario}`)));
    const pre = h('optgroup', { label: 'Presets (heuristic policy)' }, ...presets.map((p) => h('option', { value: `preset:${p.name}`, title: p.description }, p.name)));
    sourceSel.replaceChildren(runs, pre);
    if (current) sourceSel.value = current;
    policySel.disabled = !sourceSel.value.startsWith('preset:');
  }
  sourceSel.addEventListener('change', () => {
    policySel.disabled = !sourceSel.value.startsWith('preset:');
    void load();
  });
  policySel.addEventListener('change', () => void load());

  function setTopology(t: Topology): void {
    drawing = new ScenarioSvg(t);
    stage.replaceChildren(drawing.svg);
    stage.dataset['domains'] = String(t.domains.length);
    stage.dataset['servers'] = String(t.servers.length);
    stage.dataset['devices'] = String(t.devices.length);
  }

  async function load(): Promise<void> {
    stop();
    const v = sourceSel.value;
    const n = Math.min(20, Math.max(1, Number(episodesIn.value) || 3));
    replay = null;
    status.textContent = 'loading…';
    try {
      if (v.startsWith('run:')) {
        const id = v.slice(4);
        setTopology(await api.runTopology(id));
        render();
        replay = await api.runReplay(id, n);
      } else if (v.startsWith('preset:')) {
        const name = v.slice(7);
        setTopology(await api.presetTopology(name));
        render();
        replay = await api.presetReplay(name, policySel.value, n);
      }
      if (replay) {
        status.textContent = `${replay.policy}${replay.checkpoint ? ` @ ${replay.checkpoint}` : ''}: ${replay.episodes.length} evaluation episode(s) replayed`;
        episodeSel.replaceChildren(...replay.episodes.map((e, i) => h('option', { value: i }, `#${e.index} — ${e.slots.length} slot(s), success ${(100 * (e.metrics['taskSuccessRate'] ?? 0)).toFixed(0)} %, cost ${fmt(e.metrics['avgCost'])}`)));
      }
    } catch (err) {
      status.textContent = `replay unavailable: ${(err as Error).message}`;
    }
    episode = 0;
    slot = 0;
    render();
  }

  function current(): ReplaySlot | null {
    return replay?.episodes[episode]?.slots[slot] ?? null;
  }

  function render(): void {
    const ep = replay?.episodes[episode];
    const n = ep?.slots.length ?? 0;
    slider.max = String(Math.max(0, n - 1));
    slider.value = String(slot);
    slider.disabled = n === 0;
    const r = current();
    const maxBacklog = Math.max(replay?.topology.slotSeconds ?? 1, ...(ep?.slots.flatMap((x) => x.backlog) ?? [0]));
    drawing?.show(r, maxBacklog);
    stage.dataset['slot'] = r ? String(r.slot) : '';
    const total = replay?.topology.slotsPerEpisode ?? 0;
    slotOut.textContent = r ? `slot ${r.slot + 1} / ${total}${n < total && slot === n - 1 ? ' (episode ended: deadline missed)' : ''}` : 'no replay loaded';
    renderInfo(r);
  }

  function renderInfo(r: ReplaySlot | null): void {
    if (!r || !replay) {
      info.replaceChildren(h('p', { class: 'muted' }, 'Load a replay to see each slot\'s decisions.'));
      return;
    }
    const t = replay.topology;
    const misses = r.success.filter((x) => !x).length;
    const rows = t.devices.map((d, i) => {
      const k = r.server[i]!;
      const to = k >= 0 && r.rho[i]! > 1e-6 ? t.servers[k]!.id : 'local';
      return h('tr', { class: r.success[i] ? '' : 'miss-row' },
        h('td', {}, d.id, r.sensitive[i] ? h('span', { class: 'sens' }, 'sensitive') : null),
        h('td', { class: 'num' }, fmt(r.work[i], 2)),
        h('td', { class: 'num' }, fmt(r.deadline[i], 2)),
        h('td', {}, to, r.encrypted[i] ? ' (enc)' : ''),
        h('td', { class: 'num' }, `${(100 * (to === 'local' ? 0 : r.rho[i]!)).toFixed(0)}%`),
        h('td', { class: 'num' }, fmt(r.T[i], 2)),
        h('td', {}, r.success[i] ? '✓' : '✗ miss'));
    });
    info.replaceChildren(
      h('table', { class: 'slot-table' },
        h('thead', {}, h('tr', {}, ...['device', 'work', 'D [s]', 'to', 'ρ', 'T [s]', ''].map((x) => h('th', {}, x)))),
        h('tbody', {}, ...rows)),
      h('div', { class: 'side' },
        h('div', { class: 'kv' },
          h('span', {}, `reward ${fmt(r.reward, 3)}`),
          h('span', {}, `mean cost ${fmt(r.cost.reduce((a, b) => a + b, 0) / r.cost.length, 3)}`),
          h('span', { class: misses ? 'miss' : '' }, `${misses} miss${misses === 1 ? '' : 'es'}`)),
        h('p', { class: 'muted' }, 'Queue backlog at slot start → end:', ...t.servers.map((sv, k) => h('span', { class: 'q' }, `${sv.id}: ${r.backlogStart[k]!.toFixed(2)} → ${r.backlog[k]!.toFixed(2)} s`)))),
    );
  }

  function step(d: number): void {
    if (!replay) return;
    const ep = replay.episodes[episode]!;
    let nextSlot = slot + d;
    let nextEp = episode;
    if (nextSlot >= ep.slots.length) {
      nextEp = episode + 1 < replay.episodes.length ? episode + 1 : episode;
      nextSlot = nextEp === episode ? ep.slots.length - 1 : 0;
      if (nextEp === episode) stop();
    } else if (nextSlot < 0) {
      nextEp = Math.max(0, episode - 1);
      nextSlot = nextEp === episode ? 0 : replay.episodes[nextEp]!.slots.length - 1;
    }
    episode = nextEp;
    slot = nextSlot;
    episodeSel.value = String(episode);
    render();
  }

  function stop(): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    play.textContent = '▶ play';
  }

  function toggle(): void {
    if (timer !== null) return stop();
    if (!replay) return;
    play.textContent = '⏸ pause';
    timer = window.setInterval(() => step(1), Number(speedSel.value));
  }

  store.onRuns(() => {
    if (started) void api.presets().then((p) => fillSources(p.presets)).catch(() => {});
  });

  return {
    shown: () => {
      if (started) return;
      started = true;
      void api.presets().then((p) => {
        fillSources(p.presets);
        // Default: the first selected run, else the drawing's own scenario with the greedy heuristic.
        const first = store.selected[0];
        sourceSel.value = first ? `run:${first}` : 'preset:fig1-2cs-4es-9ud';
        if (!sourceSel.value) sourceSel.selectedIndex = 0;
        policySel.disabled = !sourceSel.value.startsWith('preset:');
        void load();
      });
    },
  };
}
