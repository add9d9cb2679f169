/**
 * Trace-driven workloads: a CSV of tasks replayed instead of sampled.
 *
 * Format: a header line naming the columns `slot,device,work,deadline,sensitive`
 * in any order, plus an optional `episode` column. `slot` is the 0-based slot
 * within an episode, `device` a device id of the scenario, `work` > 0,
 * `deadline` > 0 [s], `sensitive` 0/1 (or false/true). Blank lines and lines
 * starting with `#` are skipped.
 *
 * Replay rule: every trace episode (0, 1, ... E-1; all rows are episode 0
 * without the column) must give exactly one task for every slot
 * 0..slotsPerEpisode-1 and every device. The env's n-th episode since it was
 * made (counting from 0) replays trace episode `n mod E`, so a run of E
 * episodes sees every trace task exactly once.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/** The tasks of a trace, flat arrays indexed `(episode * slots + slot) * devices + device`. */
export interface TraceTable {
  readonly episodes: number;
  readonly slots: number;
  readonly devices: number;
  readonly work: Float64Array;
  readonly deadline: Float64Array;
  readonly sensitive: Uint8Array;
}

/** What the trace loader needs to know about the scenario. */
interface TraceShape {
  readonly slotsPerEpisode: number;
  readonly devices: readonly { readonly id: string }[];
}

const REQUIRED = ['slot', 'device', 'work', 'deadline', 'sensitive'] as const;

/** Read and validate a trace file against a scenario; errors name the file and line. */
export function loadTrace(path: string, scenario: TraceShape): TraceTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${path}: trace file not found or unreadable (tasks.trace)`);
  }
  return parseTrace(text, path, scenario);
}

/** Parse trace CSV text; `source` names it in errors. */
export function parseTrace(text: string, source: string, scenario: TraceShape): TraceTable {
  const lines = text.split(/\r?\n/);
  let headerLine = -1;
  let columns: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '' || l.startsWith('#')) continue;
    headerLine = i;
    columns = l.split(',').map((c) => c.trim().toLowerCase());
    break;
  }
  if (headerLine < 0) throw new UserError(`${source}: empty trace (expected a header slot,device,work,deadline,sensitive)`);
  for (const name of REQUIRED) {
    if (!columns.includes(name)) throw new UserError(`${source}:${headerLine + 1}: header lacks column "${name}" (need slot,device,work,deadline,sensitive[,episode])`);
  }
  for (const c of columns) {
    if (!(REQUIRED as readonly string[]).includes(c) && c !== 'episode') throw new UserError(`${source}:${headerLine + 1}: unknown column "${c}"`);
  }
  const col = (name: string): number => columns.indexOf(name);
  const deviceIndex = new Map(scenario.devices.map((d, i) => [d.id, i] as const));
  const N = scenario.slotsPerEpisode, M = scenario.devices.length;

  interface Row { episode: number; slot: number; device: number; work: number; deadline: number; sensitive: number; line: number }
  const rows: Row[] = [];
  let maxEpisode = 0;
  for (let i = headerLine + 1; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '' || l.startsWith('#')) continue;
    const cells = l.split(',').map((c) => c.trim());
    const where = `${source}:${i + 1}`;
    if (cells.length !== columns.length) throw new UserError(`${where}: expected ${columns.length} values, got ${cells.length}`);
    const int = (name: string, max: number): number => {
      const v = Number(cells[col(name)]);
      if (!Number.isInteger(v) || v < 0 || v >= max) throw new UserError(`${where}: ${name} must be an integer in [0, ${max - 1}] (got "${cells[col(name)]}")`);
      return v;
    };
    const pos = (name: string): number => {
      const v = Number(cells[col(name)]);
      if (!Number.isFinite(v) || v <= 0) throw new UserError(`${where}: ${name} must be a finite number > 0 (got "${cells[col(name)]}")`);
      return v;
    };
    const dev = deviceIndex.get(cells[col('device')]);
    if (dev === undefined) throw new UserError(`${where}: device "${cells[col('device')]}" is not a device id of the scenario`);
    const sens = cells[col('sensitive')].toLowerCase();
    if (!['0', '1', 'true', 'false'].includes(sens)) throw new UserError(`${where}: sensitive must be 0, 1, true or false (got "${sens}")`);
    const episode = col('episode') >= 0 ? int('episode', 1_000_000) : 0;
    maxEpisode = Math.max(maxEpisode, episode);
    rows.push({ episode, slot: int('slot', N), device: dev, work: pos('work'), deadline: pos('deadline'), sensitive: sens === '1' || sens === 'true' ? 1 : 0, line: i + 1 });
  }
  if (rows.length === 0) throw new UserError(`${source}: trace has a header but no tasks`);
  const E = maxEpisode + 1;
  const size = E * N * M;
  const work = new Float64Array(size), deadline = new Float64Array(size), sensitive = new Uint8Array(size);
  const filled = new Uint8Array(size);
  for (const r of rows) {
    const at = (r.episode * N + r.slot) * M + r.device;
    if (filled[at]) throw new UserError(`${source}:${r.line}: second task for episode ${r.episode} slot ${r.slot} device ${scenario.devices[r.device].id}`);
    filled[at] = 1;
    work[at] = r.work;
    deadline[at] = r.deadline;
    sensitive[at] = r.sensitive;
  }
  const gap = filled.indexOf(0);
  if (gap >= 0) {
    const dev = gap % M, slot = Math.floor(gap / M) % N, ep = Math.floor(gap / (M * N));
    throw new UserError(`${source}: no task for episode ${ep} slot ${slot} device ${scenario.devices[dev].id} (a trace episode needs one task per slot and device)`);
  }
  return { episodes: E, slots: N, devices: M, work, deadline, sensitive };
}
