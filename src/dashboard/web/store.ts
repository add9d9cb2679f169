/// <reference lib="dom" />
/**
 * The page's shared state: the run list (kept current by server-sent
 * events), which runs are selected for comparison, and listeners.
 */
import type { LiveEvent, RunInfo } from '../shared/api-types.js';
import { api } from './api.js';

type Listener = () => void;
type RowsListener = (id: string, rows: Record<string, unknown>[] | null) => void;

/** Colours given to selected runs, in order. */
export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#7c3aed', '#b45309'];

class Store {
  runs: RunInfo[] = [];
  runsDir = '';
  /** Selected run ids, in the order they were selected. */
  selected: string[] = [];
  private colors = new Map<string, string>();
  private runListeners = new Set<Listener>();
  private rowListeners = new Set<RowsListener>();
  liveState: 'connecting' | 'live' | 'offline' = 'connecting';

  onRuns(fn: Listener): void {
    this.runListeners.add(fn);
  }

  /** Rows appended to a run's metrics (null rows: reload the run's series). */
  onRows(fn: RowsListener): void {
    this.rowListeners.add(fn);
  }

  color(id: string): string {
    let c = this.colors.get(id);
    if (!c) {
      c = PALETTE[this.colors.size % PALETTE.length]!;
      this.colors.set(id, c);
    }
    return c;
  }

  toggle(id: string, on: boolean): void {
    this.selected = on ? [...new Set([...this.selected, id])] : this.selected.filter((x) => x !== id);
    this.changed();
  }

  setRuns(runs: RunInfo[]): void {
    this.runs = runs;
    const ids = new Set(runs.map((r) => r.id));
    this.selected = this.selected.filter((id) => ids.has(id));
    this.changed();
  }

  changed(): void {
    for (const fn of this.runListeners) fn();
  }

  async load(): Promise<void> {
    const r = await api.runs();
    this.runsDir = r.runsDir;
    // Select the newest run so the curves view has something to show at once.
    if (this.selected.length === 0 && r.runs.length > 0) this.selected = [[...r.runs].sort((a, b) => b.updatedAt - a.updatedAt)[0]!.id];
    this.setRuns(r.runs);
  }

  /** Follow /api/events; the browser's EventSource reconnects by itself. */
  connect(): void {
    const es = new EventSource('api/events');
    es.onopen = () => {
      // After a dropped connection, rows may have been missed: reload the selected runs' series.
      if (this.liveState === 'offline') for (const id of this.selected) for (const fn of this.rowListeners) fn(id, null);
      this.liveState = 'live';
      this.changed();
    };
    es.onerror = () => {
      this.liveState = 'offline';
      this.changed();
    };
    es.addEventListener('runs', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as Extract<LiveEvent, { type: 'runs' }>;
      this.setRuns(ev.runs);
    });
    es.addEventListener('metrics', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as Extract<LiveEvent, { type: 'metrics' }>;
      for (const fn of this.rowListeners) fn(ev.id, ev.rows);
    });
    es.addEventListener('metrics-reset', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as Extract<LiveEvent, { type: 'metrics-reset' }>;
      for (const fn of this.rowListeners) fn(ev.id, null);
    });
  }
}

export const store = new Store();
