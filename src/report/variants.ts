/**
 * Groups runs into variants: the runs of one algorithm on one scenario that
 * differ only in seed. Which settings tell variants apart is read from the
 * config.json files themselves (a named configuration, or hyperparameters
 * whose values differ between runs), so an ablation sweep needs no extra
 * bookkeeping and hand-made run folders work too.
 */
import { ALGORITHMS } from '../algorithms/registry.js';
import type { RunRecord } from './runs.js';

/** Runs of one algorithm configuration on one scenario, over seeds. */
export interface Variant {
  /** Machine name: `<algo>[+<config>][+<key>=<value>...]`. */
  readonly id: string;
  readonly algo: string;
  readonly kind: 'learner' | 'heuristic';
  readonly scenario: string;
  /** Name for figures and tables, e.g. `MITRA-VIB (w/o D−)` or `MITRA-VIB (λ3 = 0.05)`. */
  readonly display: string;
  /** The algorithm's default configuration (or its only one in this set of runs). */
  readonly isBase: boolean;
  /** The settings that vary between this algorithm's variants on the scenario, e.g. `config` or `lambda3` (empty when there is one variant). */
  readonly varying: readonly string[];
  /** Runs sorted by seed. */
  readonly runs: readonly RunRecord[];
}

const ALGO_DISPLAY: Record<string, string> = {
  'mitra-vib': 'MITRA-VIB', maddpg: 'MADDPG', matd3: 'MATD3', mappo: 'MAPPO', coma: 'COMA',
  local: 'Local', random: 'Random', nearest: 'Nearest', greedy: 'Greedy',
};
const CONFIG_DISPLAY: Record<string, string> = {
  'no-bad': 'w/o D−', 'no-good': 'w/o D+', 'no-both': 'w/o D+ & D−', 'no-vib': 'w/o VIB encoder',
};
const KEY_DISPLAY: Record<string, string> = { lambda3: 'λ3' };

/** Display name of an algorithm. */
export function algoDisplay(algo: string): string {
  return ALGO_DISPLAY[algo] ?? algo;
}

/** Group runs into variants, ordered by scenario, then learners before heuristics, then name. */
export function groupVariants(runs: readonly RunRecord[]): Variant[] {
  const byAlgo = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const key = `${r.scenario}\u0000${r.algo}`;
    const list = byAlgo.get(key) ?? [];
    list.push(r);
    byAlgo.set(key, list);
  }
  const out: Variant[] = [];
  for (const list of byAlgo.values()) out.push(...splitAlgo(list));
  return out.sort((a, b) => scenarioRank(a.scenario) - scenarioRank(b.scenario) || a.scenario.localeCompare(b.scenario) || (a.kind === b.kind ? 0 : a.kind === 'learner' ? -1 : 1) || a.id.localeCompare(b.id));
}

function splitAlgo(runs: RunRecord[]): Variant[] {
  const first = runs[0]!;
  const settings = (r: RunRecord): Record<string, string> => {
    const s: Record<string, string> = { config: JSON.stringify(r.namedConfig) };
    for (const [k, v] of Object.entries(r.hyper)) s[k] = JSON.stringify(v);
    return s;
  };
  const all = runs.map(settings);
  const keys = [...new Set(all.flatMap((s) => Object.keys(s)))].sort();
  let varying = keys.filter((k) => new Set(all.map((s) => s[k])).size > 1);
  if (varying.includes('config')) {
    // Settings a named configuration sets are explained by it: keep only those that vary within one configuration.
    varying = varying.filter((k) => k === 'config' || !determinedBy(all, 'config', k));
    varying = ['config', ...varying.filter((k) => k !== 'config')];
  }
  const groups = new Map<string, RunRecord[]>();
  runs.forEach((r, i) => {
    const sig = varying.map((k) => all[i]![k]).join('\u0000');
    const list = groups.get(sig) ?? [];
    list.push(r);
    groups.set(sig, list);
  });
  const defaults = defaultHyper(first.algo);
  const variants: Variant[] = [];
  for (const list of groups.values()) {
    const r = list[0]!;
    const s = settings(r);
    const parts: string[] = [];
    const shown: string[] = [];
    for (const k of varying) {
      if (k === 'config') {
        if (r.namedConfig !== null) parts.push(r.namedConfig), shown.push(CONFIG_DISPLAY[r.namedConfig] ?? r.namedConfig);
        continue;
      }
      const v = r.hyper[k];
      parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      shown.push(`${KEY_DISPLAY[k] ?? k} = ${typeof v === 'number' ? formatValue(v) : JSON.stringify(v)}`);
    }
    const isBase = varying.length === 0
      || (r.namedConfig === null && varying.every((k) => k === 'config' || (defaults !== null && JSON.stringify(defaults[k]) === s[k])));
    variants.push({
      id: [r.algo, ...parts].join('+'),
      algo: r.algo,
      kind: r.kind,
      scenario: r.scenario,
      display: shown.length ? `${algoDisplay(r.algo)} (${shown.join(', ')})` : algoDisplay(r.algo),
      isBase,
      varying,
      runs: [...list].sort((a, b) => a.seed - b.seed),
    });
  }
  return variants;
}

/** True when every value of `key` is fixed by the value of `by`. */
function determinedBy(all: readonly Record<string, string>[], by: string, key: string): boolean {
  const seen = new Map<string | undefined, string | undefined>();
  for (const s of all) {
    const b = s[by];
    if (seen.has(b) && seen.get(b) !== s[key]) return false;
    seen.set(b, s[key]);
  }
  return true;
}

function defaultHyper(algo: string): Record<string, unknown> | null {
  const spec = ALGORITHMS[algo];
  if (!spec) return null;
  const r = spec.configSchema.safeParse({});
  return r.success ? (r.data as Record<string, unknown>) : null;
}

function formatValue(v: number): string {
  // Two decimals like the paper's legends (0.10, 0.05) unless more are needed.
  return Math.abs(v * 100 - Math.round(v * 100)) < 1e-9 ? v.toFixed(2) : String(v);
}

/** The paper's scenario 1 and 2 first, in that order (their names sort the other way), then the rest. */
const PAPER_SCENARIOS = ['paper-1cs-3es-7ud', 'paper-1cs-2es-5ud'];

function scenarioRank(name: string): number {
  const i = PAPER_SCENARIOS.indexOf(name);
  return i < 0 ? PAPER_SCENARIOS.length : i;
}
