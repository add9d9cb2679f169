/**
 * Live updates for the page: polls the runs folder about once a second while
 * anyone listens, and tells listeners when the run list changes and which
 * metric rows were appended to each run's metrics.jsonl. Polling (not
 * fs.watch) because it behaves the same on every file system, and a second's
 * delay is nothing next to an episode log.
 */
import type { LiveEvent, RunInfo } from './shared/api-types.js';
import { JsonlTail } from './jsonl-reader.js';
import { realRoot, safeFile } from './run-path.js';
import { scanRuns } from './run-scan.js';
import { join } from 'node:path';

/** Most rows sent for one run per tick; more means "reload the series". */
const MAX_ROWS_PER_TICK = 2000;

/** Polls a runs folder and fans events out to listeners. */
export class LiveHub {
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private tails = new Map<string, JsonlTail>();
  private lastList = '';
  private primed = false;

  constructor(private readonly root: string, private readonly intervalMs = 1000) {}

  /** Listen to events; returns the function that stops listening. Polling runs while anyone listens. */
  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    if (this.timer === null) {
      this.tick(); // establish where each log ends before the first interval
      this.timer = setInterval(() => this.tick(), this.intervalMs);
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Stop polling and forget all listeners. */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.tails.clear();
    this.lastList = '';
    this.primed = false;
  }

  private emit(e: LiveEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch {
        // one broken listener must not stop the others
      }
    }
  }

  /** One poll: run list changes, then appended metric rows. Never throws. */
  tick(): void {
    try {
      const runs = scanRuns(this.root);
      const listKey = JSON.stringify(runs);
      if (listKey !== this.lastList) {
        this.lastList = listKey;
        if (this.primed) this.emit({ type: 'runs', runs });
      }
      this.followMetrics(runs);
      this.primed = true;
    } catch {
      // A folder removed mid-scan and the like: try again next tick.
    }
  }

  private followMetrics(runs: RunInfo[]): void {
    const base = realRoot(this.root);
    if (base === null) return;
    const seen = new Set<string>();
    for (const run of runs) {
      seen.add(run.id);
      const path = safeFile(base, join(base, ...run.id.split('/')), 'metrics.jsonl');
      let tail = this.tails.get(run.id);
      if (path === null) {
        // Not written yet, or a link leading out of the runs folder: nothing to follow.
        this.tails.delete(run.id);
        continue;
      }
      if (!tail || tail.path !== path) {
        // Logs present at the first poll are followed from their end; logs that appear later from their start.
        tail = new JsonlTail(path, this.primed ? 0 : undefined);
        this.tails.set(run.id, tail);
        if (!this.primed) continue;
      }
      const { rows, reset } = tail.poll();
      if (reset || rows.length > MAX_ROWS_PER_TICK) this.emit({ type: 'metrics-reset', id: run.id });
      else if (rows.length > 0) this.emit({ type: 'metrics', id: run.id, rows });
    }
    for (const id of [...this.tails.keys()]) if (!seen.has(id)) this.tails.delete(id);
  }
}
